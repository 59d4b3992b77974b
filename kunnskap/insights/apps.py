from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "kunnskap.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from . import cache

        cache.connect()
