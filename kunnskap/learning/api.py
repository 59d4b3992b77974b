"""Kunnskapsbroen in the API: events and registrations (with the waiting list), teams and their
cases. The permissions are the pages' (kunnskap.accounts.policy)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kunnskap.accounts import policy
from kunnskap.accounts.api_auth import ANYONE, SIGNED_IN
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import ApiRequest, SignedInApiRequest
from kunnskap.lookups import visible_or_404
from kunnskap.organisations.models import Hub, Municipality, Region
from kunnskap.pagination import Pagination
from kunnskap.proposals.services import client_fingerprint

from . import selectors, services
from .models import Case, Event, Registration, Team

router = Router(tags=["kunnskapsbroen"], auth=ANYONE)


class SessionSchema(Schema):
    starts_at: datetime
    ends_at: datetime
    place: str = Field(min_length=1, max_length=300)


class EventIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["workshop", "course", "network", "webinar"]
    hub: int = Field(description="The id of the hub that organises the event.")
    capacity: int = Field(ge=1, le=100_000)
    registration_deadline: datetime
    sessions: list[SessionSchema] = Field(min_length=1, max_length=20)
    description: str = Field("", max_length=4000)
    municipalities: list[str] = Field(default_factory=list, description="Audience: numbers.")
    regions: list[str] = Field(default_factory=list, description="Audience: KSF regions' names.")


class EventOut(Schema):
    id: int
    title: str
    kind: str
    hub: str
    capacity: int
    registration_deadline: datetime
    sessions: list[SessionSchema]
    registered: int
    waiting: int
    ics_url: str
    url: str

    @staticmethod
    def resolve_hub(event: Event) -> str:
        return event.hub.name

    @staticmethod
    def resolve_sessions(event: Event) -> list[SessionSchema]:
        return [
            SessionSchema(starts_at=s.starts_at, ends_at=s.ends_at, place=s.place)
            for s in event.sessions.all()
        ]

    @staticmethod
    def resolve_registered(event: Event) -> int:
        counted = getattr(event, "registered", None)  # annotated on lists
        return counted if counted is not None else selectors.event_counts(event)["registered"]

    @staticmethod
    def resolve_waiting(event: Event) -> int:
        counted = getattr(event, "waiting", None)
        return counted if counted is not None else selectors.event_counts(event)["waiting"]

    @staticmethod
    def resolve_ics_url(event: Event) -> str:
        return settings.SITE_URL + reverse("learning:event_ics", args=[event.pk])

    @staticmethod
    def resolve_url(event: Event) -> str:
        return settings.SITE_URL + event.get_absolute_url()


class RegistrationIn(Schema):
    name: str = Field("", max_length=200, description="Filled from the account when signed in.")
    email: str = Field("", max_length=254, description="Filled from the account when signed in.")
    municipality: str = Field("", max_length=4, description="A municipality's number.")


class RegistrationOut(Schema):
    id: int
    status: Literal["registered", "waiting"]
    position: int | None = Field(description="The place on the waiting list; null when registered.")
    cancel_token: str = Field(
        "", description="Only in the answer to the registration: DELETE with it to cancel."
    )


class CancelledOut(Schema):
    id: int
    status: str


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    hub: str
    municipality: str | None
    url: str

    @staticmethod
    def resolve_hub(team: Team) -> str:
        return team.hub.name

    @staticmethod
    def resolve_municipality(team: Team) -> str | None:
        return team.municipality_id

    @staticmethod
    def resolve_url(team: Team) -> str:
        return settings.SITE_URL + team.get_absolute_url()


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1, max_length=4000)
    population: str = Field("", max_length=4000)
    intervention: str = Field("", max_length=4000)
    comparison: str = Field("", max_length=4000)
    outcome: str = Field("", max_length=4000)


class CaseOut(Schema):
    id: int
    team: int
    title: str
    question: str
    status: str
    leader: str
    url: str

    @staticmethod
    def resolve_team(case: Case) -> int:
        return case.team_id

    @staticmethod
    def resolve_leader(case: Case) -> str:
        return case.leader.full_name or case.leader.email

    @staticmethod
    def resolve_url(case: Case) -> str:
        return settings.SITE_URL + case.get_absolute_url()


@router.get("/events", response=list[EventOut])
@paginate(Pagination)
def event_list(request: ApiRequest, hub: int | None = None) -> object:
    """Upcoming events, soonest first; `hub` narrows to one hub's."""
    target = Hub.objects.filter(pk=hub).first() if hub is not None else None
    if hub is not None and target is None:
        raise FieldError("hub", _("No hub has this id."))
    return selectors.upcoming_events(target).prefetch_related("sessions")


