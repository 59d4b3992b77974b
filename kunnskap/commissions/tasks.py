"""The daily reminder of overdue milestones, run by the worker."""

from django.tasks import task
from django.utils import timezone

from kunnskap import schedule


@task()
def remind_overdue_milestones() -> str:
    from .services import overdue_reminders_send

    count = overdue_reminders_send(today=timezone.localdate())
    schedule.next_day(remind_overdue_milestones)
    return f"{count} overdue milestone(s) reported"
