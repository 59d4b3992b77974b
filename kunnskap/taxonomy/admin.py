from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ServiceArea, Theme


class TermAdmin(SimpleHistoryAdmin):
    list_display = ["label", "label_en", "key", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "label_en", "key"]
    prepopulated_fields = {"key": ["label"]}


admin.site.register(ServiceArea, TermAdmin)
admin.site.register(Theme, TermAdmin)
