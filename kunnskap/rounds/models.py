"""Prioritisation rounds: dated phases, criteria, the committee's scores, recommendation, decision.

A round belongs to a hub. Its eligible needs are entries; each member of the committee fills a
scorecard per entry (scores per criterion, "don't know", or recusal). The ranking is computed
from the scores on every read (selectors.ranking); freezing the recommendation copies the
ranking into the entries, so the record the steering group decided on never changes afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunnskap.taxonomy.models import PublicationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

TEXT_MAX = 4000


class Stage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    SCORING = "scoring", _("Committee scoring")
    SCORING_CLOSED = "scoring_closed", _("Scoring closed")
    RECOMMENDED = "recommended", _("Recommendation frozen")
    DECIDED = "decided", _("Decided")


# The dated phases of a round (seed 003's timetable), in the order they must come.
PHASES = (
    "proposals_open",
    "proposals_close",
    "screening_deadline",
    "committee_meeting",
    "decision_meeting",
    "delivery",
)

# Entries can be added or removed until the committee has a recommendation.
OPEN_STAGES = frozenset({Stage.PLANNING, Stage.SCORING})


class Outcome(models.TextChoices):
    """The steering group's decision on one entry."""

    COMMISSIONED = "commissioned", _("Ordered")
    NOT_COMMISSIONED = "not_commissioned", _("Not ordered")
    DEFERRED = "deferred", _("Deferred")


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: User | AnonymousUser) -> RoundQuerySet:
        """Every round's timetable, its needs and its decisions are public (the scores are
        not: `policy.may_see_scores`)."""
        return self.all()


class Round(models.Model):
    """A hub's prioritisation round, from the proposal window to delivery."""

    hub = models.ForeignKey(
        "organisations.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PLANNING, db_index=True
    )
    # The dated phases of seed 003's timetable.
    proposals_open = models.DateField(_("proposals open"), null=True, blank=True)
    proposals_close = models.DateField(_("deadline for proposals"), null=True, blank=True)
    screening_deadline = models.DateField(_("screening deadline"), null=True, blank=True)
    committee_meeting = models.DateField(_("committee meeting"), null=True, blank=True)
    decision_meeting = models.DateField(_("decision meeting"), null=True, blank=True)
    delivery = models.DateField(_("expected delivery"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=3,
        help_text=_("How many cost units the round can order. A short summary costs 1 unit."),
    )
    # Cost units per product kind; kinds missing here cost DEFAULT_COST.
    costs = models.JSONField(_("cost per product kind"), default=dict, blank=True)
    agreement_threshold = models.DecimalField(
        _("agreement threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Needs whose agreement is below this are flagged for discussion."),
    )
    recommendation_note = models.TextField(
        _("note on the recommendation"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    recommended_at = models.DateTimeField(_("recommendation frozen"), null=True, blank=True)
    scoring_closed_at = models.DateTimeField(_("scoring closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-committee_meeting", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rounds:detail", args=[self.pk])

    def cost_of(self, kind: str) -> int:
        return int(self.costs.get(kind, DEFAULT_COSTS.get(kind, DEFAULT_COST)))

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def scores_visible(self) -> bool:
        """Everyone on the committee sees every score once scoring has closed."""
        return self.stage not in OPEN_STAGES


DEFAULT_COST = 1
# A short summary is the unit; larger products cost more (seed 003: "I all hovedsak korte
# oppsummeringer", one "større kunnskapsoppsummering").
DEFAULT_COSTS: dict[str, int] = {
    PublicationKind.SHORT_SUMMARY: 1,
    PublicationKind.RESEARCH_COMMENTARY: 1,
    PublicationKind.RAPID_REVIEW: 2,
    PublicationKind.OVERVIEW_OF_REVIEWS: 3,
    PublicationKind.SYSTEMATIC_REVIEW: 4,
    PublicationKind.HEALTH_TECHNOLOGY_ASSESSMENT: 4,
}


class Criterion(models.Model):
    """A scoring criterion of one round, on 1..scale_max, where a high score is high priority."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("name"), max_length=100)
    help_text = models.CharField(_("what a high score means"), max_length=300, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.01)],
    )
    # One help text per step, lowest first (may be empty).
    steps = models.JSONField(_("help text per step"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="criterion_key_unique_in_round")
        ]

    def __str__(self) -> str:
        return self.label

    def step_choices(self) -> list[tuple[int, str]]:
        texts = list(self.steps) + [""] * self.scale_max
        return [(value, texts[value - 1]) for value in range(1, self.scale_max + 1)]


class Member(models.Model):
    """A committee member of one round. Her scores count once she submits them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="round_memberships"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["round", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="member_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Entry(models.Model):
    """A knowledge need in a round, with the frozen recommendation and the decision on it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="round_entries"
    )
    product_kind = models.CharField(
        _("product"),
        max_length=32,
        choices=PublicationKind.choices,
        default=PublicationKind.SHORT_SUMMARY,
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # The frozen recommendation: the ranking as it stood, and the committee's choice.
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    total = models.FloatField(_("total"), null=True, blank=True)
    agreement = models.FloatField(_("agreement"), null=True, blank=True)
    raters = models.PositiveSmallIntegerField(_("raters"), null=True, blank=True)
    criterion_means = models.JSONField(_("mean per criterion"), default=dict, blank=True)
    flagged = models.BooleanField(_("flagged for discussion"), default=False)
    recommended = models.BooleanField(_("recommended"), null=True, blank=True)
    deviation_reason = models.TextField(
        _("reason for deviating from the ranking"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
    )
    # The steering group's decision.
    decision = models.CharField(
        _("decision"), max_length=20, choices=Outcome.choices, blank=True, db_index=True
    )
    rationale = models.TextField(
        _("rationale"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    decided_on = models.DateField(_("meeting date"), null=True, blank=True)
    deferred_to = models.ForeignKey(
        Round,
        verbose_name=_("deferred to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deferred_here",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need in a round")
        verbose_name_plural = _("needs in a round")
        ordering = ["round", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "proposal"], name="entry_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.proposal_id}"

    @property
    def cost(self) -> int:
        return self.round.cost_of(self.product_kind)


class Scorecard(models.Model):
    """One member's assessment of one entry: scores per criterion, a comment, or recusal."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scorecards")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="scorecards")
    recused = models.BooleanField(_("recused (conflict of interest)"), default=False)
    recusal_reason = models.CharField(_("reason for recusal"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="scorecard_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.entry}"


class Score(models.Model):
    """A score on one criterion; no value means the member answered "don't know"."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value if self.value is not None else '–'}"
