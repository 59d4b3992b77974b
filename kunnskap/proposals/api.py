"""POST/GET /api/v1/proposals and GET /api/v1/similar (DESIGN.md's contract)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from kunnskap.accounts.api_auth import ANYONE
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import ApiRequest
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.pagination import Pagination
from kunnskap.taxonomy.models import ServiceArea, Theme

from . import selectors, services
from .choices import Source, SubmittedFor
from .choices import Status as ProposalStatus
from .models import (
    PICO_MAX,
    QUESTION_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Endorsement,
    Proposal,
    ProposalEvent,
)

router = Router(tags=["proposals"], auth=ANYONE)


class SubmitterIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)
    position: str = Field("", max_length=200)

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValueError(_("Enter a valid e-mail address.")) from error
        return value


class ProposalIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    question: str = Field(min_length=1, max_length=QUESTION_MAX)
    municipality: str = Field(pattern=r"^\d{4}$", description="Municipality number, e.g. 4601.")
    submitter: SubmitterIn
    background: str = Field("", max_length=TEXT_MAX)
    population: str = Field("", max_length=PICO_MAX)
    intervention: str = Field("", max_length=PICO_MAX)
    comparison: str = Field("", max_length=PICO_MAX)
    outcome: str = Field("", max_length=PICO_MAX)
    unit: str | int | None = Field(None, description="A unit's name or id in the municipality.")
    service_area: str | None = Field(None, description="A service-area key from /taxonomy.")
    theme: str | None = Field(None, description="A theme key from /taxonomy.")
    criteria: dict[str, str] = Field(default_factory=dict)
    decision_deadline: date | None = None
    submitted_for: SubmittedFor = SubmittedFor.MYSELF
    contact_consent: bool = False


class PlaceOut(Schema):
    number: str
    name: str


class EndorsementOut(Schema):
    municipality: PlaceOut
    unit: str | None

    @staticmethod
    def resolve_unit(endorsement: Endorsement) -> str | None:
        return endorsement.unit.name if endorsement.unit else None


class EventOut(Schema):
    at: datetime
    status: str
    note: str

    @staticmethod
    def resolve_status(event: ProposalEvent) -> str:
        return event.to_status


class SubmitterOut(Schema):
    name: str
    email: str
    position: str


class ProposalOut(Schema):
    id: str = Field(alias="public_id")
    title: str
    question: str
    background: str
    population: str
    intervention: str
    comparison: str
    outcome: str
    status: ProposalStatus
    municipality: PlaceOut
    unit: str | None
    service_area: str | None
    theme: str | None
    criteria: dict[str, str]
    decision_deadline: date | None
    submitted_at: datetime
    endorsements: list[EndorsementOut]
    history: list[EventOut]
    submitter: SubmitterOut | None = Field(None, description="Only for staff who may see it.")

    @staticmethod
    def resolve_unit(proposal: Proposal) -> str | None:
        return proposal.unit.name if proposal.unit else None

    @staticmethod
    def resolve_service_area(proposal: Proposal) -> str | None:
        return proposal.service_area.key if proposal.service_area else None

    @staticmethod
    def resolve_theme(proposal: Proposal) -> str | None:
        return proposal.theme.key if proposal.theme else None

    @staticmethod
    def resolve_endorsements(proposal: Proposal) -> list[Endorsement]:
        return list(proposal.endorsements.all())

    @staticmethod
    def resolve_history(proposal: Proposal) -> list[ProposalEvent]:
        return list(proposal.public_events)

    @staticmethod
    def resolve_submitter(proposal: Proposal, context: dict) -> dict | None:
        if not selectors.may_see_submitter(context["request"].auth, proposal):
            return None
        return {
            "name": proposal.submitter_name,
            "email": proposal.submitter_email,
            "position": proposal.submitter_position,
        }


class CreatedOut(ProposalOut):
    status_url: str = Field(description="The submitter's private status link; shown only now.")


class ProposalFilters(Schema):
    status: ProposalStatus | None = None
    municipality: str = Field("", pattern=r"^(\d{4})?$")
    service_area: str = Field("", max_length=80)
    theme: str = Field("", max_length=80)
    year: int | None = Field(None, ge=2000, le=2100)
    q: str = Field("", max_length=200)


def with_details(proposals):
    return proposals.for_lists().prefetch_related(
        Prefetch(
            "endorsements",
            queryset=Endorsement.objects.counted().select_related("municipality", "unit"),
        ),
        Prefetch(
            "events",
            queryset=ProposalEvent.objects.filter(is_public=True),
            to_attr="public_events",
        ),
    )


def terms_by_key(
    *, service_area: str | None, theme: str | None
) -> tuple[ServiceArea | None, Theme | None]:
    """A payload's service area and theme by key, or a 422 naming the unknown one."""
    found_area = found_theme = None
    if service_area:
        found_area = ServiceArea.objects.active().filter(key=service_area).first()
        if found_area is None:
            raise FieldError(
                "service_area", _("Unknown service area: %(key)s.") % {"key": service_area}
            )
    if theme:
        found_theme = Theme.objects.active().filter(key=theme).first()
        if found_theme is None:
            raise FieldError("theme", _("Unknown theme: %(key)s.") % {"key": theme})
    return found_area, found_theme


