"""Reads about the running service: live workers, waiting tasks, failed mail."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Min
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import MessageStatus, OutboxMessage, WorkerBeat


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)


def live_worker_ids(*, now: datetime | None = None) -> set[str]:
    """Workers that have written a heartbeat within the timeout and have not stopped."""
    cutoff = (now or timezone.now()) - heartbeat_timeout()
    live = WorkerBeat.objects.filter(last_seen__gte=cutoff, stopped_at__isnull=True)
    return set(live.values_list("worker_id", flat=True))


def worker_is_alive(*, worker_id: str, since: datetime | None) -> bool:
    """Whether the worker that claimed something is still at it. A claim made outside any worker
    (tasks run in the web process) counts as alive for one heartbeat timeout."""
    if not worker_id:
        return since is not None and since >= timezone.now() - heartbeat_timeout()
    return worker_id in live_worker_ids()


def worker_last_seen() -> datetime | None:
    return WorkerBeat.objects.aggregate(last=Max("last_seen"))["last"]


def oldest_waiting_task_age(*, now: datetime | None = None) -> timedelta | None:
    """How long the task that has been due the longest has waited for a worker: a task to run
    at once waits from when it was queued, a deferred one from its time."""
    now = now or timezone.now()
    due = DBTaskResult.objects.ready()
    undeferred = due.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"]
    deferred = due.exclude(run_after=get_date_max()).aggregate(t=Min("run_after"))["t"]
    waiting_since = min((t for t in (undeferred, deferred) if t is not None), default=None)
    return None if waiting_since is None else max(now - waiting_since, timedelta(0))


def failed_mail_count(*, since: datetime) -> int:
    return OutboxMessage.objects.filter(status=MessageStatus.FAILED, failed_at__gte=since).count()


def running_task_count() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
