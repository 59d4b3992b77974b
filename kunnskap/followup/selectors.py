"""Reads of follow-up: a product's use, the pilot register and its search, the evaluations due,
the accountability chain and the statistics. Every list reads a fixed number of queries,
whatever the number of rows (counts are subqueries, not per-row queries)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.rounds.models import Entry, Outcome
from kunnskap.search import selectors as search

from .models import (
    ADOPTED,
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Evaluation,
    OldPractice,
    Pilot,
    Usefulness,
    Verdict,
)
from .services import PILOT_KIND

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User


# A product's page.


@dataclass
class Usage:
    adoptions: list[Adoption]
    by_status: dict[str, int]
    verdicts: list[tuple[str, int]]
    evaluations: list[Evaluation]
    useful: int
    not_useful: int
    mine: Usefulness | None
    comments: list[Usefulness] = field(default_factory=list)


def publication_usage(publication: Publication, user: User | AnonymousUser) -> Usage:
    """Which municipalities use the product, and what they found (public, aggregated); the
    reader's own usefulness answer; the comments for those who may see them."""
    adoptions = list(
        Adoption.objects.filter(publication=publication)
        .select_related("municipality", "unit")
        .order_by("municipality__name", "unit__name")
    )
    evaluations = list(
        Evaluation.objects.filter(adoption__publication=publication)
        .select_related("adoption__municipality", "adoption__unit")
        .prefetch_related("measures")
        .order_by("-evaluated_on", "-pk")
    )
    answers = dict(
        Usefulness.objects.filter(publication=publication)
        .values("useful")
        .annotate(n=Count("pk"))
        .values_list("useful", "n")
    )
    mine = (
        Usefulness.objects.filter(publication=publication, user=user).first()
        if user.is_authenticated
        else None
    )
    comments = (
        list(
            Usefulness.objects.filter(publication=publication)
            .exclude(comment="")
            .select_related("user__municipality")[:50]
        )
        if policy.may_see_usefulness_comments(user, publication)
        else []
    )
    verdicts = Counter(e.verdict for e in evaluations)
    return Usage(
        adoptions=adoptions,
        by_status=dict(Counter(a.status for a in adoptions)),
        verdicts=[(str(Verdict(v).label), verdicts[v]) for v in Verdict.values if verdicts[v]],
        evaluations=evaluations,
        useful=answers.get(True, 0),
        not_useful=answers.get(False, 0),
        mine=mine,
        comments=comments,
    )


def adoption_steps(adoption: Adoption) -> list[AdoptionStep]:
    return list(adoption.steps.select_related("actor").order_by("on", "pk"))


# The pilot register.


def pilot_list(
    *, q: str = "", theme: str = "", service_area: str = ""
) -> QuerySet[Pilot] | list[Pilot]:
    """The register, newest first, or the pilots most like `q`, best first (the shared search
    engine); filtered by theme and service area keys."""
    rows = Pilot.objects.for_lists()
    if theme:
        rows = rows.filter(theme__key=theme)
    if service_area:
        rows = rows.filter(service_area__key=service_area)
    if not q.strip():
        return rows.order_by("-started_on", "-pk")
    hits = search.search(q, kinds=[PILOT_KIND], limit=200)
    order = {int(hit.key): position for position, hit in enumerate(hits)}
    found = rows.filter(pk__in=order)
    return sorted(found, key=lambda pilot: order[pilot.pk])


def similar_pilots(text: str, *, limit: int = 5, exclude: int | None = None) -> list[Pilot]:
    """The pilots most like what someone is typing (the panel beside the form)."""
    if not text.strip():
        return []
    hits = search.search(text, kinds=[PILOT_KIND], limit=limit + 1)
    order = {int(hit.key): position for position, hit in enumerate(hits) if int(hit.key) != exclude}
    pilots = Pilot.objects.for_lists().filter(pk__in=order)
    return sorted(pilots, key=lambda pilot: order[pilot.pk])[:limit]


# Evaluations due.


def my_adoptions(user: User) -> QuerySet[Adoption]:
    """The records of the user's municipality, evaluations due first."""
    if not user.municipality_id:
        return Adoption.objects.none()
    return (
        Adoption.objects.for_lists()
        .filter(municipality_id=user.municipality_id)
        .order_by("evaluation_due", "-decided_on", "pk")
    )


