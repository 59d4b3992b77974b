from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Publication, PublicationStatus, PublicationVersion


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

    def has_add_permission(self, request) -> bool:
        return False  # a new publication starts on the library's own pages or by import

    def has_change_permission(self, request, obj=None) -> bool:
        # A withdrawn publication cannot change (`publication_update` refuses it).
        if obj is not None and obj.status == PublicationStatus.WITHDRAWN:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: a new version when it is published, the search index, the needs.
        data = form.cleaned_data
        stored = Publication.objects.get(pk=obj.pk)
        changes = {
            name: list(data[name]) if name in services.RELATIONS else data[name]
            for name in form.changed_data
            if name in services.SCALARS or name in services.RELATIONS
        }
        pdf = data.get("pdf") if "pdf" in form.changed_data else None
        services.publication_update(
            publication=stored,
            data=services.input_from(stored, **changes),
            actor=request.user,
            note=_("Changed in the administration."),
            pdf=pdf or None,
        )

    def save_related(self, request, form, formsets, change) -> None:
        # The service has set the relations already; only the (read-only) inline is left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
