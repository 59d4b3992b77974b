"""The daily reminder of overdue milestones, started by the schedule (kunnskap/schedule.py)."""

from django.tasks import task
from django.utils import timezone


@task()
def remind_overdue_milestones() -> str:
    from .services import overdue_reminders_send

    count = overdue_reminders_send(today=timezone.localdate())
    return f"{count} overdue milestone(s) reported"
