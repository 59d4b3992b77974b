from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Publication, PublicationVersion


class VersionInline(admin.TabularInline):
    model = PublicationVersion
    extra = 0
    fields = ("version", "status", "note", "at", "by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # versions are written by the services


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    # Editing goes through the library's own pages, which keep the search index and versions.
    list_display = ["title", "kind", "status", "published_on", "producer"]
    list_filter = ["status", "kind", "producer"]
    search_fields = ["title", "source_id"]
    readonly_fields = ["status", "version", "commission", "source_id"]
    autocomplete_fields = ["proposals", "municipality"]
    inlines = [VersionInline]