def overdue_evaluations(*, user: User | AnonymousUser, today: date) -> QuerySet[Adoption]:
    """Products in use past their evaluation date, in the municipalities of the user's hubs
    (every one for an administrator), longest overdue first."""
    rows = Adoption.objects.for_lists().filter(
        status=AdoptionStatus.IN_USE, evaluation_due__lt=today
    )
    if not policy.is_admin(user):
        hubs = policy.hub_ids_where(user, policy.Permission.MANAGE_ROUNDS) | policy.hub_ids_where(
            user, policy.Permission.RECORD_ADOPTION
        )
        if not _has_national(hubs):
            rows = rows.filter(
                pk__in=Adoption.objects.filter(
                    Q(municipality__clusters__hub__in=hubs)
                    | Q(municipality__county__region__hub__in=hubs)
                ).values("pk")
            )
    return rows.order_by("evaluation_due", "pk")


def _has_national(hub_ids: frozenset[int]) -> bool:
    from kunnskap.organisations.models import Hub, HubLevel

    return bool(hub_ids) and Hub.objects.filter(pk__in=hub_ids, level=HubLevel.NATIONAL).exists()


# Accountability: need → decision → order → product → adoptions → evaluations.

STEPS = 6


def accountability(
    *, hub: int | None = None, theme: str = "", year: int | None = None
) -> QuerySet[Entry]:
    """The steering groups' decisions to order, with their need, commission and product,
    newest first. The counts are added to a page's rows by `with_counts`: counting them for
    every decision (as the paginator's count of an annotated queryset would) is what costs."""
    rows = Entry.objects.filter(decision=Outcome.COMMISSIONED).select_related(
        "round__hub", "proposal__theme", "proposal__municipality", "commission__publication"
    )
    if hub:
        rows = rows.filter(round__hub_id=hub)
    if theme:
        rows = rows.filter(proposal__theme__key=theme)
    if year:
        rows = rows.filter(decided_on__year=year)
    return rows.order_by("-decided_on", "-pk")


def with_counts(entries: list[Entry]) -> list[Entry]:
    """Set `adopted` (municipalities that decided, use or evaluated the product) and
    `evaluated` (evaluations) on each decision of a page: two grouped queries."""
    ids = [entry.pk for entry in entries]
    adopted = dict(
        Adoption.objects.filter(publication__commission__entry__in=ids, status__in=ADOPTED)
        .values("publication__commission__entry")
        .annotate(n=Count("pk"))
        .values_list("publication__commission__entry", "n")
    )
    evaluated = dict(
        Evaluation.objects.filter(adoption__publication__commission__entry__in=ids)
        .values("adoption__publication__commission__entry")
        .annotate(n=Count("pk"))
        .values_list("adoption__publication__commission__entry", "n")
    )
    for entry in entries:
        vars(entry).update(adopted=adopted.get(entry.pk, 0), evaluated=evaluated.get(entry.pk, 0))
    return entries


def chain(entry: Entry) -> list[tuple[str, bool]]:
    """The six steps of one decision, each done or not (for the progress bar)."""
    commission = getattr(entry, "commission", None)
    publication = getattr(commission, "publication", None) if commission else None
    return [
        (_("Need"), True),
        (_("Decision"), True),
        (_("Commission"), commission is not None),
        (
            _("Product"),
            publication is not None and publication.status == PublicationStatus.PUBLISHED,
        ),
        (_("In use"), getattr(entry, "adopted", 0) > 0),
        (_("Evaluated"), getattr(entry, "evaluated", 0) > 0),
    ]


def progress(entry: Entry) -> int:
    return round(100 * sum(done for _label, done in chain(entry)) / STEPS)


# Statistics.


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    count: int


BY = ("publication", "municipality", "status", "verdict", "pilot_theme", "pilot_region")


