"""Follow-up in the API: adoptions of a product, evaluations, the pilot register and its
search, and the adoption statistics. The same services and policy as the pages."""

from datetime import date
from typing import Any, Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from kunnskap.accounts import policy
from kunnskap.accounts.api_auth import ANYONE, SIGNED_IN
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import ApiRequest, SignedInApiRequest
from kunnskap.library.models import Publication
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.pagination import Pagination
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import ServiceArea, Theme

from . import selectors, services
from .models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Evaluation,
    NotAdoptedReason,
    OldPractice,
    Pilot,
    Verdict,
)

router = Router(tags=["follow-up"], auth=ANYONE)


def _private(context: dict[str, Any], municipality_id: str) -> bool:
    """May the caller read this municipality's notes? Asked once per municipality and request."""
    request = context["request"]
    cache = request.__dict__.setdefault("_followup_notes", {})
    if municipality_id not in cache:
        cache[municipality_id] = policy.may_see_adoption_notes(request.auth, municipality_id)
    return cache[municipality_id]


class StepOut(Schema):
    status: str
    reason: str
    on: date
    note: str | None = Field(None, description="Only for the municipality and its hub.")


class AdoptionOut(Schema):
    id: int
    publication: int
    municipality: str
    unit: str | None
    status: str
    reason: str
    note: str | None = Field(None, description="Only for the municipality and its hub.")
    decided_on: date
    evaluation_due: date | None
    history: list[StepOut]

    @staticmethod
    def resolve_publication(a: Adoption) -> int:
        return a.publication_id

    @staticmethod
    def resolve_municipality(a: Adoption) -> str:
        return a.municipality_id

    @staticmethod
    def resolve_unit(a: Adoption) -> str | None:
        return a.unit.name if a.unit else None

    @staticmethod
    def resolve_note(a: Adoption, context: dict[str, Any]) -> str | None:
        return a.note if _private(context, a.municipality_id) else None

    @staticmethod
    def resolve_history(a: Adoption, context: dict[str, Any]) -> list[dict[str, Any]]:
        private = _private(context, a.municipality_id)
        return [
            {
                "status": step.status,
                "reason": step.reason,
                "on": step.on,
                "note": step.note if private else None,
            }
            for step in a.steps.all()
        ]


class AdoptionIn(Schema):
    status: Literal["considering", "decided_to_adopt", "in_use", "not_adopted"]
    municipality: str | None = Field(
        None, description="Municipality number; the caller's own when left out."
    )
    unit: str | None = Field(None, description="A unit's name or id in the municipality.")
    reason: Literal["", "not_relevant", "too_costly", "evidence_too_weak", "other"] = ""
    note: str = Field("", max_length=NOTE_MAX)
    decided_on: date | None = Field(None, description="The step's date; today when left out.")
    evaluation_due: date | None = Field(
        None, description="With `in_use`: when to evaluate (12 months on when left out)."
    )


class MeasureIO(Schema):
    what: str = Field(min_length=1, max_length=300)
    before: float | None = Field(None, allow_inf_nan=False)
    after: float | None = Field(None, allow_inf_nan=False)
    unit: str = Field("", max_length=60)


class EvaluationIn(Schema):
    verdict: Literal["worked", "partly", "did_not_work", "too_early"]
    old_practice: Literal["stopped", "partly", "continues", "not_applicable"]
    evaluated_on: date | None = None
    cost: str = Field("", max_length=500)
    note: str = Field("", max_length=TEXT_MAX)
    measures: list[MeasureIO] = Field(default_factory=list, max_length=20)


class EvaluationOut(Schema):
    id: int
    adoption: int
    evaluated_on: date
    verdict: str
    old_practice: str
    cost: str
    note: str
    measures: list[MeasureIO]


