"""Writes to commissions: the order, changes of scope, milestone plans and reports, reminders.

Each step that the submitter should see becomes a public event on the need's timeline, in the
same transaction; the need's status follows the commission (in production, delivered).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission
from kunnskap.history import update_with_history
from kunnskap.library import services as library
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.organisations.models import Hub
from kunnskap.proposals.choices import Status, may_move
from kunnskap.proposals.models import Proposal
from kunnskap.proposals.services import proposal_move, proposal_note
from kunnskap.rounds.models import Entry, Outcome
from kunnskap.taxonomy.models import PublicationKind

from .models import (
    Commission,
    CommissionStatus,
    Milestone,
    MilestoneKind,
    Producer,
    ScopeChange,
)
from .selectors import overdue_milestones

CLOSED = (CommissionStatus.DELIVERED, CommissionStatus.CANCELLED)


@transaction.atomic
def commission_create(
    *,
    entry: Entry,
    actor: User,
    producer: Producer,
    question: str,
    due_on: date,
    product_kind: str = "",
    milestones: dict[str, date | None] | None = None,
) -> Commission:
    """Order the product the steering group decided on, from one producer."""
    policy.require(policy.may_manage_commission(actor, entry.round))
    entry = Entry.objects.select_for_update().select_related("proposal", "round").get(pk=entry.pk)
    if entry.decision != Outcome.COMMISSIONED:
        raise ValidationError(_("Only a need the steering group decided to order is commissioned."))
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write the question the producer will answer.")})
    kind = product_kind or entry.product_kind
    if kind not in PublicationKind.values:
        raise ValidationError(
            {"product_kind": _("Unknown product kind: %(kind)s.") % {"kind": kind}}
        )
    try:
        with transaction.atomic():
            commission = Commission.objects.create(
                entry=entry,
                proposal=entry.proposal,
                hub=entry.round.hub,
                producer=producer,
                question=question,
                product_kind=kind,
                due_on=due_on,
                ordered_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(_("This decision has been commissioned already.")) from error
    plan = milestones if milestones is not None else {MilestoneKind.DELIVERED: due_on}
    for kind_key, due in plan.items():
        if kind_key not in MilestoneKind.values:
            raise ValidationError(
                {"milestones": _("Unknown milestone: %(kind)s.") % {"kind": kind_key}}
            )
        Milestone.objects.create(commission=commission, kind=kind_key, due_on=due)
    proposal_note(
        proposal=entry.proposal,
        actor=actor,
        note=_("Ordered from %(producer)s: %(question)s")
        % {"producer": producer.name, "question": question},
    )
    # Listed at once in the library as ongoing, so nobody starts the same work twice.
    library.publication_create(
        data=library.PublicationInput(
            title=entry.proposal.title,
            kind=kind,
            status=PublicationStatus.ONGOING,
            summary=_("Ordered from %(producer)s. Expected %(date)s.")
            % {"producer": producer.name, "date": date_format(due_on, "j. F Y")},
            question=question,
            producer=producer,
            started_on=timezone.localdate(),
            expected_on=due_on,
            proposals=[entry.proposal],
            service_areas=[entry.proposal.service_area] if entry.proposal.service_area else [],
            themes=[entry.proposal.theme] if entry.proposal.theme else [],
        ),
        actor=actor,
        commission=commission,
    )
    return commission


@transaction.atomic
def commission_change_scope(
    *, commission: Commission, actor: User, question: str, reason: str
) -> ScopeChange:
    """Change the agreed question; the old one and the reason stay on the record."""
    policy.require(policy.may_manage_commission(actor, commission))
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    question, reason = question.strip(), reason.strip()
    errors = {}
    if not question:
        errors["question"] = _("Write the new question.")
    elif question == commission.question:
        errors["question"] = _("The question is the same as before.")
    if not reason:
        errors["reason"] = _("Say why the scope changes.")
    if errors:
        raise ValidationError(errors)
    change = ScopeChange.objects.create(
        commission=commission,
        question_before=commission.question,
        question_after=question,
        reason=reason,
        changed_by=actor,
    )
    commission.question = question
    commission.save(update_fields=["question"])
    ongoing = Publication.objects.filter(commission=commission).first()
    if ongoing is not None and ongoing.status == PublicationStatus.ONGOING:
        library.publication_update(
            publication=ongoing,
            data=library.input_from(ongoing, question=question),
            actor=actor,
            note="",
        )
    proposal_note(
        proposal=commission.proposal,
        actor=actor,
        note=_("The question was changed to: %(question)s. Reason: %(reason)s")
        % {"question": question, "reason": reason},
    )
    return change


@transaction.atomic
def milestone_plan(
    *, commission: Commission, actor: User, kind: str, due_on: date | None
) -> Milestone:
    """Plan (or move) a milestone's date; the delivery's date is the commission's due date."""
    policy.require(policy.may_manage_commission(actor, commission))
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("Unknown milestone: %(kind)s.") % {"kind": kind}})
    milestone, _created = Milestone.objects.update_or_create(
        commission=commission, kind=kind, defaults={"due_on": due_on}
    )
    if kind == MilestoneKind.DELIVERED and due_on is not None:
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        commission.due_on = due_on
        commission.save(update_fields=["due_on"])
    return milestone


