"""Statuses and the structured criteria questions of a knowledge need, declared once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    SCREENING = "screening", _("Being screened")
    NEEDS_CLARIFICATION = "needs_clarification", _("Question to the submitter")
    ANSWERED = "answered", _("Answered by existing knowledge")
    PARTLY_ANSWERED = "partly_answered", _("Partly answered by existing knowledge")
    DUPLICATE = "duplicate", _("Merged with a similar need")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the scope")
    ELIGIBLE = "eligible", _("Ready for prioritisation")
    RESEARCH_GAP = "research_gap", _("Research gap")
    IN_ROUND = "in_round", _("In a prioritisation round")
    RECOMMENDED = "recommended", _("Recommended by the committee")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    COMMISSIONED = "commissioned", _("Ordered")
    NOT_COMMISSIONED = "not_commissioned", _("Not ordered")
    DEFERRED = "deferred", _("Deferred")
    IN_PRODUCTION = "in_production", _("In production")
    DELIVERED = "delivered", _("Delivered")
    PUBLISHED = "published", _("Published")


# Waiting for a screening outcome: the queue's needs, and the only ones screening may decide.
AWAITING_SCREENING = (Status.SUBMITTED, Status.SCREENING)
# What screening may decide (`screening.services.proposal_screen`).
_OUTCOMES = frozenset(
    {
        Status.NEEDS_CLARIFICATION,
        Status.ELIGIBLE,
        Status.ANSWERED,
        Status.PARTLY_ANSWERED,
        Status.DUPLICATE,
        Status.OUT_OF_SCOPE,
        Status.RESEARCH_GAP,
    }
)

# The path of a need (DESIGN.md): the statuses each may move to, and nothing else. Every change
# of status goes through `services.proposal_move`, which refuses a move this table does not hold.
# A need is created in `submitted` (or, by `proposal_import`, in the status an earlier system
# gave it); the statuses with no way out end its path here.
TRANSITIONS: dict[str, frozenset[str]] = {
    # The first thing a screener does starts screening; an outcome may also come at once.
    Status.SUBMITTED: frozenset({Status.SCREENING, *_OUTCOMES}),
    Status.SCREENING: _OUTCOMES,
    # The submitter's answer brings the need back to the queue.
    Status.NEEDS_CLARIFICATION: frozenset({Status.SCREENING}),
    # An undone merge (`proposal_unmerge`) brings it back too.
    Status.DUPLICATE: frozenset({Status.SCREENING}),
    Status.ANSWERED: frozenset(),
    Status.PARTLY_ANSWERED: frozenset(),
    Status.OUT_OF_SCOPE: frozenset(),
    Status.RESEARCH_GAP: frozenset(),
    Status.ELIGIBLE: frozenset({Status.IN_ROUND}),
    # Taken out of a round again, a need returns to where it came from (eligible or deferred).
    Status.IN_ROUND: frozenset(
        {Status.ELIGIBLE, Status.DEFERRED, Status.RECOMMENDED, Status.NOT_RECOMMENDED}
    ),
    # The steering group decides, and may deviate from the committee.
    Status.RECOMMENDED: frozenset({Status.COMMISSIONED, Status.NOT_COMMISSIONED, Status.DEFERRED}),
    Status.NOT_RECOMMENDED: frozenset(
        {Status.COMMISSIONED, Status.NOT_COMMISSIONED, Status.DEFERRED}
    ),
    Status.DEFERRED: frozenset({Status.IN_ROUND}),
    Status.NOT_COMMISSIONED: frozenset(),
    # A producer's milestones move an ordered need on; its product may be published before
    # the delivery is reported.
    Status.COMMISSIONED: frozenset({Status.IN_PRODUCTION, Status.DELIVERED, Status.PUBLISHED}),
    Status.IN_PRODUCTION: frozenset({Status.DELIVERED, Status.PUBLISHED}),
    Status.DELIVERED: frozenset({Status.PUBLISHED}),
    Status.PUBLISHED: frozenset(),
}


def may_move(from_status: str, to_status: str) -> bool:
    """Whether the path of a need leads directly from one status to the other."""
    return to_status in TRANSITIONS.get(from_status, frozenset())


# The submitter may change her text until a screener starts on it.
EDITABLE_STATUSES = frozenset({Status.SUBMITTED})
# Before screening has accepted the text, nothing of it is public.
UNSCREENED_STATUSES = frozenset({Status.SUBMITTED, Status.SCREENING, Status.NEEDS_CLARIFICATION})


class SubmittedFor(models.TextChoices):
    MYSELF = "myself", _("Myself")
    UNIT = "unit", _("My unit")
    PROCESS = "process", _("A process or project")


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    IMPORT = "import", _("Import")


LEVEL = [
    ("high", _("Great")),
    ("medium", _("Some")),
    ("low", _("Little")),
    ("unknown", _("Don't know")),
]
REACH = [
    ("many", _("Many")),
    ("some", _("Some")),
    ("few", _("Few")),
    ("unknown", _("Don't know")),
]
YES_NO = [
    ("yes", _("Yes")),
    ("partly", _("Partly")),
    ("no", _("No")),
    ("unknown", _("Don't know")),
]


@dataclass(frozen=True)
class Criterion:
    key: str
    question: StrOrPromise
    choices: Sequence[tuple[str, StrOrPromise]]


# The "possible criteria for assessing proposals" of seed 001, asked as short questions.
CRITERIA = [
    Criterion("life_and_health", _("How important is this for life and health?"), LEVEL),
    Criterion("reach", _("How many people does it concern?"), REACH),
    Criterion("health_gain", _("How large could the health gain be?"), LEVEL),
    Criterion(
        "practice_variation",
        _("Does practice vary, or is knowledge or research missing?"),
        YES_NO,
    ),
    Criterion("effect_uncertainty", _("Is the effect of the measure uncertain?"), YES_NO),
    Criterion("cost_uncertainty", _("Is its cost-effectiveness uncertain?"), YES_NO),
    Criterion(
        "ethical_consequences",
        _("Does it have important ethical or health-economic consequences?"),
        YES_NO,
    ),
    Criterion(
        "municipal_responsibility",
        _("Do the municipalities have (financing) responsibility for it?"),
        YES_NO,
    ),
    Criterion("many_municipalities", _("Is it relevant for many municipalities?"), YES_NO),
    Criterion("decision_soon", _("Does a decision depend on it soon?"), YES_NO),
]
CRITERIA_BY_KEY = {criterion.key: criterion for criterion in CRITERIA}
