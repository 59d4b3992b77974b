"""The library in the API: create (editors), search, list and read publications."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from kunnskap.accounts.api_auth import ANYONE, SIGNED_IN
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission, can
from kunnskap.api_errors import FieldError
from kunnskap.commissions.models import Producer
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.organisations.models import Municipality
from kunnskap.pagination import MAX_OFFSET, Pagination
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme

from .models import TITLE_MAX, Certainty, Publication, PublicationStatus
from .selectors import LibraryQuery, library_search
from .services import PublicationInput, publication_create

router = Router(tags=["library"], auth=ANYONE)


class PublicationIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    kind: PublicationKind
    summary: str = Field(min_length=1, max_length=20_000)
    status: PublicationStatus = PublicationStatus.PUBLISHED
    key_messages: list[str] = Field(default_factory=list)
    question: str = ""
    population: str = ""
    intervention: str = ""
    comparison: str = ""
    outcome: str = ""
    certainty: Certainty | None = None
    producer: str | None = Field(None, description="A producer's name or short name (FHI).")
    authors: str = ""
    started_on: date | None = None
    expected_on: date | None = None
    published_on: date | None = None
    url: str = ""
    municipality: str | None = Field(None, description="Municipality number, for a mini-HTA.")
    themes: list[str] = Field(default_factory=list, description="Theme keys from /taxonomy.")
    service_areas: list[str] = Field(default_factory=list)
    proposals: list[str] = Field(default_factory=list, description="Ids of needs it answers.")
    source_id: str | None = None


class PublicationOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    summary: str
    key_messages: list[str]
    question: str
    certainty: str
    producer: str | None
    authors: str
    started_on: date | None
    expected_on: date | None
    published_on: date | None
    url: str
    municipality: str | None
    themes: list[str]
    service_areas: list[str]
    proposals: list[str]
    version: int
    page: str

    @staticmethod
    def resolve_key_messages(p: Publication) -> list[str]:
        return p.messages()

    @staticmethod
    def resolve_producer(p: Publication) -> str | None:
        return p.producer.name if p.producer else None

    @staticmethod
    def resolve_municipality(p: Publication) -> str | None:
        return p.municipality_id

    @staticmethod
    def resolve_themes(p: Publication) -> list[str]:
        return [t.key for t in p.themes.all()]

    @staticmethod
    def resolve_service_areas(p: Publication) -> list[str]:
        return [a.key for a in p.service_areas.all()]

    @staticmethod
    def resolve_proposals(p: Publication) -> list[str]:
        return [n.public_id for n in p.proposals.all() if n.accepted_at is not None]

    @staticmethod
    def resolve_page(p: Publication, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(p.get_absolute_url())


class SearchQuery(Schema):
    q: str = Field("", max_length=500)
    kind: PublicationKind | None = None
    theme: str = ""
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class HitOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    score: float | None
    snippet: str = Field(
        description=(
            "HTML, with or without a query: the text escaped, the matched words in <mark>. "
            "Insert it as HTML; never escape it again."
        )
    )
    url: str


class SearchOut(Schema):
    count: int
    items: list[HitOut]


def _by_keys(model: Any, keys: list[str], field: str) -> list[Any]:
    found = {row.key: row for row in model.objects.filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise FieldError(field, _("Unknown keys: %(keys)s.") % {"keys": ", ".join(missing)})
    return [found[key] for key in keys]


def to_input(payload: PublicationIn, user: User | None = None) -> PublicationInput:
    """The API's (and the import's) fields as the service's input, each reference checked.
    With `user`, a need she may not see reads as one that does not exist."""
    producer = None
    if payload.producer:
        producer = Producer.objects.filter(name__iexact=payload.producer).first() or (
            Producer.objects.filter(short_name__iexact=payload.producer).first()
        )
        if producer is None:
            raise FieldError(
                "producer", _("No producer is called %(name)s.") % {"name": payload.producer}
            )
    municipality = None
    if payload.municipality:
        municipality = Municipality.objects.filter(number=payload.municipality).first()
        if municipality is None:
            raise FieldError(
                "municipality",
                _("No municipality has the number %(n)s.") % {"n": payload.municipality},
            )
    proposals = Proposal.objects.visible_to(user) if user is not None else Proposal.objects.all()
    needs = {p.public_id: p for p in proposals.filter(public_id__in=payload.proposals)}
    missing = [i for i in payload.proposals if i not in needs]
    if missing:
        raise FieldError(
            "proposals", _("No knowledge need has the id %(ids)s.") % {"ids": ", ".join(missing)}
        )
    return PublicationInput(
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        status=payload.status,
        key_messages="\n".join(payload.key_messages),
        question=payload.question,
        population=payload.population,
        intervention=payload.intervention,
        comparison=payload.comparison,
        outcome=payload.outcome,
        certainty=payload.certainty or "",
        producer=producer,
        authors=payload.authors,
        started_on=payload.started_on,
        expected_on=payload.expected_on,
        published_on=payload.published_on,
        url=payload.url,
        municipality=municipality,
        source_id=payload.source_id,
        themes=_by_keys(Theme, payload.themes, "themes"),
        service_areas=_by_keys(ServiceArea, payload.service_areas, "service_areas"),
        proposals=[needs[i] for i in payload.proposals],
    )


def _detail() -> Any:
    return Publication.objects.for_lists().prefetch_related("themes", "service_areas", "proposals")


@router.post("/publications", response={201: PublicationOut}, auth=SIGNED_IN)
def create(request: SignedInApiRequest, payload: PublicationIn):
    """Add a publication to the library (editors)."""
    if not can(request.auth, Permission.PUBLISH):
        raise HttpError(403, _("Only editors add publications."))
    publication = publication_create(data=to_input(payload, request.auth), actor=request.auth)
    return Status(201, _detail().get(pk=publication.pk))


@router.get("/publications/search", response=SearchOut)
def search(request: HttpRequest, query: Query[SearchQuery]):
    """Full-text search of the library, best first (or newest first without text)."""
    page_size = query.limit
    if query.offset % page_size:
        raise FieldError("offset", _("The offset must be a multiple of the limit."))
    page_number = query.offset // page_size + 1
    results = library_search(
        LibraryQuery(q=query.q, kind=query.kind or "", theme=query.theme),
        page=page_number,
        per_page=page_size,
    )
    items = [
        HitOut(
            id=p.pk,
            title=p.title,
            kind=p.kind,
            status=p.status,
            score=round(results.hits[p.pk].score, 4) if p.pk in results.hits else None,
            # One rule for both cases: escaped text (conditional_escape leaves the engine's
            # already escaped snippet as it is), so a client never guesses.
            snippet=conditional_escape(
                results.hits[p.pk].snippet if p.pk in results.hits else p.summary[:300]
            ),
            url=request.build_absolute_uri(p.get_absolute_url()),
        )
        for p in results.page.object_list
    ]
    if results.page.number != page_number:  # past the end
        items = []
    return SearchOut(count=results.count, items=items)


@router.get("/publications", response=list[PublicationOut])
@paginate(Pagination)
def publication_list(request: HttpRequest):
    """Every listed publication, newest first."""
    return _detail().visible().order_by("-published_on", "-pk")


@router.get("/publications/{publication_id}", response=PublicationOut)
def publication_read(request: HttpRequest, publication_id: int):
    return get_object_or_404(_detail(), pk=publication_id)
