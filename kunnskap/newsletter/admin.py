from django.contrib import admin

from .models import Delivery, Issue, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "confirmed_at", "unsubscribed_at"]
    list_filter = ["frequency"]
    search_fields = ["email"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ("subscriber", "status", "attempts", "last_error", "sent_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "frequency", "created_at"]
    readonly_fields = ["kind", "frequency", "period_start", "period_end", "created_by"]
    inlines = [DeliveryInline]
