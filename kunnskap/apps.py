from django.apps import AppConfig


class KunnskapConfig(AppConfig):
    """The project package itself: templates, static files, translations, mail and tasks."""

    name = "kunnskap"
    verbose_name = "Kunnskapsstøtte"