@router.post("/events", response={201: EventOut}, auth=SIGNED_IN)
def event_create(request: SignedInApiRequest, payload: EventIn) -> Status:
    hub = Hub.objects.filter(pk=payload.hub, is_active=True).first()
    if hub is None:
        raise FieldError("hub", _("No hub has this id."))
    municipalities = list(Municipality.objects.filter(number__in=payload.municipalities))
    if len(municipalities) != len(set(payload.municipalities)):
        raise FieldError("municipalities", _("One of the numbers is no municipality."))
    regions = list(Region.objects.filter(name__in=payload.regions))
    if len(regions) != len(set(payload.regions)):
        raise FieldError("regions", _("One of the names is no KSF region."))
    event = services.event_create(
        hub=hub,
        actor=request.auth,
        kind=payload.kind,
        title=payload.title,
        capacity=payload.capacity,
        registration_deadline=payload.registration_deadline,
        description=payload.description,
        sessions=[
            services.SessionInput(starts_at=s.starts_at, ends_at=s.ends_at, place=s.place)
            for s in payload.sessions
        ],
        municipalities=municipalities,
        regions=regions,
    )
    return Status(201, event)


@router.get("/events/{event_id}", response=EventOut)
def event_get(request: ApiRequest, event_id: int) -> Event:
    return visible_or_404(Event.objects.visible_to(request.auth).select_related("hub"), pk=event_id)


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut})
def registration_create(request: ApiRequest, event_id: int, payload: RegistrationIn) -> Status:
    """Anyone registers (rate-limited per client); signed in, the account fills what is left out."""
    event = visible_or_404(Event.objects.visible_to(request.auth), pk=event_id)
    user = request.auth if request.auth.is_authenticated else None
    name = payload.name or (getattr(user, "full_name", "") if user else "")
    email = payload.email or (getattr(user, "email", "") if user else "")
    number = payload.municipality or (getattr(user, "municipality_id", "") or "" if user else "")
    municipality = Municipality.objects.filter(number=number).first() if number else None
    if number and municipality is None:
        raise FieldError("municipality", _("No municipality has this number."))
    placed = services.registration_create(
        event=event,
        name=name,
        email=email,
        municipality=municipality,
        user=user,
        client="" if user else client_fingerprint(request),
    )
    return Status(
        201,
        RegistrationOut(
            id=placed.registration.pk,
            status="waiting" if placed.registration.status == "waiting" else "registered",
            position=placed.position,
            cancel_token=placed.token,
        ),
    )


@router.delete("/registrations/{registration_id}", response=CancelledOut)
def registration_cancel(request: ApiRequest, registration_id: int, token: str = "") -> CancelledOut:
    """Cancel with the token from the registration (`?token=`), or as an organiser."""
    registration = None
    if token:
        found = services.registration_for_token(token)
        if found is not None and found.pk == registration_id:
            registration = services.registration_cancel_by_token(token=token)
    elif request.auth.is_authenticated:
        mine = Registration.objects.filter(pk=registration_id).select_related("event").first()
        if mine is not None and (
            policy.may_organise(request.auth, mine.event) or mine.user_id == request.auth.pk
        ):
            registration = services.registration_cancel(registration=mine, actor=request.auth)
        elif mine is not None:
            raise PermissionDenied(_("You may not do this."))
    if registration is None:
        from django.http import Http404

        raise Http404(_("Not found."))
    return CancelledOut(id=registration.pk, status=registration.status)


@router.get("/teams", response=list[TeamOut], auth=SIGNED_IN)
@paginate(Pagination)
def team_list(request: SignedInApiRequest) -> object:
    """The teams the caller may see."""
    return selectors.teams_for(request.auth)


@router.post("/teams/{team_id}/cases", response={201: CaseOut}, auth=SIGNED_IN)
def case_create(request: SignedInApiRequest, team_id: int, payload: CaseIn) -> Status:
    team = visible_or_404(Team.objects.visible_to(request.auth), pk=team_id)
    case = services.case_open(team=team, actor=request.auth, **payload.dict())
    return Status(201, case)