@transaction.atomic
def milestone_report(
    *, commission: Commission, actor: User, kind: str, done_on: date, note: str = ""
) -> Milestone:
    """A producer reports a milestone done; starting and delivering move the need along."""
    policy.require(policy.may_report_milestone(actor, commission))
    commission = (
        Commission.objects.select_for_update().select_related("proposal").get(pk=commission.pk)
    )
    # Publishing the product closes an order (`commission_complete`); the producer may still
    # report the day she delivered it.
    late_delivery = (
        commission.status == CommissionStatus.DELIVERED and kind == MilestoneKind.DELIVERED
    )
    if commission.status in CLOSED and not late_delivery:
        raise ValidationError(
            _("The commission is %(status)s.") % {"status": commission.get_status_display().lower()}
        )
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("Unknown milestone: %(kind)s.") % {"kind": kind}})
    milestone, _created = Milestone.objects.get_or_create(commission=commission, kind=kind)
    if milestone.done_on is not None:
        raise ValidationError({"kind": _("This milestone is reported already.")})
    milestone.done_on = done_on
    milestone.note = note.strip()
    milestone.reported_by = actor
    milestone.save()
    label = MilestoneKind(kind).label
    text = f"{label}: {milestone.note}" if milestone.note else str(label)
    proposal = commission.proposal
    if kind == MilestoneKind.DELIVERED:
        commission.status = CommissionStatus.DELIVERED
        commission.delivered_on = done_on
        commission.save(update_fields=["status", "delivered_on"])
        _move_or_note(proposal, to_status=Status.DELIVERED, actor=actor, note=text)
    elif commission.status == CommissionStatus.ORDERED:
        commission.status = CommissionStatus.IN_PRODUCTION
        commission.save(update_fields=["status"])
        _move_or_note(proposal, to_status=Status.IN_PRODUCTION, actor=actor, note=text)
    else:
        proposal_note(proposal=proposal, actor=actor, note=text)
    return milestone


@transaction.atomic
def commission_complete(*, commission: Commission, actor: User | None) -> Commission:
    """Its product is published in the library: an open commission is delivered (with the
    publication date when no delivery was reported), so no list shows it as work to do."""
    if actor is not None:
        policy.require(policy.may_write_publication(actor, commission=commission))
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if commission.status in CLOSED:
        return commission
    commission.status = CommissionStatus.DELIVERED
    commission.delivered_on = commission.delivered_on or timezone.localdate()
    commission.save(update_fields=["status", "delivered_on"])
    return commission


def _move_or_note(proposal: Proposal, *, to_status: str, actor: User, note: str) -> None:
    """A milestone moves the need on, unless it is further already (its product was published
    before the delivery was reported): then the milestone is a step on its timeline."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if may_move(proposal.status, to_status):
        proposal_move(proposal=proposal, to_status=to_status, actor=actor, note=note)
    else:
        proposal_note(proposal=proposal, actor=actor, note=note)


def secretariat_emails(hub: Hub) -> list[str]:
    """Who is told of a hub's overdue milestones: the people who manage its commissions (none
    when the hub is inactive)."""
    return sorted(
        policy.users_with(Permission.MANAGE_ROUNDS, hub)
        .order_by()
        .values_list("email", flat=True)
        .distinct()
    )


@transaction.atomic
def overdue_reminders_send(*, today: date) -> int:
    """Tell each hub's secretariat of its overdue milestones, once a day at most."""
    by_hub: dict[Hub, list[Milestone]] = defaultdict(list)
    for milestone in overdue_milestones(today=today).select_for_update(of=("self",)):
        by_hub[milestone.commission.hub].append(milestone)
    for hub, milestones in by_hub.items():
        emails = secretariat_emails(hub)
        if emails:
            mail.milestones_overdue(emails=emails, milestones=milestones, today=today)
    sent = [m.pk for ms in by_hub.values() for m in ms]
    update_with_history(Milestone.objects.filter(pk__in=sent), reminded_on=today)
    return len(sent)
