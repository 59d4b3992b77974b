"""Writes to rounds: set-up, membership, entries, scoring, the recommendation and the decision.

Every change of a need's status goes through proposals' history (one event per transition) in
the same transaction as the change; e-mail is queued in that transaction too, so nothing is
told that was not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.accounts.models import Role
from kunnskap.accounts.services import role_grant
from kunnskap.history import update_with_history
from kunnskap.organisations.models import Hub
from kunnskap.proposals.choices import CRITERIA as NEED_CRITERIA
from kunnskap.proposals.choices import Status, may_move
from kunnskap.proposals.models import Proposal
from kunnskap.proposals.services import proposal_move, status_link_create, status_url
from kunnskap.taxonomy.models import PublicationKind

from .models import (
    OPEN_STAGES,
    PHASES,
    Criterion,
    Entry,
    Member,
    Outcome,
    Round,
    Score,
    Scorecard,
    Stage,
)
from .selectors import later_rounds, missing_scorecards, ranking

if TYPE_CHECKING:
    from kunnskap.accounts.models import User


@dataclass(frozen=True)
class CriterionInput:
    key: str
    label: str
    help_text: str = ""
    scale_max: int = 5
    weight: Decimal | float | int = 1
    steps: tuple[str, ...] = ()


def default_criteria() -> list[CriterionInput]:
    """Seed 003's criteria: benefit, resources (5 = uses few) and severity, on 1–5."""
    return [
        CriterionInput(
            "benefit",
            _("Benefit"),
            _("Priority rises with the expected benefit of the measure."),
            steps=(
                _("Little or no benefit"),
                _("Some benefit"),
                _("Moderate benefit"),
                _("Large benefit"),
                _("Very large benefit"),
            ),
        ),
        CriterionInput(
            "resources",
            _("Resources"),
            _("Priority rises the fewer resources the measure takes (5 = uses few)."),
            steps=(
                _("Takes very many resources"),
                _("Takes many resources"),
                _("Takes moderate resources"),
                _("Takes few resources"),
                _("Takes very few resources"),
            ),
        ),
        CriterionInput(
            "severity",
            _("Severity"),
            _("Priority rises with the severity of the condition."),
            steps=(
                _("Not severe"),
                _("Slightly severe"),
                _("Moderately severe"),
                _("Severe"),
                _("Very severe"),
            ),
        ),
    ]


def seed_criteria() -> list[CriterionInput]:
    """The longer list of seed 001, the questions a submitter answers, as scoring criteria."""
    return [
        CriterionInput(
            criterion.key.replace("_", "-"),
            str(criterion.question),
            _("5 = to a high degree, 1 = not at all."),
        )
        for criterion in NEED_CRITERIA
    ]


CRITERIA_SETS = {
    "default": (gettext_lazy("Benefit, resources, severity (seed 003)"), default_criteria),
    "seed-001": (gettext_lazy("The ten questions of the proposal form (seed 001)"), seed_criteria),
}


def _locked_round(round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk)


def _check_costs(costs: dict[str, Any]) -> dict[str, int]:
    kinds = set(PublicationKind.values)
    clean = {}
    for kind, cost in (costs or {}).items():
        if kind not in kinds:
            raise ValidationError({"costs": _("Unknown product kind: %(kind)s.") % {"kind": kind}})
        if not isinstance(cost, int) or isinstance(cost, bool) or cost < 1:
            raise ValidationError(
                {
                    "costs": _("The cost of %(kind)s must be a whole number of at least 1.")
                    % {"kind": kind}
                }
            )
        clean[kind] = cost
    return clean


