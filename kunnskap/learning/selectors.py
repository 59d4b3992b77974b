"""Reads of Kunnskapsbroen: teams, cases, events and their participants, and the counts the
public and the insights page see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kunnskap.accounts import policy

from .models import (
    Attendance,
    Case,
    CaseStatus,
    CourseAssessment,
    Event,
    Membership,
    Registration,
    RegistrationStatus,
    Resource,
    Team,
    TeamKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User
    from kunnskap.organisations.models import Hub


def teams_for(user: User | AnonymousUser) -> QuerySet[Team]:
    return (
        Team.objects.visible_to(user)
        .select_related("hub", "municipality", "unit", "researcher_team")
        .annotate(
            member_count=Count("memberships", distinct=True),
            open_cases=Count("cases", filter=Q(cases__status=CaseStatus.OPEN), distinct=True),
        )
        .order_by("hub__name", "name")
    )


def team_members(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("role", "user__full_name", "pk")


def team_resources(team: Team) -> QuerySet[Resource]:
    """The method team's tools for this team: its own and the hub's general ones."""
    return Resource.objects.filter(
        Q(team=team) | Q(hub_id=team.hub_id, team=None, event=None)
    ).order_by("kind", "title")


def cases_for_researcher_team(team: Team) -> QuerySet[Case]:
    """The cases the researcher team's KBP teams bring."""
    return (
        Case.objects.filter(team__researcher_team=team)
        .select_related("team", "leader", "mentor")
        .order_by("-opened_at")
    )


def teams_per_municipality(hub: Hub | None = None) -> list[dict[str, Any]]:
    """The public's view of the teams: how many KBP teams each municipality has."""
    teams = Team.objects.filter(kind=TeamKind.KBP)
    if hub is not None:
        teams = teams.filter(hub=hub)
    rows = (
        teams.values("municipality__number", "municipality__name")
        .annotate(teams=Count("pk"))
        .order_by("municipality__name")
    )
    return [dict(row) for row in rows]


def published_results(limit: int = 10) -> list[Case]:
    """What the public sees of the teams' work: cases that found knowledge, and research needs
    once screening has accepted the need (an unscreened need's text is its hub's)."""
    return list(
        Case.objects.filter(
            Q(status=CaseStatus.KNOWLEDGE_FOUND)
            | Q(status=CaseStatus.RESEARCH_NEED, proposal__accepted_at__isnull=False)
        )
        .select_related("team__municipality", "proposal")
        .prefetch_related("publications")
        .order_by("-closed_at", "-pk")[:limit]
    )


def case_outcomes() -> list[dict[str, Any]]:
    """Cases by how they ended (open ones included)."""
    counts = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    return [
        {"status": status, "label": label, "count": counts.get(status, 0)}
        for status, label in CaseStatus.choices
    ]


def case_detail(case_id: int, user: User | AnonymousUser) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related(
        "team",
        "team__hub",
        "team__municipality",
        "team__researcher_team",
        "leader",
        "mentor",
        "proposal",
        "research_gap",
    )


def upcoming_events(hub: Hub | None = None) -> QuerySet[Event]:
    events = Event.objects.upcoming().filter(is_cancelled=False).select_related("hub")
    if hub is not None:
        events = events.filter(hub=hub)
    return events.annotate(
        registered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            distinct=True,
        ),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITING),
            distinct=True,
        ),
    ).prefetch_related("sessions")


def event_counts(event: Event) -> dict[str, int]:
    counts = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "registered": counts.get(RegistrationStatus.REGISTERED, 0),
        "waiting": counts.get(RegistrationStatus.WAITING, 0),
    }


def participants(event: Event) -> QuerySet[Registration]:
    """The organisers' list: registered and waiting, by municipality, with attendance."""
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "attendances", queryset=Attendance.objects.only("session_id", "registration_id")
            )
        )
        .order_by("status", "municipality__name", "sequence")
    )


def participants_per_municipality(event: Event) -> list[dict[str, Any]]:
    rows = (
        event.registrations.filter(status=RegistrationStatus.REGISTERED)
        .values("municipality__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "municipality__name")
    )
    return [dict(row) for row in rows]


def course_assessments(event: Event, user: User | AnonymousUser) -> dict[str, list[Any]]:
    """The course's mini-HTAs: published ones for everyone, the rest for its organisers."""
    links = CourseAssessment.objects.filter(event=event).select_related(
        "assessment", "assessment__municipality", "assessment__publication"
    )
    published = [link.assessment for link in links if link.assessment.status == "published"]
    working = (
        [link.assessment for link in links if link.assessment.status != "published"]
        if policy.may_organise(user, event)
        else []
    )
    return {"published": published, "working": working}


def insights() -> dict[str, Any]:
    """Kunnskapsbroen in numbers: teams, cases, participants, attendance, course mini-HTAs."""
    per_event = list(
        Event.objects.annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITING),
                distinct=True,
            ),
            attended=Count("registrations__attendances", distinct=True),
            sessions_count=Count("sessions", distinct=True),
            assessments=Count("course_assessments", distinct=True),
            published=Count(
                "course_assessments",
                filter=Q(course_assessments__assessment__status="published"),
                distinct=True,
            ),
        )
        .select_related("hub")
        .order_by("-created_at")[:50]
    )
    per_municipality = list(
        Registration.objects.filter(status=RegistrationStatus.REGISTERED)
        .values("municipality__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "municipality__name")
    )
    return {
        "teams": teams_per_municipality(),
        "cases": case_outcomes(),
        "events": per_event,
        "participants": per_municipality,
    }