class PilotOut(Schema):
    id: int
    title: str
    description: str
    municipality: str
    service_area: str | None
    theme: str | None
    started_on: date
    evaluation_due: date | None
    contact_role: str
    findings: str
    publications: list[int]
    proposals: list[str]
    page: str

    @staticmethod
    def resolve_municipality(p: Pilot) -> str:
        return p.municipality_id

    @staticmethod
    def resolve_service_area(p: Pilot) -> str | None:
        return p.service_area.key if p.service_area else None

    @staticmethod
    def resolve_theme(p: Pilot) -> str | None:
        return p.theme.key if p.theme else None

    @staticmethod
    def resolve_publications(p: Pilot) -> list[int]:
        return [publication.pk for publication in p.publications.all()]

    @staticmethod
    def resolve_proposals(p: Pilot) -> list[str]:
        # Only needs the public may see (accepted by screening) are named.
        return [need.public_id for need in p.proposals.all() if need.accepted_at is not None]

    @staticmethod
    def resolve_page(p: Pilot, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(p.get_absolute_url())


class PilotIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(min_length=1, max_length=TEXT_MAX)
    municipality: str | None = Field(
        None, description="Municipality number; the caller's own when left out."
    )
    service_area: str | None = None
    theme: str | None = None
    started_on: date
    evaluation_due: date | None = None
    contact_role: str = Field(min_length=1, max_length=200)
    findings: str = Field("", max_length=TEXT_MAX)
    publications: list[int] = Field(default_factory=list)
    proposals: list[str] = Field(default_factory=list)


class PilotFilters(Schema):
    theme: str | None = None
    service_area: str | None = None
    municipality: str | None = None


class PilotSearch(Schema):
    q: str = Field(min_length=1, max_length=500)
    limit: int = Field(10, ge=1, le=50)


class PilotHit(Schema):
    id: int
    title: str
    municipality: str
    started_on: date
    score: float
    url: str


class PilotSearchOut(Schema):
    count: int
    items: list[PilotHit]


def _adoptions() -> Any:
    return Adoption.objects.select_related("unit").prefetch_related(
        Prefetch("steps", queryset=AdoptionStep.objects.order_by("on", "pk"))
    )


def _municipality(number: str | None, user: Any) -> Municipality:
    if number is None:
        own = getattr(user, "municipality", None)
        if own is None:
            raise FieldError(
                "municipality", _("Your account belongs to no municipality: name one.")
            )
        return own
    found = Municipality.objects.filter(number=number).first()
    if found is None:
        raise FieldError("municipality", _("No municipality has this number."))
    return found


@router.get("/publications/{publication_id}/adoptions", response=list[AdoptionOut])
@paginate(Pagination)
def adoption_list(request: ApiRequest, publication_id: int, **kwargs: Any):
    """Which municipalities consider, use or evaluated the product; notes only for their own."""
    publication = get_object_or_404(Publication.objects.visible_to(request.auth), pk=publication_id)
    return _adoptions().filter(publication=publication).order_by("municipality_id", "pk")


@router.post(
    "/publications/{publication_id}/adoptions", response={201: AdoptionOut}, auth=SIGNED_IN
)
def adoption_create(request: SignedInApiRequest, publication_id: int, payload: AdoptionIn):
    """Record the next step of the caller's municipality (or, for hub staff, of a municipality
    of the hub) with a product."""
    publication = get_object_or_404(Publication.objects.visible_to(request.auth), pk=publication_id)
    municipality = _municipality(payload.municipality, request.auth)
    if not policy.may_record_for(request.auth, municipality.pk):
        raise HttpError(403, _("You record what your own municipality does."))
    unit = None
    if payload.unit:
        units = Unit.objects.filter(municipality=municipality)
        unit = (
            units.filter(pk=int(payload.unit)).first()
            if payload.unit.isdigit() and len(payload.unit) < 10
            else units.filter(name__iexact=payload.unit.strip()).first()
        )
        if unit is None:
            raise FieldError("unit", _("The municipality has no such unit."))
    adoption = services.adoption_record(
        publication=publication,
        municipality=municipality,
        unit=unit,
        actor=request.auth,
        status=payload.status,
        reason=payload.reason,
        note=payload.note,
        on=payload.decided_on,
        evaluation_due=payload.evaluation_due,
    )
    return Status(201, _adoptions().get(pk=adoption.pk))


@router.get("/adoptions/{adoption_id}", response=AdoptionOut)
def adoption_read(request: ApiRequest, adoption_id: int):
    visible = Adoption.objects.visible_to(request.auth).values("pk")
    return get_object_or_404(_adoptions().filter(pk__in=visible), pk=adoption_id)


@router.post("/adoptions/{adoption_id}/evaluations", response={201: EvaluationOut}, auth=SIGNED_IN)
def evaluation_create(request: SignedInApiRequest, adoption_id: int, payload: EvaluationIn):
    """Record what the use changed: verdict, measures, cost, and whether the old was stopped."""
    adoption = get_object_or_404(Adoption.objects.visible_to(request.auth), pk=adoption_id)
    evaluation = services.evaluation_record(
        adoption=adoption,
        actor=request.auth,
        verdict=payload.verdict,
        old_practice=payload.old_practice,
        evaluated_on=payload.evaluated_on,
        cost=payload.cost,
        note=payload.note,
        measures=[services.MeasureInput(**m.dict()) for m in payload.measures],
    )
    return Status(201, _evaluation_out(evaluation))


def _evaluation_out(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "adoption": evaluation.adoption_id,
        "evaluated_on": evaluation.evaluated_on,
        "verdict": evaluation.verdict,
        "old_practice": evaluation.old_practice,
        "cost": evaluation.cost,
        "note": evaluation.note,
        "measures": [
            {"what": m.what, "before": m.before, "after": m.after, "unit": m.unit}
            for m in evaluation.measures.all()
        ],
    }


def _pilots() -> Any:
    return Pilot.objects.for_lists().prefetch_related(
        Prefetch("publications", queryset=Publication.objects.only("pk")),
        Prefetch("proposals", queryset=Proposal.objects.only("pk", "public_id", "accepted_at")),
    )


@router.get("/pilots/search", response=PilotSearchOut)
def pilot_search(request: ApiRequest, query: Query[PilotSearch]):
    """The pilots most like the text, best first (the shared Norwegian search engine)."""
    from kunnskap.search import selectors as search

    hits = search.search(query.q, kinds=[services.PILOT_KIND], limit=query.limit)
    pilots = Pilot.objects.select_related("municipality").in_bulk([int(h.key) for h in hits])
    items = [
        PilotHit(
            id=pilot.pk,
            title=pilot.title,
            municipality=pilot.municipality_id,
            started_on=pilot.started_on,
            score=round(hit.score, 4),
            url=request.build_absolute_uri(pilot.get_absolute_url()),
        )
        for hit in hits
        if (pilot := pilots.get(int(hit.key))) is not None
    ]
    return PilotSearchOut(count=len(items), items=items)


@router.get("/pilots", response=list[PilotOut])
@paginate(Pagination)
def pilot_list(request: ApiRequest, filters: Query[PilotFilters], **kwargs: Any):
    """The register, newest first."""
    rows = _pilots().order_by("-started_on", "-pk")
    if filters.theme:
        rows = rows.filter(theme__key=filters.theme)
    if filters.service_area:
        rows = rows.filter(service_area__key=filters.service_area)
    if filters.municipality:
        rows = rows.filter(municipality_id=filters.municipality)
    return rows


def _by_key(model: Any, key: str | None, field: str) -> Any:
    if not key:
        return None
    found = model.objects.filter(key=key).first()
    if found is None:
        raise FieldError(field, _("Unknown key: %(key)s.") % {"key": key})
    return found


@router.post("/pilots", response={201: PilotOut}, auth=SIGNED_IN)
def pilot_create(request: SignedInApiRequest, payload: PilotIn):
    """Register a pilot for the caller's municipality (hub staff: a municipality of the hub)."""
    municipality = _municipality(payload.municipality, request.auth)
    if not policy.may_record_for(request.auth, municipality.pk):
        raise HttpError(403, _("You register pilots for your own municipality."))
    publications = Publication.objects.visible().in_bulk(payload.publications)
    missing = [str(pk) for pk in payload.publications if pk not in publications]
    if missing:
        raise FieldError(
            "publications", _("No product has the number %(ids)s.") % {"ids": ", ".join(missing)}
        )
    ids = [i.strip().upper() for i in payload.proposals]
    needs = {
        p.public_id: p for p in Proposal.objects.visible_to(request.auth).filter(public_id__in=ids)
    }
    unknown = [i for i in ids if i not in needs]
    if unknown:
        raise FieldError(
            "proposals",
            _("No knowledge need has the id %(ids)s.") % {"ids": ", ".join(unknown)},
        )
    pilot = services.pilot_register(
        data=services.PilotInput(
            title=payload.title,
            description=payload.description,
            municipality=municipality,
            started_on=payload.started_on,
            contact_role=payload.contact_role,
            service_area=_by_key(ServiceArea, payload.service_area, "service_area"),
            theme=_by_key(Theme, payload.theme, "theme"),
            evaluation_due=payload.evaluation_due,
            findings=payload.findings,
            publications=[publications[pk] for pk in payload.publications],
            proposals=[needs[i] for i in ids],
        ),
        actor=request.auth,
    )
    return Status(201, _pilots().get(pk=pilot.pk))


@router.get("/pilots/{pilot_id}", response=PilotOut)
def pilot_read(request: ApiRequest, pilot_id: int):
    return get_object_or_404(_pilots(), pk=pilot_id)


class AdoptionStatsQuery(Schema):
    by: Literal["publication", "municipality", "status", "verdict", "pilot_theme", "pilot_region"]


class StatItem(Schema):
    key: str
    label: str
    count: int


class SummaryOut(Schema):
    adoptions: int
    in_use_or_evaluated: int
    evaluated: int
    evaluated_share: float | None
    median_days_to_first_adoption: float | None
    old_practice_stopped: int
    unused_after_12_months: int
    pilots: int


class AdoptionStatsOut(Schema):
    total: int
    items: list[StatItem]
    summary: SummaryOut


@router.get("/stats/adoptions", response=AdoptionStatsOut)
def stats_adoptions(request: ApiRequest, query: Query[AdoptionStatsQuery]):
    """Adoptions per product or municipality, records per status, evaluations per verdict,
    pilots per theme or KSF region; with the summary figures. Public: counts only."""
    rows = selectors.adoption_stats(query.by)
    summary = selectors.adoption_summary(today=timezone.localdate())
    return {
        "total": sum(row.count for row in rows),
        "items": [{"key": r.key, "label": r.label, "count": r.count} for r in rows],
        "summary": summary.__dict__,
    }


# Names the schema documents once, for readers of the OpenAPI page.
__all__ = ["AdoptionStatus", "NotAdoptedReason", "OldPractice", "Verdict", "router"]
