from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the service: the mail outbox, worker heartbeats, the schedule, readiness."""

    name = "kunnskap.operations"
    verbose_name = _("Operations")
