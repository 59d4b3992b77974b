from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, Event, Membership, Registration, Resource, Session, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user", "invited_by")


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "hub", "municipality")
    list_filter = ("kind", "hub")
    search_fields = ("name",)
    inlines = [MembershipInline]
    raw_id_fields = ("municipality", "unit", "researcher_team", "created_by")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("title", "team", "status", "opened_at")
    list_filter = ("status",)
    search_fields = ("title", "question")
    raw_id_fields = ("team", "leader", "mentor", "proposal", "research_gap", "summary_publication")
    filter_horizontal = ("publications",)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "hub", "capacity", "registration_deadline", "is_cancelled")
    list_filter = ("kind", "hub", "is_cancelled")
    search_fields = ("title",)
    inlines = [SessionInline]
    filter_horizontal = ("municipalities", "regions")


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("event", "name", "email", "municipality", "status", "sequence")
    list_filter = ("status",)
    search_fields = ("name", "email")
    raw_id_fields = ("event", "user", "municipality")
    readonly_fields = ("cancel_token_hash", "sequence", "status")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "hub", "event", "team")
    list_filter = ("kind",)
