from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import MessageStatus, OutboxMessage, ScheduledRun, WorkerBeat


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Staff see every message and, first of all, those that failed for good."""

    list_display = ["subject", "status", "attempts", "created_at", "sent_at", "failed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["key", "subject"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def send_again(self, request, queryset):
        from kunnskap.mail import deliver_message

        failed = queryset.filter(status=MessageStatus.FAILED)
        for message in failed:
            message.status = MessageStatus.QUEUED
            message.attempts = 0
            message.failed_at = None
            message.save(update_fields=["status", "attempts", "failed_at"])
            deliver_message.enqueue(message_id=message.pk)
        self.message_user(request, _("%d message(s) queued again.") % failed.count())


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen", "stopped_at"]
    readonly_fields = [field.name for field in WorkerBeat._meta.fields]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period", "task_id", "created_at"]
    list_filter = ["job"]
    readonly_fields = [field.name for field in ScheduledRun._meta.fields]
