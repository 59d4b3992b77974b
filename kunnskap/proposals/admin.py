from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kunnskap.operations.admin_actions import personal_data_actions

from . import services
from .models import Endorsement, Proposal, ProposalEvent


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

    def has_add_permission(self, request) -> bool:
        return False  # needs come in through the form, the API or an import (public ids, routing)

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so the change is noted on the timeline and found by search.
        services.proposal_edit(
            proposal=obj,
            actor=request.user,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )
