"""Periodic work from one schedule: each job once per period, whichever worker gets there first.

Every worker's heartbeat calls `tick()` (so does `kunnskap schedule`, for cron). For each job that
is due, it inserts a `ScheduledRun` row for the job and the period (the day); the unique pair
lets exactly one caller in, across workers and machines, and that caller queues the job as a task
in the same transaction. A job that raises fails its own task only: the schedule does not depend
on any job succeeding, so tomorrow's run comes all the same. A worker that was down at the hour
starts the day's jobs when it comes back the same day.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from kunnskap.operations.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    """A task that runs once a day, from the given local hour on."""

    task_path: str
    hour: int

    @property
    def name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]

    @property
    def task(self) -> Task:
        return import_string(self.task_path)


def daily_jobs() -> list[Job]:
    hour = settings.DAILY_TASKS_HOUR
    return [
        Job("kunnskap.commissions.tasks.remind_overdue_milestones", hour),
        Job("kunnskap.followup.tasks.remind_evaluations", hour),
        Job("kunnskap.newsletter.tasks.send_digests", hour),
        Job("kunnskap.operations.tasks.housekeeping", hour),
        Job("kunnskap.operations.personal_data.personal_data_retention", hour),
        Job("kunnskap.limits.tasks.purge_counters", hour),
        Job("kunnskap.learning.tasks.send_event_reminders", hour),
    ]


def tick(*, now: datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Queue each job that is due and has no run for this period; returns the names queued."""
    now = timezone.localtime(now)
    period = now.date().isoformat()
    queued = []
    for job in daily_jobs() if jobs is None else jobs:
        if now.hour < job.hour:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period=period)
                run.task_id = str(job.task.enqueue().id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker has this period's run
        queued.append(job.name)
    return queued
