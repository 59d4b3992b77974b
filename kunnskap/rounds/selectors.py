"""Reads of rounds: the ranking (DESIGN.md's arithmetic), scoring progress, the decision log.

The ranking is computed on every read from two aggregate queries, so it is never stale:

- a member's scores count once she has submitted them (closing scoring submits everyone's);
- recused scorecards and "don't know" answers are left out;
- mean_k over the rest; normalised_k = (mean_k − 1) / (max_k − 1) × 100;
- total = Σ w_k · normalised_k / Σ w_k over the criteria with at least one score (0–100);
- agreement = the mean over those criteria of (count of the most common score ÷ count scored);
- order: total, then distinct endorsing municipalities, then earlier submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from kunnskap.organisations.models import Hub
from kunnskap.proposals.models import endorsing_municipalities

from .models import OPEN_STAGES, Criterion, Entry, Member, Outcome, Round, Score, Scorecard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import WithAnnotations

    from kunnskap.accounts.models import User


class Endorsed(TypedDict):
    endorsing_municipalities: int


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    mean: float | None
    normalised: float | None
    counts: dict[int, int]  # score → how many gave it
    unknown: int  # "don't know" answers
    scored: int  # numeric answers

    @property
    def agreement(self) -> float | None:
        return max(self.counts.values()) / self.scored if self.scored else None

    @property
    def spread(self) -> tuple[int, int] | None:
        """The lowest and highest score given."""
        given = [value for value, count in self.counts.items() if count]
        return (min(given), max(given)) if given else None

    def distribution(self) -> list[tuple[int, int]]:
        return [
            (value, self.counts.get(value, 0)) for value in range(1, self.criterion.scale_max + 1)
        ]


@dataclass
class Ranked:
    entry: Entry
    total: float | None
    agreement: float | None
    raters: int
    recused: int
    endorsing_municipalities: int
    criteria: list[CriterionResult]
    flagged: bool = False
    rank: int = 0
    recommended: bool = False  # in the capacity-filling proposal
    cumulative_cost: int = 0
    cards: list[Scorecard] = field(default_factory=list)  # filled for those who may see them

    @property
    def means(self) -> dict[str, float | None]:
        return {result.criterion.key: result.mean for result in self.criteria}


def entries(round_: Round) -> QuerySet[WithAnnotations[Entry, Endorsed]]:
    return (
        Entry.objects.filter(round=round_)
        .select_related("proposal", "proposal__municipality", "proposal__unit")
        .annotate(endorsing_municipalities=endorsing_municipalities("proposal"))
    )


def _lean_entries(round_: Round) -> QuerySet[WithAnnotations[Entry, Endorsed]]:
    """The entries with only what ranking and its pages read: 500 of them load in milliseconds."""
    return (
        Entry.objects.filter(round=round_)
        .select_related("proposal")
        .only(
            "round_id",
            "product_kind",
            "proposal__public_id",
            "proposal__title",
            "proposal__status",
            "proposal__submitted_at",
            "proposal__hub_id",
        )
        .annotate(endorsing_municipalities=endorsing_municipalities("proposal"))
    )


def _counted(queryset: QuerySet, prefix: str = "") -> QuerySet:
    return queryset.filter(**{f"{prefix}member__submitted_at__isnull": False})


def ranking(round_: Round) -> list[Ranked]:
    """Every entry of the round, ranked and flagged, with the spread of scores per criterion."""
    criteria = list(round_.criteria.all())
    by_entry: dict[int, dict[int, dict[int | None, int]]] = defaultdict(lambda: defaultdict(dict))
    # One row per entry and criterion, with a count per score: a fifth of the rows that
    # grouping by value would give, on both engines.
    scale = max((criterion.scale_max for criterion in criteria), default=0)
    per_value = {f"v{value}": Count("pk", filter=Q(value=value)) for value in range(1, scale + 1)}
    tallies = _counted(
        Score.objects.filter(scorecard__entry__round=round_, scorecard__recused=False),
        "scorecard__",
    )
    for entry_id, criterion_id, unknown, *counts in (
        tallies.values_list("scorecard__entry_id", "criterion_id")
        .annotate(unknown=Count("pk", filter=Q(value__isnull=True)), **per_value)
        .order_by()
    ):
        tally: dict[int | None, int] = {value: n for value, n in enumerate(counts, start=1) if n}
        tally[None] = unknown
        by_entry[entry_id][criterion_id] = tally
    people = {
        row["entry_id"]: row
        for row in _counted(Scorecard.objects.filter(entry__round=round_))
        .values("entry_id")
        .annotate(
            raters=Count(
                "member", filter=Q(recused=False, scores__value__isnull=False), distinct=True
            ),
            recused_count=Count("member", filter=Q(recused=True), distinct=True),
        )
        .order_by()
    }
    threshold = float(round_.agreement_threshold)
    ranked = []
    for entry in _lean_entries(round_):
        results = [_criterion_result(c, by_entry[entry.pk][c.pk]) for c in criteria]
        scored = [r for r in results if r.scored]
        weights = sum(float(r.criterion.weight) for r in scored)
        total = (
            sum(float(r.criterion.weight) * (r.normalised or 0.0) for r in scored) / weights
            if scored
            else None
        )
        agreement = sum(r.agreement or 0.0 for r in scored) / len(scored) if scored else None
        row = people.get(entry.pk, {})
        ranked.append(
            Ranked(
                entry=entry,
                total=total,
                agreement=agreement,
                raters=row.get("raters", 0),
                recused=row.get("recused_count", 0),
                endorsing_municipalities=entry.endorsing_municipalities,
                criteria=results,
                flagged=agreement is not None and agreement < threshold,
            )
        )
    ranked.sort(key=_order)
    capacity_left = round_.capacity
    spent = 0
    for position, item in enumerate(ranked, start=1):
        item.rank = position
        cost = round_.cost_of(item.entry.product_kind)
        if item.total is not None and cost <= capacity_left:
            item.recommended = True
            capacity_left -= cost
            spent += cost
        item.cumulative_cost = spent
    return ranked


def _criterion_result(criterion: Criterion, tally: dict[int | None, int]) -> CriterionResult:
    counts = {value: n for value, n in tally.items() if value is not None}
    scored = sum(counts.values())
    mean = sum(value * n for value, n in counts.items()) / scored if scored else None
    normalised = (mean - 1) / (criterion.scale_max - 1) * 100 if mean is not None else None
    return CriterionResult(
        criterion=criterion,
        mean=mean,
        normalised=normalised,
        counts=counts,
        unknown=tally.get(None, 0),
        scored=scored,
    )


def _order(item: Ranked) -> tuple:
    # Unscored entries last; rounding keeps float noise from deciding a tie.
    total = round(item.total, 9) if item.total is not None else -1.0
    return (-total, -item.endorsing_municipalities, item.entry.proposal.submitted_at)


@dataclass(frozen=True)
class Progress:
    member: Member
    scored: int  # entries with a complete scorecard or a recusal
    total: int


def scoring_progress(round_: Round) -> list[Progress]:
    """How far each member has come: complete scorecards out of the round's entries."""
    entry_count = round_.entries.count()
    criteria_count = round_.criteria.count()
    members = round_.members.select_related("user").annotate(
        complete=Count(
            "scorecards",
            filter=Q(scorecards__entry__round=round_) & Q(scorecards__recused=True),
            distinct=True,
        )
    )
    answered: dict[int, int] = defaultdict(int)
    for member_id, _entry_id, _n in (
        Scorecard.objects.filter(entry__round=round_, recused=False)
        .values_list("member_id", "entry_id")
        .annotate(n=Count("scores"))
        .filter(n__gte=criteria_count)
        .order_by()
    ):
        answered[member_id] += 1
    return [
        Progress(member=m, scored=m.complete + answered[m.pk], total=entry_count) for m in members
    ]


