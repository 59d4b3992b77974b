"""The daily reminder of evaluations coming due, started by the schedule (kunnskap/schedule.py)."""

from datetime import date

from django.tasks import task
from django.utils import timezone


@task()
def remind_evaluations(today: str = "") -> str:
    """`today` (YYYY-MM-DD) stands in for the date, to run a given day's reminders again."""
    from .services import evaluation_reminders_send

    day = date.fromisoformat(today) if today else timezone.localdate()
    count = evaluation_reminders_send(today=day)
    return f"{count} evaluation reminder(s) sent"