def _criteria_create(round_: Round, criteria: list[CriterionInput]) -> None:
    if not criteria:
        raise ValidationError({"criteria": _("A round needs at least one criterion.")})
    keys = [criterion.key for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValidationError({"criteria": _("Each criterion needs its own key.")})
    for position, item in enumerate(criteria):
        steps = list(item.steps)
        if steps and len(steps) != item.scale_max:
            raise ValidationError(
                {
                    "criteria": _("%(key)s: give one help text per step, %(n)s in all.")
                    % {"key": item.key, "n": item.scale_max}
                }
            )
        criterion = Criterion(
            round=round_,
            key=item.key,
            label=item.label,
            help_text=item.help_text,
            scale_max=item.scale_max,
            weight=Decimal(str(item.weight)),
            steps=[str(step) for step in steps],
            position=position,
        )
        try:
            criterion.full_clean(exclude=["round"])
        except ValidationError as error:
            raise ValidationError(
                {"criteria": [f"{item.key}: {message}" for message in error.messages]}
            ) from error
        criterion.save()


ROUND_FIELDS = ("name", "description", *PHASES, "capacity", "agreement_threshold")


@transaction.atomic
def round_create(
    *,
    hub: Hub,
    name: str,
    actor: User,
    capacity: int = 3,
    costs: dict[str, Any] | None = None,
    criteria: list[CriterionInput] | None = None,
    **dates: Any,
) -> Round:
    """A new round in planning, with its criteria (the default three unless others are given)."""
    policy.require(hub.is_active and policy.may_manage_round(actor, hub))
    unknown = set(dates) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"round_create() got unexpected fields: {sorted(unknown)}")
    round_ = Round(hub=hub, name=name.strip(), capacity=capacity, costs=_check_costs(costs or {}))
    for field_name, value in dates.items():
        setattr(round_, field_name, value)
    _check_dates(round_)
    round_.full_clean()
    round_.save()
    _criteria_create(round_, criteria if criteria is not None else default_criteria())
    return round_


def _field_label(name: str) -> str:
    return str(getattr(Round._meta.get_field(name), "verbose_name", name))


def _check_dates(round_: Round) -> None:
    previous: tuple[str, date] | None = None
    for field_name in PHASES:
        value = getattr(round_, field_name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            label = _field_label(field_name)
            earlier = _field_label(previous[0])
            raise ValidationError(
                {
                    field_name: _("%(this)s cannot be before %(earlier)s.")
                    % {"this": str(label).capitalize(), "earlier": str(earlier).lower()}
                }
            )
        previous = (field_name, value)


@transaction.atomic
def round_update(
    *,
    round_: Round,
    actor: User,
    changes: dict[str, Any],
    costs: dict[str, Any] | None = None,
    criteria: list[CriterionInput] | None = None,
) -> Round:
    """Change a round's set-up; criteria only before anyone has scored."""
    policy.require(policy.may_manage_round(actor, round_))
    round_ = _locked_round(round_)
    if round_.stage in (Stage.RECOMMENDED, Stage.DECIDED):
        raise ValidationError(_("The recommendation is frozen; the round can no longer change."))
    for field_name, value in changes.items():
        if field_name not in ROUND_FIELDS:
            raise TypeError(f"round_update() cannot change {field_name}")
        setattr(round_, field_name, value)
    if costs is not None:
        round_.costs = _check_costs(costs)
    _check_dates(round_)
    round_.full_clean()
    round_.save()
    if criteria is not None:
        if Score.objects.filter(criterion__round=round_).exists():
            raise ValidationError(
                {"criteria": _("Members have started scoring; the criteria can no longer change.")}
            )
        round_.criteria.all().delete()
        _criteria_create(round_, criteria)
    return round_


@transaction.atomic
def member_add(*, round_: Round, user: User, actor: User, is_chair: bool = False) -> Member:
    """Put a person on the round's committee (and give her the committee role in the hub)."""
    policy.require(policy.may_manage_round(actor, round_))
    if round_.stage not in OPEN_STAGES:
        raise ValidationError(_("Scoring has closed; the committee can no longer change."))
    if not user.is_active:
        raise ValidationError({"email": _("This user account is deactivated.")})
    member, created = Member.objects.get_or_create(
        round=round_, user=user, defaults={"is_chair": is_chair}
    )
    if not created and member.is_chair != is_chair:
        member.is_chair = is_chair
        member.save(update_fields=["is_chair"])
    role_grant(user=user, role=Role.COMMITTEE, hub=round_.hub)
    if created and round_.stage == Stage.SCORING:
        mail.scoring_open(round_=round_, emails=[user.email])
    return member


@transaction.atomic
def member_remove(*, member: Member, actor: User) -> None:
    """Take a person off the committee before she has submitted."""
    policy.require(policy.may_manage_round(actor, member.round))
    round_ = _locked_round(member.round)
    if round_.stage not in OPEN_STAGES:
        raise ValidationError(_("Scoring has closed; the committee can no longer change."))
    if member.submitted_at is not None:
        raise ValidationError(
            _("%(name)s has submitted scores; reopen them before removing her.")
            % {"name": member.user}
        )
    member.delete()


@transaction.atomic
def entry_add(*, round_: Round, proposal: Proposal, actor: User, product_kind: str = "") -> Entry:
    """Put an eligible (or deferred) need of the round's hub into the round."""
    policy.require(policy.may_manage_round(actor, round_))
    round_ = _locked_round(round_)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if round_.stage not in OPEN_STAGES:
        raise ValidationError(_("The recommendation is being made; no needs can be added now."))
    if not policy.may_see_proposal(actor, proposal):
        # The same words as for an id that does not exist: nothing of it may show.
        raise ValidationError(
            {"proposal": _("There is no need with the id %(id)s.") % {"id": proposal.public_id}}
        )
    if proposal.hub_id != round_.hub_id:
        raise ValidationError(
            {
                "proposal": _("%(id)s belongs to another hub; forward it first.")
                % {"id": proposal.public_id}
            }
        )
    if not may_move(proposal.status, Status.IN_ROUND):
        raise ValidationError(
            {
                "proposal": _("%(id)s is %(status)s; only eligible or deferred needs join a round.")
                % {"id": proposal.public_id, "status": proposal.get_status_display().lower()}
            }
        )
    kind = product_kind or PublicationKind.SHORT_SUMMARY
    if kind not in PublicationKind.values:
        raise ValidationError(
            {"product_kind": _("Unknown product kind: %(kind)s.") % {"kind": kind}}
        )
    carried_from = (
        proposal.round_entries.filter(decision=Outcome.DEFERRED).order_by("-decided_at").first()
        if proposal.status == Status.DEFERRED
        else None
    )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                round=round_, proposal=proposal, product_kind=kind, carried_from=carried_from
            )
    except IntegrityError as error:
        raise ValidationError(
            {"proposal": _("%(id)s is already in this round.") % {"id": proposal.public_id}}
        ) from error
    proposal_move(proposal=proposal, to_status=Status.IN_ROUND, actor=actor, note=round_.name)
    return entry


