"""Daily tasks without a separate scheduler: each run queues the next one.

`ensure_daily()` runs when a worker starts and queues every daily task that has no pending run,
so a fresh installation, or one whose chain was broken by an outage, starts again by itself.
Several workers may start at once: the check and the enqueue share a transaction, and a
duplicate run only sends what is still due (each task records what it has done).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task
from django.utils import timezone

DAILY_AT = time(hour=settings.DAILY_TASKS_HOUR)


def daily_tasks() -> list[Task]:
    from kunnskap.commissions.tasks import remind_overdue_milestones
    from kunnskap.limits.tasks import purge_counters
    from kunnskap.newsletter.tasks import send_digests

    return [remind_overdue_milestones, send_digests, purge_counters]


def next_run(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    today_at = now.replace(hour=DAILY_AT.hour, minute=0, second=0, microsecond=0)
    return today_at if today_at > now else today_at + timedelta(days=1)


def next_day(daily: Task) -> None:
    daily.using(run_after=next_run()).enqueue()


@transaction.atomic
def ensure_daily() -> int:
    """Queue each daily task that has no pending run; returns how many were queued."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = 0
    for daily in daily_tasks():
        pending = DBTaskResult.objects.filter(
            task_path=daily.module_path, status=TaskResultStatus.READY
        )
        if not pending.exists():
            next_day(daily)
            queued += 1
    return queued