def missing_scorecards(member: Member) -> list[Entry]:
    """The entries this member has not finished: neither recused nor every criterion answered."""
    criteria_count = member.round.criteria.count()
    done = Scorecard.objects.filter(member=member).annotate(n=Count("scores"))
    finished = done.filter(Q(recused=True) | Q(n__gte=criteria_count)).values("entry_id")
    return list(
        member.round.entries.exclude(pk__in=finished).select_related("proposal").order_by("pk")
    )


def scorecards_of(member: Member) -> dict[int, Scorecard]:
    """The member's scorecards by entry id, with their scores."""
    return {
        card.entry_id: card
        for card in Scorecard.objects.filter(member=member).prefetch_related("scores")
    }


def others_scorecards(round_: Round) -> dict[int, list[Scorecard]]:
    """Every counted scorecard of the round by entry, for those allowed to see them."""
    cards: dict[int, list[Scorecard]] = defaultdict(list)
    for card in (
        _counted(Scorecard.objects.filter(entry__round=round_))
        .select_related("member__user")
        .prefetch_related("scores__criterion")
        .order_by("member__user__full_name", "member__user__email")
    ):
        cards[card.entry_id].append(card)
    return cards


def rounds_visible(user: User | AnonymousUser) -> QuerySet[Round]:
    """Every round's timetable is public; the planning of a round too, so people can plan."""
    return (
        Round.objects.select_related("hub")
        .annotate(entry_count=Count("entries"))
        .order_by("-committee_meeting", "-pk")
    )


