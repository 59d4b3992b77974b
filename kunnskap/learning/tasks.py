"""The daily reminder to participants of events two days away (kunnskap/schedule.py)."""

from django.tasks import task


@task()
def send_event_reminders() -> str:
    from .services import reminders_send

    return f"{reminders_send()} reminder(s) queued"