@transaction.atomic
def entry_remove(*, entry: Entry, actor: User, reason: str) -> None:
    """Take a need out of a round again (it returns to where it came from)."""
    policy.require(policy.may_manage_round(actor, entry.round))
    round_ = _locked_round(entry.round)
    if round_.stage not in OPEN_STAGES:
        raise ValidationError(_("The recommendation is being made; no needs can be removed now."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the need leaves the round.")})
    proposal = Proposal.objects.select_for_update().get(pk=entry.proposal_id)
    back_to = Status.DEFERRED if entry.carried_from_id else Status.ELIGIBLE
    entry.delete()
    proposal_move(
        proposal=proposal, to_status=back_to, actor=actor, note=reason.strip(), staff_only=True
    )


@transaction.atomic
def scoring_open(*, round_: Round, actor: User) -> Round:
    """Open scoring from planning; the members are told."""
    policy.require(policy.may_manage_round(actor, round_))
    round_ = _locked_round(round_)
    if round_.stage != Stage.PLANNING:
        raise ValidationError(_("Scoring can only open once, from planning."))
    if not round_.entries.exists():
        raise ValidationError(_("Add the needs to be scored first."))
    if not round_.members.exists():
        raise ValidationError(_("Add the committee's members first."))
    round_.stage = Stage.SCORING
    round_.save(update_fields=["stage"])
    mail.scoring_open(
        round_=round_, emails=list(round_.members.values_list("user__email", flat=True))
    )
    return round_


@transaction.atomic
def scoring_close(*, round_: Round, actor: User) -> Round:
    """Close scoring: every saved score counts from now on, and everyone sees every score."""
    policy.require(policy.may_manage_round(actor, round_))
    round_ = _locked_round(round_)
    if round_.stage != Stage.SCORING:
        raise ValidationError(_("Scoring is not open."))
    now = timezone.now()
    update_with_history(
        round_.members.filter(submitted_at__isnull=True), actor=actor, submitted_at=now
    )
    round_.stage = Stage.SCORING_CLOSED
    round_.scoring_closed_at = now
    round_.save(update_fields=["stage", "scoring_closed_at"])
    return round_


def _check_scoring(member: Member) -> None:
    if member.round.stage != Stage.SCORING:
        raise ValidationError(_("Scoring is not open in this round."))
    if member.submitted_at is not None:
        raise ValidationError(
            _("You have submitted your scores; ask the secretariat to reopen them to change them.")
        )


@transaction.atomic
def scorecard_save(
    *,
    member: Member,
    actor: User,
    entry: Entry,
    scores: dict[str, int | None],
    recused: bool = False,
    recusal_reason: str = "",
    comment: str = "",
) -> Scorecard:
    """Store one member's scores of one need. Other members' cards are other rows: saving at the
    same time never overwrites anyone else's. The member scores for herself only."""
    policy.require(policy.is_member_self(actor, member))
    member = Member.objects.select_related("round").get(pk=member.pk)
    _check_scoring(member)
    if entry.round_id != member.round_id:
        raise ValidationError(_("This need is not in your round."))
    criteria = {criterion.key: criterion for criterion in member.round.criteria.all()}
    errors: dict[str, list[str]] = {}
    if recused and not recusal_reason.strip():
        errors["recusal_reason"] = [_("Give the reason for the conflict of interest.")]
    for key, value in scores.items():
        criterion = criteria.get(key)
        if criterion is None:
            errors[f"scores.{key}"] = [_("This round has no criterion %(key)s.") % {"key": key}]
        elif value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= criterion.scale_max
        ):
            errors[f"scores.{key}"] = [
                _("Give a whole number from 1 to %(max)s, or “don't know”.")
                % {"max": criterion.scale_max}
            ]
    if errors:
        raise ValidationError(errors)
    card, _created = Scorecard.objects.update_or_create(
        entry=entry,
        member=member,
        defaults={
            "recused": recused,
            "recusal_reason": recusal_reason.strip() if recused else "",
            "comment": comment.strip(),
        },
    )
    if recused:
        card.scores.all().delete()  # a recused member's scores must not count, nor linger
        return card
    for key, value in scores.items():
        Score.objects.update_or_create(
            scorecard=card, criterion=criteria[key], defaults={"value": value}
        )
    return card


@transaction.atomic
def scores_submit(*, member: Member, actor: User) -> Member:
    """A member hands in her scores: they count, and she sees the others'."""
    policy.require(policy.is_member_self(actor, member))
    member = Member.objects.select_for_update().select_related("round").get(pk=member.pk)
    _check_scoring(member)
    missing = missing_scorecards(member)
    if missing:
        raise ValidationError(
            _("Score or recuse yourself from every need first. Missing: %(ids)s.")
            % {"ids": ", ".join(entry.proposal.public_id for entry in missing)}
        )
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])
    return member


