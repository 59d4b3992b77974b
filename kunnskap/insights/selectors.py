"""Statistics of knowledge needs, read with aggregate queries only.

Every function here asks the database to count (`values().annotate(Count())`, `aggregate()`),
so the number of queries is the same for ten needs or a hundred thousand; rows of needs are
never loaded one by one. Python only sorts and sums the groups the database returns (one row per
municipality, theme, status...). The one exception is `stage_days`, which reads one column of
durations per stage to take its median (SQLite has no median aggregate): the list grows with the
data, the number of queries does not.

Which needs belong to a round (`round_q`): the needs added to the round (its entries), and the
needs its hub received in the round's proposal window (`proposals_open` to `proposals_close`;
without an opening date the window starts the day after the hub's previous round closed). That
is what seed 003 counts: the 66 proposals that came in for Pilot 2.0, of which few reached the
committee.

The funnel (`funnel`) counts how many needs reached each stage. A need reached a stage if its
status is that stage or a later one on the path of DESIGN.md, or if its history (ProposalEvent)
shows it entered the stage: so a need that was recommended and then not ordered still counts as
recommended, and an imported need (one event, its imported status) counts for every stage its
status implies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kunnskap.lib.numbers import round_float
from kunnskap.library.models import Publication
from kunnskap.organisations.models import Cluster, Hub, Municipality, Region
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import COUNTED, Endorsement, Proposal, ProposalEvent
from kunnskap.rounds.models import Entry, Round

S = Status


@dataclass(frozen=True)
class Filters:
    """What the statistics are narrowed to; None narrows nothing."""

    hub: Hub | None = None
    round: Round | None = None
    start: date | None = None  # submitted on or after
    end: date | None = None  # submitted on or before
    region: Region | None = None
    cluster: Cluster | None = None
    municipality: Municipality | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    """Needs counted per group of one dimension, largest first; `total` is every need counted."""

    by: str
    rows: list[Row]
    total: int


# The dimensions of `proposals_by`, with the heading the pages and exports use.
DIMENSIONS: dict[str, Promise] = {
    "organisation": _("Submitting organisation"),
    "municipality": _("Municipality"),
    "region": _("KSF region"),
    "service_area": _("Service area"),
    "theme": _("Theme"),
    "status": _("Status"),
}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def round_window(round_: Round) -> tuple[date | None, date | None]:
    """The days a round took in proposals (first, last), or (None, None) without a deadline."""
    if round_.proposals_close is None:
        return None, None
    if round_.proposals_open is not None:
        return round_.proposals_open, round_.proposals_close
    previous = Round.objects.filter(
        hub_id=round_.hub_id, proposals_close__lt=round_.proposals_close
    ).aggregate(last=Max("proposals_close"))["last"]
    return (previous + timedelta(days=1) if previous else None), round_.proposals_close


def round_q(round_: Round) -> Q:
    """The needs of a round: its entries, and what its hub received in its proposal window."""
    condition = Q(pk__in=Entry.objects.filter(round=round_).values("proposal_id"))
    first, last = round_window(round_)
    if last is not None:
        window = Q(hub_id=round_.hub_id, submitted_at__lt=_day_start(last + timedelta(days=1)))
        if first is not None:
            window &= Q(submitted_at__gte=_day_start(first))
        condition |= window
    return condition


def proposals_for(filters: Filters) -> QuerySet[Proposal]:
    """Every need the filters select, public or not (the statistics count all that came in)."""
    proposals = Proposal.objects.order_by()
    if filters.hub is not None:
        proposals = proposals.filter(hub=filters.hub)
    if filters.round is not None:
        proposals = proposals.filter(round_q(filters.round))
    if filters.start is not None:
        proposals = proposals.filter(submitted_at__gte=_day_start(filters.start))
    if filters.end is not None:
        proposals = proposals.filter(submitted_at__lt=_day_start(filters.end + timedelta(days=1)))
    if filters.region is not None:
        proposals = proposals.filter(municipality__county__region=filters.region)
    if filters.cluster is not None:
        proposals = proposals.filter(
            municipality__in=filters.cluster.municipalities.values("number")
        )
    if filters.municipality is not None:
        proposals = proposals.filter(municipality=filters.municipality)
    return proposals


def _breakdown(by: str, groups: Iterable[tuple[str, str, Any, int]]) -> Breakdown:
    """Rows from (key, label, tie-breaker, count), the largest count first."""
    ordered = sorted(groups, key=lambda group: (-group[3], group[2], group[1].casefold()))
    rows = [Row(key=key, label=label, count=count) for key, label, _order, count in ordered]
    return Breakdown(by=by, rows=rows, total=sum(row.count for row in rows))


NOT_CLASSIFIED = _("Not classified")
STATUS_ORDER = {value: index for index, value in enumerate(Status.values)}


def _groups(proposals: QuerySet[Proposal], *fields: str) -> list[dict[str, Any]]:
    """One row per distinct value of the fields, with the number of needs as `n`."""
    return list(proposals.values(*fields).annotate(n=Count("pk")))


def proposals_by(by: str, filters: Filters) -> Breakdown:
    """Needs per organisation, municipality, KSF region, service area, theme or status."""
    proposals = proposals_for(filters)
    if by == "organisation":
        # The "Enhet" of seed 003: the unit when the need has one, else its municipality.
        groups = _groups(
            proposals, "unit_id", "unit__name", "municipality_id", "municipality__name"
        )
        return _breakdown(
            by,
            (
                (
                    f"unit-{group['unit_id']}" if group["unit_id"] else group["municipality_id"],
                    group["unit__name"] or group["municipality__name"],
                    0,
                    group["n"],
                )
                for group in groups
            ),
        )
    if by == "municipality":
        groups = _groups(proposals, "municipality_id", "municipality__name")
        return _breakdown(
            by,
            ((g["municipality_id"], g["municipality__name"], 0, g["n"]) for g in groups),
        )
    if by == "region":
        groups = _groups(
            proposals, "municipality__county__region_id", "municipality__county__region__name"
        )
        return _breakdown(
            by,
            (
                (
                    str(g["municipality__county__region_id"] or ""),
                    g["municipality__county__region__name"] or str(_("No KSF region")),
                    0 if g["municipality__county__region_id"] else 1,
                    g["n"],
                )
                for g in groups
            ),
        )
    if by in ("service_area", "theme"):
        groups = _groups(proposals, f"{by}__key", f"{by}__label", f"{by}__position")
        return _breakdown(
            by,
            (
                (
                    g[f"{by}__key"] or "",
                    g[f"{by}__label"] or str(NOT_CLASSIFIED),
                    g[f"{by}__position"] if g[f"{by}__key"] else 10_000,
                    g["n"],
                )
                for g in groups
            ),
        )
    if by == "status":
        # Along the path of DESIGN.md rather than by size: the table reads as the journey.
        groups = _groups(proposals, "status")
        rows = sorted(
            (
                Row(key=g["status"], label=str(Status(g["status"]).label), count=g["n"])
                for g in groups
            ),
            key=lambda row: STATUS_ORDER[row.key],
        )
        return Breakdown(by=by, rows=rows, total=sum(row.count for row in rows))
    raise ValueError(f"unknown dimension {by!r}")


# --- The funnel ---------------------------------------------------------------------------

SCREENING_OUTCOMES = frozenset(
    {S.ANSWERED, S.PARTLY_ANSWERED, S.DUPLICATE, S.OUT_OF_SCOPE, S.ELIGIBLE, S.RESEARCH_GAP}
)
ANSWERED = frozenset({S.ANSWERED, S.PARTLY_ANSWERED})
DECISIONS = frozenset({S.COMMISSIONED, S.NOT_COMMISSIONED, S.DEFERRED})
ORDERED_ON = frozenset({S.COMMISSIONED, S.IN_PRODUCTION, S.DELIVERED, S.PUBLISHED})
PRIORITISED = frozenset(
    {S.ELIGIBLE, S.IN_ROUND, S.RECOMMENDED, S.NOT_RECOMMENDED, S.NOT_COMMISSIONED, S.DEFERRED}
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    # An event to one of these statuses means the need entered the stage...
    entered: frozenset[str]
    # ...and so does a current status among these (the stage or one after it).
    reached: frozenset[str]


STAGES = [
    Stage("received", _("Received"), frozenset(), frozenset(Status.values)),
    Stage(
        "screened",
        _("Screened"),
        SCREENING_OUTCOMES,
        frozenset(Status.values) - {S.SUBMITTED, S.SCREENING, S.NEEDS_CLARIFICATION},
    ),
    Stage("answered", _("Answered by existing knowledge"), ANSWERED, ANSWERED),
    Stage(
        "eligible",
        _("Eligible for prioritisation"),
        frozenset({S.ELIGIBLE}),
        PRIORITISED | ORDERED_ON,
    ),
    Stage(
        "recommended",
        _("Recommended by the committee"),
        frozenset({S.RECOMMENDED}),
        frozenset({S.RECOMMENDED}) | ORDERED_ON,
    ),
    Stage("commissioned", _("Ordered"), frozenset({S.COMMISSIONED}), ORDERED_ON),
    Stage(
        "delivered", _("Delivered"), frozenset({S.DELIVERED}), frozenset({S.DELIVERED, S.PUBLISHED})
    ),
    Stage("published", _("Published"), frozenset({S.PUBLISHED}), frozenset({S.PUBLISHED})),
]


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    count: int
    percent: float  # of the needs received


def _reached(stage: Stage) -> Q:
    condition = Q(status__in=stage.reached)
    if stage.entered:
        entered = ProposalEvent.objects.filter(to_status__in=stage.entered).values("proposal_id")
        condition |= Q(pk__in=entered)
    return condition


def funnel(filters: Filters, keys: Iterable[str] | None = None) -> list[Step]:
    """How many needs reached each stage (or the stages named), in one query."""
    stages = STAGES if keys is None else [stage for stage in STAGES if stage.key in set(keys)]
    counts = proposals_for(filters).aggregate(
        **{stage.key: Count("pk", filter=_reached(stage)) for stage in stages}
    )
    received = counts.get("received") or 0
    return [
        Step(
            key=stage.key,
            label=str(stage.label),
            count=counts[stage.key],
            percent=round_float(100 * counts[stage.key] / received, 1) if received else 0.0,
        )
        for stage in stages
    ]


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def percent(self) -> float:
        return round_float(100 * self.count / self.of, 1) if self.of else 0.0


def answered_share(steps: list[Step]) -> Share:
    """Of the needs screened, how many existing knowledge answered (no new product needed)."""
    by_key = {step.key: step.count for step in steps}
    return Share(count=by_key["answered"], of=by_key["screened"])


# --- Time per stage -----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    key: str
    label: Promise
    starts: frozenset[str] | None  # None: from the need's submission
    ends: frozenset[str]


SPANS = [
    Span(
        "screening", _("Screening: from received to a screening outcome"), None, SCREENING_OUTCOMES
    ),
    Span(
        "prioritisation",
        _("Prioritisation: from eligible to the committee's recommendation"),
        frozenset({S.ELIGIBLE}),
        frozenset({S.RECOMMENDED, S.NOT_RECOMMENDED}),
    ),
    Span(
        "decision",
        _("Decision: from recommendation to the steering group's decision"),
        frozenset({S.RECOMMENDED, S.NOT_RECOMMENDED}),
        DECISIONS,
    ),
    Span(
        "production",
        _("Production: from order to delivery"),
        frozenset({S.COMMISSIONED}),
        frozenset({S.DELIVERED}),
    ),
    Span(
        "publication",
        _("Publication: from delivery to publication"),
        frozenset({S.DELIVERED}),
        frozenset({S.PUBLISHED}),
    ),
]


@dataclass(frozen=True)
class Duration:
    key: str
    label: str
    median_days: float | None
    needs: int  # how many needs went through the stage


def _durations(proposals: QuerySet[Proposal], span: Span) -> list[timedelta]:
    """One column: per need, the time from first entering the stage to first leaving it."""
    start: Any = (
        F("submitted_at")
        if span.starts is None
        else Min("events__at", filter=Q(events__to_status__in=span.starts))
    )
    annotated = proposals.annotate(
        started=start, ended=Min("events__at", filter=Q(events__to_status__in=span.ends))
    ).filter(started__isnull=False, ended__isnull=False, ended__gte=F("started"))
    spent = ExpressionWrapper(F("ended") - F("started"), output_field=DurationField())
    return list(annotated.annotate(spent=spent).values_list("spent", flat=True))


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def stage_days(filters: Filters) -> list[Duration]:
    """The median number of days needs spent in each stage, from their history (one query a
    stage)."""
    proposals = proposals_for(filters)
    result = []
    for span in SPANS:
        durations = _durations(proposals, span)
        median = _median(durations)
        result.append(
            Duration(
                key=span.key,
                label=str(span.label),
                median_days=round_float(median.total_seconds() / 86400, 1)
                if median is not None
                else None,
                needs=len(durations),
            )
        )
    return result


# --- Endorsements -------------------------------------------------------------------------


@dataclass
class Endorsements:
    """How many needs are shared by 1, 2, 3... municipalities (the submitter's own included)."""

    rows: list[Row] = field(default_factory=list)
    needs: int = 0
    municipalities: int = 0  # endorsing municipalities summed over the needs

    @property
    def mean(self) -> float:
        return round_float(self.municipalities / self.needs, 2) if self.needs else 0.0


def endorsements(filters: Filters) -> Endorsements:
    """Needs grouped by their number of endorsing municipalities.

    One `GROUP BY` over the endorsements gives each endorsed need its count, and the database
    groups those counts; the needs that nobody else shares are the rest of the filtered needs.
    (A count per need as a subquery ran once per need: 0.56 s at 100,000 needs.)"""
    needs = proposals_for(filters)
    per_need = (
        Endorsement.objects.filter(COUNTED, proposal__in=needs.values("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("municipality", distinct=True))
        .values("n")
    )
    sql, params = per_need.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, COUNT(*) FROM ({sql}) per_need GROUP BY n ORDER BY n", params)
        counted: list[tuple[int, int]] = cursor.fetchall()
    unshared = needs.count() - sum(n for _shared_by, n in counted)
    groups = [{"shared_by": 0, "n": unshared}] if unshared else []
    groups += [{"shared_by": shared_by, "n": n} for shared_by, n in counted]
    result = Endorsements()
    for group in groups:
        shared_by, n = group["shared_by"], group["n"]
        label = ngettext("%(n)s municipality", "%(n)s municipalities", shared_by) % {"n": shared_by}
        result.rows.append(Row(key=str(shared_by), label=label, count=n))
        result.needs += n
        result.municipalities += shared_by * n
    return result


# --- Open data ----------------------------------------------------------------------------


def open_proposals() -> QuerySet[Proposal]:
    """The needs the public may see (accepted by screening), with what the open data lists."""
    return (
        Proposal.objects.public()
        .for_lists()
        .select_related("municipality__county__region")
        .with_endorsement_counts()
        .order_by("year", "number")
    )


def open_decisions() -> QuerySet[Entry]:
    """The steering groups' decisions on public needs (the public decision log's rows)."""
    return (
        Entry.objects.exclude(decision="")
        .filter(proposal__accepted_at__isnull=False)
        .select_related("round", "round__hub", "proposal", "deferred_to")
        .order_by("decided_on", "pk")
    )


def open_publications() -> QuerySet[Publication]:
    """The library's listed publications (ongoing and published), with the public needs they
    answer."""
    from django.db.models import Prefetch

    return (
        Publication.objects.visible()
        .for_lists()
        .prefetch_related(
            "themes",
            "service_areas",
            Prefetch(
                "proposals",
                queryset=Proposal.objects.public().only("public_id").order_by("public_id"),
            ),
        )
        .order_by("pk")
    )


def open_adoptions() -> QuerySet[Any]:
    """Every follow-up record, with its product, municipality and last evaluation's verdict."""
    from django.db.models import OuterRef, Subquery

    from kunnskap.followup.models import Adoption, Evaluation

    last = Evaluation.objects.filter(adoption=OuterRef("pk")).order_by("-evaluated_on", "-pk")
    return (
        Adoption.objects.select_related("publication", "municipality", "unit")
        .annotate(last_verdict=Subquery(last.values("verdict")[:1]))
        .order_by("pk")
    )


def open_pilots() -> QuerySet[Any]:
    """The pilot register."""
    from kunnskap.followup.models import Pilot

    return Pilot.objects.for_lists().order_by("pk")