def later_rounds(round_: Round) -> QuerySet[Round]:
    """The rounds of the same hub that can still take a need in, soonest first: where a
    deferred need may go. The first is "the hub's next round"."""
    return (
        Round.objects.filter(hub_id=round_.hub_id, stage__in=OPEN_STAGES)
        .exclude(pk=round_.pk)
        .order_by(
            F("committee_meeting").asc(nulls_last=True),
            F("proposals_open").asc(nulls_last=True),
            "pk",
        )
    )


def eligible_proposals(round_: Round) -> QuerySet:
    """Needs of the round's hub that may join it: eligible ones, and deferred ones (carry-over)."""
    from kunnskap.proposals.choices import Status
    from kunnskap.proposals.models import Proposal

    return (
        Proposal.objects.filter(hub=round_.hub, status__in=[Status.ELIGIBLE, Status.DEFERRED])
        .exclude(round_entries__round=round_)
        .select_related("municipality")
        .order_by("submitted_at")
    )


def decision_log(*, round_: Round | None = None) -> QuerySet[Entry]:
    """Every decided entry, newest meeting first: the public record of what was ordered."""
    decided = Entry.objects.exclude(decision="").select_related(
        "round", "round__hub", "proposal", "proposal__municipality", "deferred_to"
    )
    if round_ is not None:
        decided = decided.filter(round=round_)
    return decided.order_by("-decided_on", "round_id", "rank", "pk")


def outcome_counts(entries_: Iterable[Entry]) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in Outcome}
    for entry in entries_:
        if entry.decision:
            counts[entry.decision] += 1
    return counts


def member_rounds(user: User | AnonymousUser) -> QuerySet[Member]:
    """The rounds this person is on the committee of, newest first."""
    if not user.is_authenticated:
        return Member.objects.none()
    return (
        Member.objects.filter(user=user)
        .select_related("round", "round__hub")
        .order_by("-round__pk")
    )


@dataclass
class SubmissionWindow:
    """When a hub collects proposals: the window of its next round with a deadline, or all year
    (`round` is None) when no round has one (proposals wait for the next round)."""

    hub: Hub
    round: Round | None

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.round is None or (
            (self.round.proposals_open is None or self.round.proposals_open <= today)
            and self.round.proposals_close is not None
            and today <= self.round.proposals_close
        )


def submission_windows() -> list[SubmissionWindow]:
    """Per active hub, its next proposal deadline (seed 003's timetable), in two queries."""
    today = timezone.localdate()
    upcoming = (
        Round.objects.filter(hub__is_active=True, proposals_close__gte=today, stage__in=OPEN_STAGES)
        .select_related("hub")
        .order_by("proposals_close", "pk")
    )
    first: dict[int, Round] = {}
    for round_ in upcoming:
        first.setdefault(round_.hub_id, round_)
    return [
        SubmissionWindow(hub=hub, round=first.get(hub.pk))
        for hub in Hub.objects.filter(is_active=True).order_by("level", "name")
    ]