@transaction.atomic
def scores_reopen(*, member: Member, actor: User) -> Member:
    """The secretariat lets a member change her submitted scores."""
    policy.require(policy.may_manage_round(actor, member.round))
    member = Member.objects.select_for_update().select_related("round").get(pk=member.pk)
    if member.round.stage != Stage.SCORING:
        raise ValidationError(_("Scoring is not open in this round."))
    member.submitted_at = None
    member.save(update_fields=["submitted_at"])
    return member


@dataclass(frozen=True)
class Choice:
    recommended: bool
    reason: str = ""


@transaction.atomic
def recommendation_freeze(
    *, round_: Round, actor: User, choices: dict[int, Choice], note: str = ""
) -> Round:
    """Freeze the committee's ranked list. Choices are by entry id; leaving an entry out takes
    the capacity-filling proposal. Every deviation from that proposal needs a written reason."""
    policy.require(policy.may_recommend(actor, round_, policy.round_member(actor, round_)))
    round_ = _locked_round(round_)
    if round_.stage != Stage.SCORING_CLOSED:
        raise ValidationError(_("Close scoring before freezing the recommendation."))
    ranked = ranking(round_)
    unknown = set(choices) - {item.entry.pk for item in ranked}
    if unknown:
        raise ValidationError({"items": _("Some needs are not in this round.")})
    errors = []
    spent = 0
    for item in ranked:
        choice = choices.get(item.entry.pk, Choice(recommended=item.recommended))
        if choice.recommended != item.recommended and not choice.reason.strip():
            errors.append(
                _("%(id)s: give the reason for deviating from the ranking.")
                % {"id": item.entry.proposal.public_id}
            )
        if choice.recommended:
            spent += round_.cost_of(item.entry.product_kind)
    if spent > round_.capacity:
        errors.append(
            ngettext(
                "The recommended needs cost %(spent)s unit; the capacity is %(capacity)s.",
                "The recommended needs cost %(spent)s units; the capacity is %(capacity)s.",
                spent,
            )
            % {"spent": spent, "capacity": round_.capacity}
        )
    if errors:
        raise ValidationError({"items": errors})
    for item in ranked:
        choice = choices.get(item.entry.pk, Choice(recommended=item.recommended))
        entry = item.entry
        entry.rank = item.rank
        entry.total = item.total
        entry.agreement = item.agreement
        entry.raters = item.raters
        entry.criterion_means = item.means
        entry.flagged = item.flagged
        entry.recommended = choice.recommended
        entry.deviation_reason = (
            choice.reason.strip() if choice.recommended != item.recommended else ""
        )
        entry.save()
        status = Status.RECOMMENDED if choice.recommended else Status.NOT_RECOMMENDED
        proposal_move(proposal=entry.proposal, to_status=status, actor=actor)
    round_.stage = Stage.RECOMMENDED
    round_.recommended_at = timezone.now()
    round_.recommendation_note = note.strip()
    round_.save(update_fields=["stage", "recommended_at", "recommendation_note"])
    return round_


