"""Follow-up in the admin: read and correct, with history. Steps are made through the services
(pages and API), so the admin shows the state fields read-only and adds nothing."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Adoption, AdoptionStep, Evaluation, HtaDecision, Measure, Pilot, Usefulness


class NoAdd:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(NoAdd, admin.TabularInline):
    model = AdoptionStep
    extra = 0
    can_delete = False
    readonly_fields = ["status", "reason", "on", "note", "actor", "recorded_at"]


@admin.register(Adoption)
class AdoptionAdmin(NoAdd, SimpleHistoryAdmin):
    list_display = ["publication", "municipality", "unit", "status", "decided_on", "evaluation_due"]
    list_filter = ["status"]
    list_select_related = ["publication", "municipality", "unit"]
    search_fields = ["publication__title", "municipality__name"]
    readonly_fields = ["publication", "municipality", "unit", "status", "reason", "decided_on"]
    raw_id_fields = ["contact"]
    inlines = [StepInline]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(NoAdd, SimpleHistoryAdmin):
    list_display = ["adoption", "verdict", "evaluated_on"]
    list_filter = ["verdict", "old_practice"]
    readonly_fields = ["adoption", "recorded_by"]
    inlines = [MeasureInline]


@admin.register(HtaDecision)
class HtaDecisionAdmin(NoAdd, SimpleHistoryAdmin):
    list_display = ["publication", "decision", "decided_on"]
    readonly_fields = ["publication", "recorded_by"]


@admin.register(Pilot)
class PilotAdmin(NoAdd, SimpleHistoryAdmin):
    list_display = ["title", "municipality", "started_on", "evaluation_due"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    # The searchable text changes through the pages and the API, which re-index it.
    readonly_fields = ["title", "description", "findings", "created_by"]
    raw_id_fields = ["publications", "proposals"]


@admin.register(Usefulness)
class UsefulnessAdmin(NoAdd, SimpleHistoryAdmin):
    list_display = ["publication", "useful", "updated_at"]
    list_filter = ["useful"]
    readonly_fields = ["publication", "user"]
