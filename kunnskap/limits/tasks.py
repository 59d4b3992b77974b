"""The daily clean-up of rate-limit counters, run by the worker."""

from django.tasks import task

from kunnskap import schedule


@task()
def purge_counters() -> str:
    from .services import counters_purge

    deleted = counters_purge()
    schedule.next_day(purge_counters)
    return f"{deleted} expired counter(s) deleted"