def _resolve(payload: ProposalIn) -> services.ProposalInput:
    municipality = Municipality.objects.filter(number=payload.municipality).first()
    if municipality is None:
        raise FieldError(
            "municipality",
            _("There is no municipality with number %(number)s.")
            % {"number": payload.municipality},
        )
    unit = None
    if payload.unit not in (None, ""):
        units = Unit.objects.filter(municipality=municipality, is_active=True)
        unit = (
            units.filter(pk=payload.unit).first()
            if isinstance(payload.unit, int) or str(payload.unit).isdigit()
            else units.filter(name__iexact=str(payload.unit).strip()).first()
        )
        if unit is None:
            raise FieldError(
                "unit",
                _("%(municipality)s has no unit called %(unit)s.")
                % {"municipality": municipality.name, "unit": payload.unit},
            )
    service_area, theme = terms_by_key(service_area=payload.service_area, theme=payload.theme)
    return services.ProposalInput(
        title=payload.title.strip(),
        question=payload.question.strip(),
        municipality=municipality,
        submitter_name=payload.submitter.name.strip(),
        submitter_email=payload.submitter.email,
        submitter_position=payload.submitter.position,
        background=payload.background,
        population=payload.population,
        intervention=payload.intervention,
        comparison=payload.comparison,
        outcome=payload.outcome,
        unit=unit,
        service_area=service_area,
        theme=theme,
        criteria=payload.criteria,
        decision_deadline=payload.decision_deadline,
        submitted_for=payload.submitted_for,
        contact_consent=payload.contact_consent,
    )


@router.post("/proposals", response={201: CreatedOut})
def proposal_create(request: ApiRequest, payload: ProposalIn):
    """Submit a knowledge need; anonymous callers are welcome and rate-limited."""
    user = request.auth if request.auth.is_authenticated else None
    proposal, token = services.proposal_submit(
        data=_resolve(payload),
        source=Source.API,
        client_hash="" if user else services.client_fingerprint(request),
        user=user,
    )
    created = with_details(Proposal.objects).get(pk=proposal.pk)
    created.status_url = services.status_url(token)
    return Status(201, created)


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pagination)
def proposal_list(request: ApiRequest, filters: Query[ProposalFilters]):
    """Needs the caller may see: accepted ones for everyone, all of their hubs for staff."""
    found = selectors.proposal_list(
        scope=selectors.reader_scope(request.auth),
        filters=selectors.ProposalFilters(
            status=filters.status or "",
            municipality=filters.municipality,
            service_area=filters.service_area,
            theme=filters.theme,
            year=filters.year,
            q=filters.q,
        ),
    )
    return with_details(found)


@router.get("/proposals/{public_id}", response=ProposalOut)
def proposal_detail(request: ApiRequest, public_id: str):
    return get_object_or_404(
        with_details(selectors.proposals_visible_to(request.auth)), public_id=public_id
    )


class SimilarOut(Schema):
    type: str
    id: str
    title: str
    score: float
    url: str


class SimilarList(Schema):
    count: int
    items: list[SimilarOut]


class SimilarQuery(Schema):
    text: str = Field(min_length=1, max_length=2000)
    limit: int = Field(5, ge=1, le=50)


@router.get("/similar", response=SimilarList)
def similar(request: HttpRequest, query: Query[SimilarQuery]):
    """Public needs (and, with the library, products) most like the text, best first."""
    items = [
        {
            "type": item.kind,
            "id": item.id,
            "title": item.title,
            "score": item.score,
            "url": request.build_absolute_uri(item.url),
        }
        for item in selectors.similar(query.text, limit=query.limit)
    ]
    return {"count": len(items), "items": items}
