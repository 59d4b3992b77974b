"""The daily reminder of evaluations coming due, started by the schedule (kunnskap/schedule.py)."""

from django.tasks import task
from django.utils import timezone


@task()
def remind_evaluations() -> str:
    from .services import evaluation_reminders_send

    count = evaluation_reminders_send(today=timezone.localdate())
    return f"{count} evaluation reminder(s) sent"
