from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kunnskap.operations.admin_actions import personal_data_actions

from .models import (
    Endorsement,
    LiteratureSource,
    Proposal,
    ProposalEvent,
    ResearchGap,
)


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    fk_name = "proposal"
    extra = 0
    fields = ["municipality", "unit", "is_original", "name", "email", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["municipality", "unit"]


class EventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "actor", "actor_label", "note", "is_public")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Transitions are written by the services only, so the record stays true.
        return False


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["public_id", "title", "municipality", "hub", "status", "submitted_at"]
    list_filter = ["status", "hub", "source", "service_area", "theme"]
    list_select_related = ["municipality", "hub"]
    search_fields = ["public_id", "title", "question", "submitter_email"]
    readonly_fields = ["public_id", "status", "source", "submitted_at", "accepted_at", "hub"]
    autocomplete_fields = ["municipality", "unit"]
    inlines = [EndorsementInline, EventInline]
    date_hierarchy = "submitted_at"
    actions = personal_data_actions(lambda proposal: proposal.submitter_email)


@admin.register(LiteratureSource)
class LiteratureSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ResearchGap)
class ResearchGapAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "status", "contact", "created_at"]
    list_filter = ["status"]
    list_select_related = ["proposal"]
