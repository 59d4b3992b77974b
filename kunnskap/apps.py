from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KunnskapConfig(AppConfig):
    """The project package itself: templates, static files, translations, mail and tasks."""

    name = "kunnskap"
    verbose_name = "Kunnskapsstøtte"

    def ready(self) -> None:
        from django.db.models import fields

        # The empty choice of every select a form does not label itself. Django 6.1's own
        # default ("- Select an option -") has no Norwegian translation yet.
        fields.BLANK_CHOICE_LABEL = _("Choose")
