from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Criterion, Entry, Member, Round


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "key", "label", "help_text", "scale_max", "weight"]


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["user", "is_chair", "submitted_at"]
    readonly_fields = ["submitted_at"]
    autocomplete_fields = ["user"]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "hub", "stage", "committee_meeting", "decision_meeting", "capacity"]
    list_filter = ["stage", "hub"]
    search_fields = ["name"]
    readonly_fields = ["stage", "recommended_at", "scoring_closed_at"]
    inlines = [CriterionInline, MemberInline]


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    # The recommendation and the decision are written by the services only.
    list_display = ["proposal", "round", "rank", "recommended", "decision", "decided_on"]
    list_filter = ["round", "decision"]
    list_select_related = ["proposal", "round"]
    readonly_fields = [
        "round",
        "proposal",
        "carried_from",
        "rank",
        "total",
        "agreement",
        "raters",
        "criterion_means",
        "flagged",
        "recommended",
        "deviation_reason",
        "decision",
        "rationale",
        "decided_on",
        "deferred_to",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