def adoption_stats(by: str) -> list[StatRow]:
    """Adoptions (decided, in use, evaluated) per product or municipality; records per status;
    evaluations per verdict; pilots per theme or KSF region. Largest first."""
    rows: Any
    if by == "publication":
        rows = (
            Adoption.objects.filter(status__in=ADOPTED)
            .values("publication", "publication__title")
            .annotate(n=Count("pk"))
        )
        found = [StatRow(str(r["publication"]), r["publication__title"], r["n"]) for r in rows]
    elif by == "municipality":
        rows = (
            Adoption.objects.filter(status__in=ADOPTED)
            .values("municipality", "municipality__name")
            .annotate(n=Count("pk"))
        )
        found = [StatRow(r["municipality"], r["municipality__name"], r["n"]) for r in rows]
    elif by == "status":
        counts = dict(
            Adoption.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        found = [StatRow(s.value, str(s.label), counts.get(s.value, 0)) for s in AdoptionStatus]
    elif by == "verdict":
        counts = dict(
            Evaluation.objects.values("verdict").annotate(n=Count("pk")).values_list("verdict", "n")
        )
        found = [StatRow(v.value, str(v.label), counts.get(v.value, 0)) for v in Verdict]
    elif by == "pilot_theme":
        rows = Pilot.objects.values("theme__key", "theme__label").annotate(n=Count("pk"))
        found = [
            StatRow(r["theme__key"] or "", r["theme__label"] or _("No theme"), r["n"]) for r in rows
        ]
    elif by == "pilot_region":
        rows = Pilot.objects.values(
            "municipality__county__region", "municipality__county__region__name"
        ).annotate(n=Count("pk"))
        found = [
            StatRow(
                str(r["municipality__county__region"] or ""),
                r["municipality__county__region__name"] or _("No region"),
                r["n"],
            )
            for r in rows
        ]
    else:
        raise ValueError(by)
    if by in ("status", "verdict"):
        return found
    return sorted(found, key=lambda row: (-row.count, row.label))


@dataclass(frozen=True)
class Summary:
    adoptions: int
    in_use_or_evaluated: int
    evaluated: int
    evaluated_share: float | None
    median_days_to_first_adoption: float | None
    old_practice_stopped: int
    unused_after_12_months: int
    pilots: int


def adoption_summary(*, today: date) -> Summary:
    """The figures of the follow-up: how much is used, evaluated, and left unused."""
    counts = dict(
        Adoption.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    in_use = counts.get(AdoptionStatus.IN_USE, 0)
    evaluated = counts.get(AdoptionStatus.EVALUATED, 0)
    firsts = (
        Adoption.objects.filter(
            first_adopted_on__isnull=False, publication__published_on__isnull=False
        )
        .values("publication")
        .annotate(first=Min("first_adopted_on"))
        .values_list("publication__published_on", "first")
    )
    days = [max((first - published).days, 0) for published, first in firsts]
    unused = (
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED,
            published_on__lte=today - timedelta(days=365),
        )
        .exclude(adoptions__status__in=ADOPTED)
        .count()
    )
    return Summary(
        adoptions=sum(counts.values()),
        in_use_or_evaluated=in_use + evaluated,
        evaluated=evaluated,
        evaluated_share=round(evaluated / (in_use + evaluated), 3) if in_use + evaluated else None,
        median_days_to_first_adoption=median(days) if days else None,
        old_practice_stopped=Evaluation.objects.filter(old_practice=OldPractice.STOPPED).count(),
        unused_after_12_months=unused,
        pilots=Pilot.objects.count(),
    )


def unused_publications(*, today: date) -> QuerySet[Publication]:
    """Products published over 12 months ago that no municipality is known to use."""
    return (
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED, published_on__lte=today - timedelta(days=365)
        )
        .exclude(adoptions__status__in=ADOPTED)
        .order_by("published_on", "pk")
    )


def usage_context(
    publication: Publication, user: User | AnonymousUser, usage: Usage
) -> dict[str, Any]:
    """What a product's page shows of its use, and which follow-up actions the reader has."""
    from .forms import UsefulnessForm
    from .models import HtaDecision

    municipality_id = getattr(user, "municipality_id", None)
    is_hta = publication.kind == "mini_hta"
    return {
        "usage": usage,
        "hta_decision": HtaDecision.objects.filter(publication=publication).first()
        if is_hta
        else None,
        "may_record_adoption": bool(municipality_id)
        and policy.may_record_for(user, municipality_id),
        "may_record_hta_decision": is_hta
        and policy.may_record_for(user, publication.municipality_id),
        "usefulness_form": UsefulnessForm(
            initial={"useful": "yes" if usage.mine.useful else "no", "comment": usage.mine.comment}
            if usage.mine
            else None
        )
        if user.is_authenticated
        else None,
    }
