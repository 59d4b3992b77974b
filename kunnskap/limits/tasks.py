"""The daily clean-up of rate-limit counters (kunnskap/schedule.py queues it)."""

from django.tasks import task


@task()
def purge_counters() -> str:
    from .services import counters_purge

    deleted = counters_purge()
    return f"{deleted} expired counter(s) deleted"
