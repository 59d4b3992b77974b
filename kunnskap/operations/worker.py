"""The worker of `kunnskap worker`: django-tasks-db's, plus what it lacks to never lose a task.

django-tasks-db claims a task row and runs it; a worker that dies leaves the row `RUNNING` for
good, and a second SIGTERM fails the running task. This adds:

- a heartbeat: a thread writes the worker's `WorkerBeat` row every few seconds, and on the same
  beat requeues tasks whose worker has not been seen for `WORKER_HEARTBEAT_TIMEOUT` seconds
  (`tasks_requeue_lost`) and starts the periodic jobs that are due (`kunnskap.schedule.tick`);
- shutdown that loses nothing: the first SIGTERM (or Ctrl+C) lets the running task finish, a
  second one stops it and gives it back to the queue instead of failing it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import WorkerBeat
from .selectors import heartbeat_timeout, live_worker_ids

logger = logging.getLogger(__name__)


class WorkerInterrupted(SystemExit):
    """Raised in the running task by a second stop signal; the task goes back to the queue."""


class WorkerLost(Exception):
    """Recorded on a task whose workers died under it too many times to try again."""


def task_requeue(*, task_id: Any) -> None:
    """Put a claimed task back in the queue as if no worker had taken it."""
    DBTaskResult.objects.filter(pk=task_id).update(
        status=TaskResultStatus.READY,
        started_at=None,
        finished_at=None,
        exception_class_path="",
        traceback="",
    )


def tasks_requeue_lost(*, now: datetime | None = None) -> int:
    """Queue again each running task whose worker has not been seen within the heartbeat timeout;
    a task that has lost `TASK_MAX_CLAIMS` workers is failed instead (it may be what kills them)."""
    now = now or timezone.now()
    live = live_worker_ids(now=now)
    requeued = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - heartbeat_timeout()
        )
        for row in running:
            if row.worker_ids and row.worker_ids[-1] in live:
                continue
            if len(row.worker_ids) >= settings.TASK_MAX_CLAIMS:
                row.set_failed(WorkerLost(f"{len(row.worker_ids)} workers died running it"))
                logger.error(
                    "Task %s failed: its workers died %d times", row.pk, len(row.worker_ids)
                )
                continue
            task_requeue(task_id=row.pk)
            requeued += 1
            logger.warning("Task %s (%s) queued again: its worker was lost", row.pk, row.task_path)
    return requeued


class Worker(db_worker.Worker):
    """django-tasks-db's worker with a heartbeat thread and a shutdown that requeues."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.interrupted = False
        self.stopping = threading.Event()
        self.beat_seconds = max(0.5, min(30.0, settings.WORKER_HEARTBEAT_TIMEOUT / 4))

    def beat(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_seen": now, "stopped_at": None},
            create_defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )

    def keep_beating(self) -> None:
        from kunnskap import schedule

        while not self.stopping.wait(self.beat_seconds):
            try:
                close_old_connections()
                self.beat()
                tasks_requeue_lost()
                schedule.tick()
            except Exception:
                # The next beat tries again; a worker that cannot write its beat looks dead to
                # the others, who then take over its task: lost work is never the outcome.
                logger.exception("Worker heartbeat failed")
        connection.close()

    def run(self) -> None:
        self.beat()
        beating = threading.Thread(target=self.keep_beating, name="heartbeat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self.stopping.set()
            beating.join(timeout=self.beat_seconds + 5)
            WorkerBeat.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now())
            logger.info("Worker %s stopped", self.worker_id)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running or not self.running_task:
            super().shutdown(signum, frame)  # first signal: finish the task; idle: stop now
            return
        logger.warning("Stopped again: the running task goes back to the queue")
        self.interrupted = True
        self.reset_signals()
        raise WorkerInterrupted(1)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if self.interrupted:
            # django-tasks-db has just recorded the interruption as a failure: undo that.
            task_requeue(task_id=db_task_result.pk)
            raise WorkerInterrupted(1)
