from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LiteratureSource, ResearchGap


@admin.register(LiteratureSource)
class LiteratureSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ResearchGap)
class ResearchGapAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "status", "contact", "created_at"]
    list_filter = ["status"]
    list_select_related = ["proposal"]