DECISION_STATUS = {
    Outcome.COMMISSIONED: Status.COMMISSIONED,
    Outcome.NOT_COMMISSIONED: Status.NOT_COMMISSIONED,
    Outcome.DEFERRED: Status.DEFERRED,
}


@transaction.atomic
def decision_record(
    *,
    entry: Entry,
    actor: User,
    decision: str,
    rationale: str,
    decided_on: date,
    deferred_to: Round | None = None,
) -> Entry:
    """The steering group's decision on one need; the submitter and the endorsers are told.

    A deferral without a named round goes to the hub's next round, which is created in
    planning when the hub has none (`_next_round`)."""
    policy.require(policy.may_decide(actor, entry.round))
    round_ = _locked_round(entry.round)
    entry = Entry.objects.select_for_update().select_related("proposal").get(pk=entry.pk)
    if round_.stage not in (Stage.RECOMMENDED, Stage.DECIDED):
        raise ValidationError(_("The committee's recommendation must be frozen first."))
    if entry.decision:
        raise ValidationError(_("This need has been decided; the decision stays on the record."))
    errors: dict[str, str] = {}
    if decision not in Outcome.values:
        errors["decision"] = _("Choose ordered, not ordered or deferred.")
    if not rationale.strip():
        errors["rationale"] = _("Give the rationale the submitter will read.")
    if decision == Outcome.DEFERRED:
        if deferred_to is None and not errors:
            deferred_to = _next_round(round_)
        elif deferred_to is not None and (
            deferred_to.pk == round_.pk
            or deferred_to.hub_id != round_.hub_id
            or deferred_to.stage not in OPEN_STAGES  # it could never take the need in
        ):
            errors["deferred_to"] = _("Choose a later round of the same hub.")
    elif deferred_to is not None:
        errors["deferred_to"] = _("Only a deferred need names a later round.")
    if errors:
        raise ValidationError(errors)
    entry.decision = decision
    entry.rationale = rationale.strip()
    entry.decided_on = decided_on
    entry.deferred_to = deferred_to
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.save()
    proposal = Proposal.objects.select_for_update().get(pk=entry.proposal_id)
    proposal_move(
        proposal=proposal,
        to_status=DECISION_STATUS[Outcome(decision)],
        actor=actor,
        note=entry.rationale,
    )
    if not round_.entries.filter(decision="").exists():
        round_.stage = Stage.DECIDED
        round_.save(update_fields=["stage"])
    _tell_about_decision(entry, proposal)
    return entry


def _next_round(round_: Round) -> Round:
    """The hub's next round for a deferred need; a new one in planning when there is none, so
    a steering group can always defer (the secretariat sets its timetable later)."""
    later = later_rounds(round_).first()
    if later is not None:
        return later
    name = _("Next round after %(round)s") % {"round": round_.name}
    new = Round(
        hub=round_.hub,
        name=name[: Round._meta.get_field("name").max_length],
        capacity=round_.capacity,
        costs=dict(round_.costs),
        agreement_threshold=round_.agreement_threshold,
    )
    new.full_clean()
    new.save()
    # The same criteria as the round it follows; they can change until scoring starts.
    _criteria_create(
        new,
        [
            CriterionInput(
                key=criterion.key,
                label=criterion.label,
                help_text=criterion.help_text,
                scale_max=criterion.scale_max,
                weight=criterion.weight,
                steps=tuple(criterion.steps or ()),
            )
            for criterion in round_.criteria.all()
        ]
        or default_criteria(),
    )
    return new


def _tell_about_decision(entry: Entry, proposal: Proposal) -> None:
    if proposal.submitter_email:
        mail.proposal_decided(
            proposal=proposal,
            entry=entry,
            to=proposal.submitter_email,
            name=proposal.submitter_name,
            status_url=status_url(status_link_create(proposal=proposal)),
            language=proposal.submitter_language,
        )
    endorsers = (
        proposal.endorsements.filter(is_original=False)
        .exclude(email="")
        .exclude(email__iexact=proposal.submitter_email)
        .values_list("name", "email")
        .distinct()
    )
    for name, email in endorsers:
        mail.proposal_decided(
            proposal=proposal,
            entry=entry,
            to=email,
            name=name,
            status_url=settings.SITE_URL + proposal.get_absolute_url(),
        )
