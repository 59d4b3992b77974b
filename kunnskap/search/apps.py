from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kunnskap.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import ThesaurusEntry
        from .thesaurus import entries_changed

        post_save.connect(entries_changed, sender=ThesaurusEntry)
        post_delete.connect(entries_changed, sender=ThesaurusEntry)
