from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "kunnskap.library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from . import cache

        cache.connect()
