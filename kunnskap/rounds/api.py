"""Rounds in the API: set-up, members, needs, a member's scores, the ranking, recommendation and
decisions. The permissions are the pages' (kunnskap.accounts.policy)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StrictInt

from kunnskap.accounts import policy
from kunnskap.accounts.api_auth import ANYONE, SIGNED_IN
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.organisations.models import Hub
from kunnskap.organisations.selectors import national_hub
from kunnskap.pagination import Pagination
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import PublicationKind

from . import selectors, services
from .models import Entry, Outcome, Round, Stage

router = Router(tags=["rounds"], auth=ANYONE)


class CriterionIn(Schema):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    label: str = Field(min_length=1, max_length=100)
    help_text: str = Field("", max_length=300)
    scale_max: int = Field(5, ge=2, le=10)
    weight: Decimal = Field(Decimal(1), gt=0, le=100)
    steps: list[str] = Field(default_factory=list)


class CriterionOut(Schema):
    key: str
    label: str
    help_text: str
    scale_max: int
    weight: float
    steps: list[str]


class RoundIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    hub: int | None = Field(None, description="A hub's id; the national hub when left out.")
    description: str = ""
    capacity: int = Field(3, ge=0, le=1000)
    costs: dict[str, int] = Field(default_factory=dict, description="Cost units per product kind.")
    criteria: list[CriterionIn] | None = Field(
        None, description="Left out: benefit, resources and severity on 1–5, weight 1."
    )
    proposals_open: date | None = None
    proposals_close: date | None = None
    screening_deadline: date | None = None
    committee_meeting: date | None = None
    decision_meeting: date | None = None
    delivery: date | None = None


class RoundOut(Schema):
    id: int
    name: str
    hub: str
    stage: str
    description: str
    capacity: int
    costs: dict[str, int]
    criteria: list[CriterionOut]
    proposals_open: date | None
    proposals_close: date | None
    screening_deadline: date | None
    committee_meeting: date | None
    decision_meeting: date | None
    delivery: date | None
    recommended_at: datetime | None
    url: str

    @staticmethod
    def resolve_hub(round_: Round) -> str:
        return round_.hub.name

    @staticmethod
    def resolve_costs(round_: Round) -> dict[str, int]:
        return {kind: round_.cost_of(kind) for kind in PublicationKind.values}

    @staticmethod
    def resolve_criteria(round_: Round) -> list[Schema]:
        return [
            CriterionOut(
                key=c.key,
                label=c.label,
                help_text=c.help_text,
                scale_max=c.scale_max,
                weight=float(c.weight),
                steps=list(c.steps),
            )
            for c in round_.criteria.all()
        ]

    @staticmethod
    def resolve_url(round_: Round) -> str:
        return round_.get_absolute_url()


class MemberIn(Schema):
    email: str = Field(min_length=3, max_length=254)
    chair: bool = False


class MemberOut(Schema):
    email: str
    name: str
    chair: bool
    submitted_at: datetime | None


class EntryIn(Schema):
    proposal: str = Field(description="The need's public id, e.g. KB2026-014.")
    product_kind: PublicationKind = PublicationKind.SHORT_SUMMARY


class EntryOut(Schema):
    proposal: str
    title: str
    product_kind: str
    cost: int
    rank: int | None
    recommended: bool | None
    decision: str
    rationale: str
    decided_on: date | None

    @staticmethod
    def resolve_proposal(entry: Entry) -> str:
        return entry.proposal.public_id

    @staticmethod
    def resolve_title(entry: Entry) -> str:
        return entry.proposal.title


class ScoresIn(Schema):
    # Strict: JSON true is not a score of 1 (lax parsing would turn it into one).
    scores: dict[str, StrictInt | None] = Field(default_factory=dict)
    recused: bool = False
    recusal_reason: str = Field("", max_length=300)
    comment: str = Field("", max_length=4000)


class ScoresOut(Schema):
    proposal: str
    scores: dict[str, int | None]
    recused: bool
    recusal_reason: str
    comment: str


class RankedOut(Schema):
    rank: int
    proposal: str
    title: str
    total: float | None
    criteria: dict[str, float | None]
    raters: int
    recused: int
    agreement: float | None
    flagged: bool
    endorsing_municipalities: int
    within_capacity: bool


class RankingOut(Schema):
    count: int
    items: list[RankedOut]


class ChoiceIn(Schema):
    proposal: str
    recommended: bool
    reason: str = ""


class RecommendationIn(Schema):
    items: list[ChoiceIn] = Field(
        default_factory=list, description="Only the needs that deviate from the capacity fill."
    )
    note: str = Field("", max_length=4000)


class StageIn(Schema):
    stage: Literal["scoring", "scoring_closed"]


class DecisionIn(Schema):
    decision: Outcome
    rationale: str = Field(min_length=1, max_length=4000)
    decided_on: date
    deferred_to: int | None = Field(
        None,
        description="The later round's id, when deferred; without it, the hub's next round "
        "(created in planning when there is none).",
    )


class DecisionOut(EntryOut):
    round: int = Field(alias="round_id")
    round_name: str
    deferred_to: int | None = Field(alias="deferred_to_id")

    @staticmethod
    def resolve_round_name(entry: Entry) -> str:
        return entry.round.name


def _round(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("hub"), pk=pk)


def _manager(request: SignedInApiRequest, round_: Round) -> User:
    if not policy.may_manage_round(request.auth, round_):
        raise HttpError(403, _("You may not manage this round."))
    return request.auth


def _entry(round_: Round, public_id: str) -> Entry:
    entry = (
        Entry.objects.filter(round=round_, proposal__public_id=public_id)
        .select_related("proposal", "round")
        .first()
    )
    if entry is None:
        raise HttpError(404, _("%(id)s is not in this round.") % {"id": public_id})
    return entry


@router.post("/rounds", response={201: RoundOut}, auth=SIGNED_IN)
def round_create(request: SignedInApiRequest, payload: RoundIn):
    """Create a round in planning (administrators, and the secretariat of the hub)."""
    hub: Hub | None
    if payload.hub is None:
        hub = national_hub()
    else:
        hub = Hub.objects.filter(pk=payload.hub, is_active=True).first()
        if hub is None:
            raise FieldError("hub", _("There is no active hub with this id."))
    if not policy.can(request.auth, Permission.MANAGE_ROUNDS, hub):
        raise HttpError(403, _("You may not create rounds in this hub."))
    criteria = (
        [services.CriterionInput(**c.dict() | {"steps": tuple(c.steps)}) for c in payload.criteria]
        if payload.criteria is not None
        else None
    )
    fields = payload.dict(exclude={"hub", "criteria", "costs", "name", "capacity"})
    round_ = services.round_create(
        hub=hub,
        name=payload.name,
        actor=request.auth,
        capacity=payload.capacity,
        costs=payload.costs,
        criteria=criteria,
        **fields,
    )
    return Status(201, _round(round_.pk))


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def round_list(request: HttpRequest):
    return Round.objects.select_related("hub").prefetch_related("criteria").order_by("-pk")


@router.get("/rounds/{round_id}", response=RoundOut)
def round_detail(request: HttpRequest, round_id: int):
    return _round(round_id)


@router.post("/rounds/{round_id}/stage", response=RoundOut, auth=SIGNED_IN)
def round_stage(request: SignedInApiRequest, round_id: int, payload: StageIn):
    """Open scoring (from planning) or close it."""
    round_ = _round(round_id)
    user = _manager(request, round_)
    if payload.stage == Stage.SCORING:
        services.scoring_open(round_=round_, actor=user)
    else:
        services.scoring_close(round_=round_, actor=user)
    return _round(round_id)


@router.get("/rounds/{round_id}/members", response=list[MemberOut], auth=SIGNED_IN)
@paginate(Pagination)
def member_list(request: SignedInApiRequest, round_id: int):
    round_ = _round(round_id)
    if not (
        policy.may_manage_round(request.auth, round_) or policy.round_member(request.auth, round_)
    ):
        raise HttpError(403, _("Only the committee and the secretariat see the members."))
    return [
        MemberOut(
            email=m.user.email, name=m.user.full_name, chair=m.is_chair, submitted_at=m.submitted_at
        )
        for m in round_.members.select_related("user")
    ]


@router.post("/rounds/{round_id}/members", response={201: MemberOut}, auth=SIGNED_IN)
def member_add(request: SignedInApiRequest, round_id: int, payload: MemberIn):
    round_ = _round(round_id)
    user = _manager(request, round_)
    person = User.objects.filter(email__iexact=payload.email).first()
    if person is None:
        raise FieldError("email", _("No user has this e-mail address."))
    member = services.member_add(round_=round_, user=person, actor=user, is_chair=payload.chair)
    return Status(
        201,
        MemberOut(
            email=person.email,
            name=person.full_name,
            chair=member.is_chair,
            submitted_at=member.submitted_at,
        ),
    )


@router.get("/rounds/{round_id}/proposals", response=list[EntryOut])
@paginate(Pagination)
def entry_list(request: HttpRequest, round_id: int):
    """The needs in the round (public: they are all screened and accepted)."""
    round_ = _round(round_id)
    return selectors.entries(round_).select_related("round").order_by("rank", "pk")


@router.post("/rounds/{round_id}/proposals", response={201: EntryOut}, auth=SIGNED_IN)
def entry_add(request: SignedInApiRequest, round_id: int, payload: EntryIn):
    round_ = _round(round_id)
    user = _manager(request, round_)
    proposal = Proposal.objects.visible_to(user).filter(public_id=payload.proposal).first()
    if proposal is None:
        raise FieldError(
            "proposal", _("There is no need with the id %(id)s.") % {"id": payload.proposal}
        )
    entry = services.entry_add(
        round_=round_, proposal=proposal, actor=user, product_kind=payload.product_kind
    )
    return Status(201, entry)


def _member(request: SignedInApiRequest, round_: Round):
    member = policy.round_member(request.auth, round_)
    if member is None:
        raise HttpError(403, _("Only the round's committee members score."))
    return member


def _scores_out(entry: Entry, card) -> ScoresOut:
    return ScoresOut(
        proposal=entry.proposal.public_id,
        scores={s.criterion.key: s.value for s in card.scores.select_related("criterion")}
        if card
        else {},
        recused=card.recused if card else False,
        recusal_reason=card.recusal_reason if card else "",
        comment=card.comment if card else "",
    )


@router.post("/rounds/{round_id}/scores/submit", response=MemberOut, auth=SIGNED_IN)
def scores_submit(request: SignedInApiRequest, round_id: int):
    """Hand in the calling member's scores: they count, and she sees the others'.

    Declared before /scores/{proposal}, which would otherwise take "submit" for an id."""
    round_ = _round(round_id)
    member = services.scores_submit(member=_member(request, round_), actor=request.auth)
    return MemberOut(
        email=member.user.email,
        name=member.user.full_name,
        chair=member.is_chair,
        submitted_at=member.submitted_at,
    )


@router.get("/rounds/{round_id}/scores/{public_id}", response=ScoresOut, auth=SIGNED_IN)
def scores_read(request: SignedInApiRequest, round_id: int, public_id: str):
    """The calling member's own scores of one need."""
    round_ = _round(round_id)
    member = _member(request, round_)
    entry = _entry(round_, public_id)
    return _scores_out(entry, entry.scorecards.filter(member=member).first())


