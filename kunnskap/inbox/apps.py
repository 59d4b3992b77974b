from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "kunnskap.inbox"
    verbose_name = _("My tasks")

    def ready(self) -> None:
        from . import counts

        counts.connect()
