"""The schedule: a job that raises stops nothing, and no job runs twice for one day."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from kunnskap import schedule
from kunnskap.operations.models import ScheduledRun

pytestmark = pytest.mark.django_db(transaction=True)

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=OSLO)
TUESDAY_8 = datetime(2026, 12, 1, 8, 0, tzinfo=OSLO)

ran: list[str] = []


@task()
def explode() -> None:
    raise RuntimeError("the digest template is broken")


@task()
def count() -> str:
    ran.append("count")
    return "counted"


JOBS = [
    schedule.Job("tests.operations.test_schedule.explode", 7),
    schedule.Job("tests.operations.test_schedule.count", 7),
]


def statuses() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in DBTaskResult.objects.order_by("enqueued_at"):
        found.setdefault(row.task_path.rsplit(".", 1)[-1], []).append(row.status)
    return found


def test_a_job_that_raises_does_not_stop_the_next_days_jobs(run_worker):
    ran.clear()
    assert schedule.tick(now=MONDAY_8, jobs=JOBS) == ["explode", "count"]
    run_worker()
    assert statuses() == {"explode": ["FAILED"], "count": ["SUCCESSFUL"]}

    assert schedule.tick(now=TUESDAY_8, jobs=JOBS) == ["explode", "count"]
    run_worker()
    assert statuses() == {"explode": ["FAILED", "FAILED"], "count": ["SUCCESSFUL", "SUCCESSFUL"]}
    assert ran == ["count", "count"]


def test_nothing_runs_before_the_hour_and_a_late_worker_catches_up_the_same_day():
    assert schedule.tick(now=MONDAY_8.replace(hour=6, minute=59), jobs=JOBS) == []
    assert schedule.tick(now=MONDAY_8.replace(hour=23), jobs=JOBS) == ["explode", "count"]
    assert schedule.tick(now=MONDAY_8.replace(hour=23, minute=30), jobs=JOBS) == []


def test_workers_ticking_at_once_start_each_job_once_a_day():
    """Eight callers at the same instant, each with its own database connection."""
    start = threading.Barrier(8)
    queued: list[list[str]] = []

    def tick() -> None:
        try:
            start.wait()
            queued.append(schedule.tick(now=MONDAY_8, jobs=JOBS))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(name for names in queued for name in names) == ["count", "explode"]
    assert ScheduledRun.objects.filter(period="2026-11-30").count() == 2
    assert {k: len(v) for k, v in statuses().items()} == {"explode": 1, "count": 1}


def test_the_real_schedule_names_the_daily_jobs_and_each_can_be_imported():
    names = [job.name for job in schedule.daily_jobs()]
    assert {"remind_overdue_milestones", "send_digests", "housekeeping"} <= set(names)
    for job in schedule.daily_jobs():
        assert job.task.name == job.name