@router.put("/rounds/{round_id}/scores/{public_id}", response=ScoresOut, auth=SIGNED_IN)
def scores_save(request: SignedInApiRequest, round_id: int, public_id: str, payload: ScoresIn):
    """Save the calling member's scores of one need: a number per criterion key, or null for
    "don't know"; or `recused` with a reason."""
    round_ = _round(round_id)
    member = _member(request, round_)
    entry = _entry(round_, public_id)
    card = services.scorecard_save(
        member=member,
        actor=request.user,
        entry=entry,
        scores=payload.scores,
        recused=payload.recused,
        recusal_reason=payload.recusal_reason,
        comment=payload.comment,
    )
    return _scores_out(entry, card)


@router.get("/rounds/{round_id}/ranking", response=RankingOut, auth=SIGNED_IN)
def ranking(request: SignedInApiRequest, round_id: int):
    """The ranking as DESIGN.md computes it, for those who may see the scores."""
    round_ = _round(round_id)
    member = policy.round_member(request.auth, round_)
    if not policy.may_see_scores(request.auth, round_, member):
        raise HttpError(
            403,
            _("The ranking shows once you have submitted your own scores, or when scoring closes."),
        )
    items = [
        RankedOut(
            rank=item.rank,
            proposal=item.entry.proposal.public_id,
            title=item.entry.proposal.title,
            total=item.total,
            criteria=item.means,
            raters=item.raters,
            recused=item.recused,
            agreement=item.agreement,
            flagged=item.flagged,
            endorsing_municipalities=item.endorsing_municipalities,
            within_capacity=item.recommended,
        )
        for item in selectors.ranking(round_)
    ]
    return RankingOut(count=len(items), items=items)


