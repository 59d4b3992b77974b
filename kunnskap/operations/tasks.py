"""Daily housekeeping, started by the schedule: old rows that only cost space, or hold personal
data longer than needed, are removed."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import MessageStatus, OutboxMessage, ScheduledRun, WorkerBeat


@task()
def housekeeping() -> str:
    now = timezone.now()
    kept = now - timedelta(days=settings.OPERATIONS_RETENTION_DAYS)
    # Sent and failed mail holds names and addresses: kept as long as staff may need to look.
    mails, _ = OutboxMessage.objects.filter(
        status__in=[MessageStatus.SENT, MessageStatus.FAILED], created_at__lt=kept
    ).delete()
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=kept).delete()
    runs, _ = ScheduledRun.objects.filter(created_at__lt=kept).delete()
    workers, _ = WorkerBeat.objects.filter(last_seen__lt=kept).delete()
    return f"removed {mails} mail(s), {tasks} task(s), {runs} run(s), {workers} worker(s)"
