"""Reads of the library: search with facets, one publication with the needs it answers.

A text query goes to the shared search engine, which returns its best CANDIDATES publications
with scores and snippets; filters and facets are then counted in memory over those, or in the
database over the whole library when there is no text. Each facet counts what the other
filters leave, so a visitor sees how many she would get by choosing an option. The query count
is the same for 10 or 100,000 publications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear

from kunnskap.commissions.models import Producer
from kunnskap.proposals.models import Endorsement, Proposal
from kunnskap.search.selectors import CANDIDATES, Hit, search
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme

from .models import Publication, PublicationQuerySet, PublicationStatus
from .services import SEARCH_KIND

PER_PAGE = 20
RELEVANCE, NEWEST = "relevance", "newest"


@dataclass(frozen=True)
class LibraryQuery:
    q: str = ""
    kind: str = ""
    theme: str = ""
    service_area: str = ""
    year: int | None = None
    producer: int | None = None
    status: str = ""
    sort: str = RELEVANCE


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    options: list[Option]


@dataclass
class Results:
    page: Page
    facets: dict[str, Facet]
    count: int
    capped: bool  # the text matched more than the engine's candidates: the best are shown
    hits: dict[int, Hit] = field(default_factory=dict)


def _filters(query: LibraryQuery) -> dict[str, Q]:
    values: dict[str, tuple[Any, Q]] = {
        "kind": (query.kind, Q(kind=query.kind)),
        "theme": (query.theme, Q(themes__key=query.theme)),
        "service_area": (query.service_area, Q(service_areas__key=query.service_area)),
        "year": (query.year, Q(published_on__year=query.year)),
        "producer": (query.producer, Q(producer_id=query.producer)),
        "status": (query.status, Q(status=query.status)),
    }
    return {name: condition for name, (value, condition) in values.items() if value}


def _except(base: QuerySet[Publication], filters: dict[str, Q], name: str) -> QuerySet:
    for other, condition in filters.items():
        if other != name:
            base = base.filter(condition)
    return base


FACETS = ("kind", "status", "theme", "service_area", "year", "producer")


def _counts_in_database(
    base: QuerySet[Publication], filters: dict[str, Q]
) -> dict[str, dict[Any, int]]:
    """Each facet's counts over the whole library: a grouped query per facet."""
    counted = Count("pk", distinct=True)
    rows = {
        "kind": _except(base, filters, "kind").values_list("kind").annotate(n=counted),
        "status": _except(base, filters, "status").values_list("status").annotate(n=counted),
        "theme": _except(base, filters, "theme")
        .exclude(themes=None)
        .values_list("themes__key")
        .annotate(n=counted),
        "service_area": _except(base, filters, "service_area")
        .exclude(service_areas=None)
        .values_list("service_areas__key")
        .annotate(n=counted),
        "year": _except(base, filters, "year")
        .exclude(published_on=None)
        .annotate(y=ExtractYear("published_on"))
        .values_list("y")
        .annotate(n=counted),
        "producer": _except(base, filters, "producer")
        .exclude(producer=None)
        .values_list("producer_id")
        .annotate(n=counted),
    }
    return {name: dict(qs.order_by()) for name, qs in rows.items()}


def _counts_in_memory(
    base: QuerySet[Publication], query: LibraryQuery
) -> tuple[dict[str, dict[Any, int]], list[int]]:
    """Each facet's counts over a text search's candidates (at most CANDIDATES), and the ids
    that every filter leaves: three queries, where a grouped query per facet took six, each
    carrying the candidates' ids (15 of a search's 50 ms on PostgreSQL at 100,000)."""
    values: dict[int, dict[str, set[Any]]] = {}
    for pk, kind, status, published_on, producer in base.values_list(
        "pk", "kind", "status", "published_on", "producer_id"
    ):
        values[pk] = {
            "kind": {kind},
            "status": {status},
            "year": {published_on.year} if published_on else set(),
            "producer": {producer} if producer else set(),
            "theme": set(),
            "service_area": set(),
        }
    for name, through, column in (
        ("theme", Publication.themes.through, "theme__key"),
        ("service_area", Publication.service_areas.through, "servicearea__key"),
    ):
        for pk, key in through.objects.filter(publication_id__in=list(values)).values_list(
            "publication_id", column
        ):
            values[pk][name].add(key)
    wanted = {
        "kind": query.kind,
        "status": query.status,
        "theme": query.theme,
        "service_area": query.service_area,
        "year": query.year,
        "producer": query.producer,
    }
    chosen = {name: value for name, value in wanted.items() if value}
    counts: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
    matching = []
    for pk, row in values.items():
        failed = [name for name, value in chosen.items() if value not in row[name]]
        if not failed:
            matching.append(pk)
        for name in FACETS:
            if not failed or failed == [name]:  # what the other filters leave
                for value in row[name]:
                    counts[name][value] = counts[name].get(value, 0) + 1
    return counts, matching