@router.post("/rounds/{round_id}/recommendation", response=list[EntryOut], auth=SIGNED_IN)
def recommendation(request: SignedInApiRequest, round_id: int, payload: RecommendationIn):
    """Freeze the recommendation: the capacity fill, with the deviations given and their reasons."""
    round_ = _round(round_id)
    if not policy.may_recommend(request.auth, round_, policy.round_member(request.auth, round_)):
        raise HttpError(
            403, _("The committee's chair or the secretariat freezes the recommendation.")
        )
    by_id = {
        entry.proposal.public_id: entry.pk for entry in round_.entries.select_related("proposal")
    }
    choices = {}
    for item in payload.items:
        if item.proposal not in by_id:
            raise FieldError("items", _("%(id)s is not in this round.") % {"id": item.proposal})
        choices[by_id[item.proposal]] = services.Choice(item.recommended, item.reason)
    services.recommendation_freeze(
        round_=round_, actor=request.auth, choices=choices, note=payload.note
    )
    return [e for e in round_.entries.select_related("proposal", "round").order_by("rank")]


@router.post("/rounds/{round_id}/decisions/{public_id}", response=DecisionOut, auth=SIGNED_IN)
def decision(request: SignedInApiRequest, round_id: int, public_id: str, payload: DecisionIn):
    """Record the steering group's decision on one need. A deferral without `deferred_to` goes
    to the hub's next round, which is created in planning when the hub has none."""
    round_ = _round(round_id)
    if not policy.may_decide(request.auth, round_):
        raise HttpError(403, _("Only the steering group and the secretariat record decisions."))
    deferred_to = None
    if payload.deferred_to is not None:
        deferred_to = Round.objects.filter(pk=payload.deferred_to).first()
        if deferred_to is None:
            raise FieldError("deferred_to", _("There is no round with this id."))
    entry = services.decision_record(
        entry=_entry(round_, public_id),
        actor=request.auth,
        decision=payload.decision,
        rationale=payload.rationale,
        decided_on=payload.decided_on,
        deferred_to=deferred_to,
    )
    return entry


@router.get("/decisions", response=list[DecisionOut])
@paginate(Pagination)
def decision_list(request: HttpRequest, round: int | None = None):
    """The public decision log, newest meeting first."""
    chosen = _round(round) if round is not None else None
    return selectors.decision_log(round_=chosen)
