from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Commission, Producer


@admin.register(Producer)
class ProducerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Commission)
class CommissionAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "producer", "status", "due_on", "delivered_on"]
    list_filter = ["status", "producer", "hub"]
    list_select_related = ["proposal", "producer"]
    readonly_fields = ["entry", "proposal", "hub", "status", "ordered_by", "delivered_on"]