def _facets(counts: dict[str, dict[Any, int]], query: LibraryQuery) -> dict[str, Facet]:
    kinds = dict(PublicationKind.choices)
    statuses = dict(PublicationStatus.choices)
    if query.status != PublicationStatus.WITHDRAWN:
        statuses.pop(PublicationStatus.WITHDRAWN)
    themes = {t.key: t.label for t in Theme.objects.filter(key__in=counts["theme"])}
    areas = {a.key: a.label for a in ServiceArea.objects.filter(key__in=counts["service_area"])}
    producers = dict(Producer.objects.filter(pk__in=counts["producer"]).values_list("pk", "name"))
    selected = {
        "kind": query.kind,
        "status": query.status,
        "theme": query.theme,
        "service_area": query.service_area,
        "year": str(query.year or ""),
        "producer": str(query.producer or ""),
    }

    def facet(name: str, labels: dict[Any, Any], order: str = "count") -> Facet:
        items = [
            Option(str(value), str(labels.get(value, value)), n, str(value) == selected[name])
            for value, n in counts[name].items()
            if value in labels or name == "year"
        ]
        if order == "count":
            items.sort(key=lambda o: (-o.count, o.label))
        else:
            items.sort(key=lambda o: o.value, reverse=True)
        return Facet(name, items)

    return {
        "kind": facet("kind", kinds),
        "theme": facet("theme", themes),
        "service_area": facet("service_area", areas),
        "year": facet("year", {}, order="value"),
        "producer": facet("producer", producers),
        "status": facet("status", statuses),
    }


def _by_date(publications: PublicationQuerySet) -> PublicationQuerySet:
    return publications.for_lists().order_by(
        F("published_on").desc(nulls_last=True), F("expected_on").desc(nulls_last=True), "-pk"
    )


def library_search(
    query: LibraryQuery, *, page: int | str | None = 1, per_page: int = PER_PAGE
) -> Results:
    base = Publication.objects.all()
    if query.status != PublicationStatus.WITHDRAWN:
        base = base.visible()
    paginator: Paginator[Any]
    text = query.q.strip()
    if not text:
        filters = _filters(query)
        matching = base
        for condition in filters.values():
            matching = matching.filter(condition)
        if filters.keys() & {"theme", "service_area"}:
            matching = matching.distinct()
        facets = _facets(_counts_in_database(base, filters), query)
        paginator = Paginator(_by_date(matching), per_page)
        current = paginator.get_page(page)
        return Results(page=current, facets=facets, count=paginator.count, capped=False)
    found = search(text, kinds=(SEARCH_KIND,), limit=CANDIDATES)
    hits = {int(hit.key): hit for hit in found}
    counts, ids = _counts_in_memory(base.filter(pk__in=list(hits)), query)
    facets = _facets(counts, query)
    if query.sort == NEWEST:
        paginator = Paginator(_by_date(Publication.objects.filter(pk__in=ids)), per_page)
        current = paginator.get_page(page)
    else:
        paginator = Paginator(sorted(ids, key=lambda pk: (-hits[pk].score, pk)), per_page)
        current = paginator.get_page(page)
        rows = Publication.objects.for_lists().in_bulk(list(current.object_list))
        current.object_list = [rows[pk] for pk in current.object_list if pk in rows]
    capped = len(found) >= CANDIDATES
    return Results(page=current, facets=facets, count=paginator.count, capped=capped, hits=hits)


def publication_detail(pk: int) -> Publication:
    return Publication.objects.for_lists().prefetch_related("themes", "service_areas").get(pk=pk)


def answered_needs(publication: Publication) -> QuerySet[Proposal]:
    """The public needs this publication answers."""
    return publication.proposals.public().select_related("municipality").order_by("public_id")


def asking_municipalities(publication: Publication) -> list[str]:
    """Every municipality that asked: the needs' own and those that endorsed them."""
    return list(
        Endorsement.objects.counted()
        .filter(proposal__in=publication.proposals.public())
        .values_list("municipality__name", flat=True)
        .distinct()
        .order_by("municipality__name")
    )


def latest(*, kind: str = "", theme: str = "", limit: int = 30) -> QuerySet[Publication]:
    """The newest published and started work, for feeds."""
    queryset = Publication.objects.visible().for_lists()
    if kind:
        queryset = queryset.filter(kind=kind)
    if theme:
        queryset = queryset.filter(themes__key=theme)
    return queryset.order_by("-updated_at", "-pk")[:limit]
