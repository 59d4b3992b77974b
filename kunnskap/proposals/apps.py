from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "kunnskap.proposals"
    verbose_name = _("Knowledge needs")

    def ready(self) -> None:
        from . import cache

        cache.connect()
