"""Writes of follow-up: adoption steps, evaluations, mini-HTA decisions, pilots, usefulness.

Every service takes the acting person and asks the policy first (`policy.may_record_for`: a
municipality writes for itself, its hub's staff may correct). Each checks the state it starts
from, refuses bad input with a `ValidationError` keyed by field before it writes anything, and
writes a step or history row in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.history import history_by, update_with_history
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.limits import services as limits
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.proposals.models import Proposal
from kunnskap.search import services as search
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme

from .models import (
    TRANSITIONS,
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Evaluation,
    HtaDecision,
    HtaDecisionKind,
    Measure,
    NotAdoptedReason,
    Pilot,
    Usefulness,
)

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

PILOT_KIND = "pilot"
EVALUATION_MONTHS = 12
# The contact is reminded this many days before the evaluation date.
REMINDER_DAYS = 30


def default_evaluation_due(start: date) -> date:
    """Twelve months after the product came into use (the 29th of February becomes the 28th)."""
    try:
        return start.replace(year=start.year + EVALUATION_MONTHS // 12)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def _require_published(publication: Publication) -> None:
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError(
            {"publication": _("Only a published product can be adopted or evaluated.")}
        )


def _check_date(value: date, field_name: str, *, after: date | None, after_label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field_name: _("The date cannot be in the future.")})
    if after is not None and value < after:
        raise ValidationError(
            {
                field_name: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": after_label, "date": after.isoformat()}
            }
        )


@transaction.atomic
def adoption_record(
    *,
    publication: Publication,
    municipality: Municipality,
    actor: User,
    status: str,
    unit: Unit | None = None,
    reason: str = "",
    note: str = "",
    on: date | None = None,
    evaluation_due: date | None = None,
) -> Adoption:
    """Record the next step of a municipality (or unit) with a product: considering, decided to
    adopt, in use or not adopted. Putting it in use sets the evaluation date (12 months on
    unless given) and makes the actor the contact the reminder goes to."""
    policy.require(
        policy.may_record_for(actor, municipality.pk),
        _("You record what your own municipality does."),
    )
    _require_published(publication)
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("The unit does not belong to the municipality.")})
    if status == AdoptionStatus.EVALUATED:
        raise ValidationError({"status": _("Record an evaluation to mark the use as evaluated.")})
    if status not in AdoptionStatus.values:
        raise ValidationError(
            {
                "status": _("Must be one of: %(choices)s.")
                % {"choices": ", ".join(TRANSITIONS[None])}
            }
        )
    reason = reason or ""
    if status == AdoptionStatus.NOT_ADOPTED:
        if reason not in NotAdoptedReason.values:
            raise ValidationError({"reason": _("Say why the product was not adopted.")})
    elif reason:
        raise ValidationError(
            {"reason": _("A reason is given only when a product is not adopted.")}
        )
    adoption = (
        Adoption.objects.select_for_update()
        .filter(publication=publication, municipality=municipality, unit=unit)
        .first()
    )
    current = adoption.status if adoption else None
    if status not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("The record cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": AdoptionStatus(current).label if current else "",
                    "to": AdoptionStatus(status).label,
                }
            }
        )
    on = on or timezone.localdate()
    _check_date(
        on,
        "decided_on",
        after=adoption.decided_on if adoption else None,
        after_label=_("the previous step"),
    )
    if status == AdoptionStatus.IN_USE:
        evaluation_due = evaluation_due or default_evaluation_due(on)
        if evaluation_due <= on:
            raise ValidationError(
                {"evaluation_due": _("The evaluation must come after the product came into use.")}
            )
    elif evaluation_due is not None:
        raise ValidationError(
            {"evaluation_due": _("An evaluation date is set when the product comes into use.")}
        )
    if adoption is None:
        adoption = Adoption(publication=publication, municipality=municipality, unit=unit)
    adoption.status, adoption.reason, adoption.decided_on = status, reason, on
    adoption.note = note.strip()
    if status == AdoptionStatus.IN_USE:
        adoption.evaluation_due, adoption.reminded_on, adoption.contact = (
            evaluation_due,
            None,
            actor,
        )
    elif status == AdoptionStatus.NOT_ADOPTED:
        adoption.evaluation_due = None
    if status in (AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE):
        adoption.first_adopted_on = adoption.first_adopted_on or on
    adoption.full_clean()
    history_by(adoption, actor)
    adoption.save()
    AdoptionStep.objects.create(
        adoption=adoption, status=status, reason=reason, on=on, note=adoption.note, actor=actor
    )
    return adoption


@dataclass(frozen=True)
class MeasureInput:
    what: str
    before: float | None = None
    after: float | None = None
    unit: str = ""


@transaction.atomic
def evaluation_record(
    *,
    adoption: Adoption,
    actor: User,
    verdict: str,
    old_practice: str,
    evaluated_on: date | None = None,
    cost: str = "",
    note: str = "",
    measures: Sequence[MeasureInput] = (),
) -> Evaluation:
    """Record what the use of a product changed: the verdict, the measures before and after,
    the cost, and whether the old practice was stopped. The adoption becomes `evaluated`."""
    adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
    policy.require(
        policy.may_record_for(actor, adoption.municipality_id),
        _("You record what your own municipality does."),
    )
    if adoption.status not in (AdoptionStatus.IN_USE, AdoptionStatus.EVALUATED):
        raise ValidationError(
            {"status": _("Only a product in use can be evaluated: record “in use” first.")}
        )
    evaluated_on = evaluated_on or timezone.localdate()
    _check_date(
        evaluated_on,
        "evaluated_on",
        after=adoption.decided_on,
        after_label=_("the product came into use"),
    )
    evaluation = Evaluation(
        adoption=adoption,
        evaluated_on=evaluated_on,
        verdict=verdict,
        old_practice=old_practice,
        cost=cost.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    evaluation.full_clean(exclude=["adoption"])
    rows = []
    for index, given in enumerate(measures):
        measure = Measure(what=given.what.strip(), before=given.before, after=given.after)
        measure.unit = given.unit.strip()
        try:
            measure.full_clean(exclude=["evaluation"])
        except ValidationError as error:
            raise ValidationError(
                {
                    f"measures.{index}.{name}": messages
                    for name, messages in error.message_dict.items()
                }
            ) from error
        rows.append(measure)
    history_by(evaluation, actor)
    evaluation.save()
    for measure in rows:
        measure.evaluation = evaluation
    Measure.objects.bulk_create(rows)
    adoption.status, adoption.decided_on = AdoptionStatus.EVALUATED, evaluated_on
    adoption.evaluation_due, adoption.reason = None, ""
    history_by(adoption, actor)
    adoption.save()
    AdoptionStep.objects.create(
        adoption=adoption,
        status=AdoptionStatus.EVALUATED,
        on=evaluated_on,
        note=evaluation.get_verdict_display(),
        actor=actor,
    )
    return evaluation


@transaction.atomic
def hta_decision_record(
    *,
    publication: Publication,
    actor: User,
    decision: str,
    meeting: str,
    decided_by: str,
    decided_on: date,
    conditions: str = "",
) -> HtaDecision:
    """A mini-HTA's own municipality records its decision (adopt, not adopt, adopt on
    conditions); the municipality's adoption record follows when the decision allows it."""
    municipality_id = publication.municipality_id
    policy.require(
        publication.kind == PublicationKind.MINI_HTA
        and policy.may_record_for(actor, municipality_id),
        _("The municipality that wrote the mini-HTA records its decision."),
    )
    _require_published(publication)
    if decision == HtaDecisionKind.ADOPT_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("Say what the conditions are.")})
    _check_date(
        decided_on, "decided_on", after=publication.published_on, after_label=_("publication")
    )
    row = HtaDecision.objects.select_for_update().filter(publication=publication).first()
    row = row or HtaDecision(publication=publication)
    row.decision, row.meeting, row.decided_by = decision, meeting.strip(), decided_by.strip()
    row.decided_on, row.conditions, row.recorded_by = decided_on, conditions.strip(), actor
    row.full_clean(exclude=["publication"])
    history_by(row, actor)
    row.save()
    assert publication.municipality is not None
    adoption = Adoption.objects.filter(
        publication=publication, municipality_id=municipality_id, unit=None
    ).first()
    current = adoption.status if adoption else None
    wanted = (
        AdoptionStatus.NOT_ADOPTED
        if decision == HtaDecisionKind.NOT_ADOPT
        else AdoptionStatus.DECIDED_TO_ADOPT
    )
    if wanted in TRANSITIONS[current] and (adoption is None or decided_on >= adoption.decided_on):
        adoption_record(
            publication=publication,
            municipality=publication.municipality,
            actor=actor,
            status=wanted,
            reason=NotAdoptedReason.OTHER if wanted == AdoptionStatus.NOT_ADOPTED else "",
            note=_("Decision on the mini-HTA: %(meeting)s") % {"meeting": row.meeting},
            on=decided_on,
        )
    return row


@dataclass(frozen=True)
class PilotInput:
    title: str
    description: str
    municipality: Municipality
    started_on: date
    contact_role: str
    service_area: ServiceArea | None = None
    theme: Theme | None = None
    evaluation_due: date | None = None
    findings: str = ""
    publications: Sequence[Publication] = field(default_factory=tuple)
    proposals: Sequence[Proposal] = field(default_factory=tuple)


def _index_pilot(pilot: Pilot) -> None:
    search.document_index(
        kind=PILOT_KIND,
        key=str(pilot.pk),
        title=pilot.title,
        body=f"{pilot.description}\n{pilot.findings}",
    )


def _fill_pilot(pilot: Pilot, data: PilotInput) -> None:
    pilot.title, pilot.description = data.title.strip(), data.description.strip()
    pilot.municipality, pilot.service_area, pilot.theme = (
        data.municipality,
        data.service_area,
        data.theme,
    )
    pilot.started_on, pilot.evaluation_due = data.started_on, data.evaluation_due
    pilot.contact_role, pilot.findings = data.contact_role.strip(), data.findings.strip()
    if data.evaluation_due is not None and data.evaluation_due <= data.started_on:
        raise ValidationError(
            {"evaluation_due": _("The planned evaluation must come after the start.")}
        )
    unpublished = [p for p in data.publications if p.status == PublicationStatus.WITHDRAWN]
    if unpublished:
        raise ValidationError({"publications": _("A withdrawn product cannot be linked.")})
    pilot.full_clean()


@transaction.atomic
def pilot_register(*, data: PilotInput, actor: User) -> Pilot:
    """Register a measure the municipality is trying; the register and the search list it."""
    policy.require(
        policy.may_record_for(actor, data.municipality.pk),
        _("You register pilots for your own municipality."),
    )
    pilot = Pilot(created_by=actor)
    _fill_pilot(pilot, data)
    history_by(pilot, actor)
    pilot.save()
    pilot.publications.set(data.publications)
    pilot.proposals.set(data.proposals)
    _index_pilot(pilot)
    return pilot


@transaction.atomic
def pilot_update(*, pilot: Pilot, data: PilotInput, actor: User) -> Pilot:
    """Change a pilot: what was found, the evaluation date, its links."""
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    policy.require(
        policy.may_record_for(actor, pilot.municipality_id)
        and policy.may_record_for(actor, data.municipality.pk),
        _("You change pilots of your own municipality."),
    )
    _fill_pilot(pilot, data)
    history_by(pilot, actor)
    pilot.save()
    pilot.publications.set(data.publications)
    pilot.proposals.set(data.proposals)
    _index_pilot(pilot)
    return pilot


def secretariat_emails(municipality: Municipality) -> list[str]:
    """The secretariat of the hub a municipality belongs to."""
    from kunnskap.organisations.selectors import hub_for_municipality

    hub = hub_for_municipality(municipality)
    return list(policy.users_with(Permission.MANAGE_ROUNDS, hub).values_list("email", flat=True))


@transaction.atomic
def pilot_contact(*, pilot: Pilot, name: str, email: str, message: str, client: str) -> bool:
    """Someone asks about a pilot: the message goes to the secretariat of the pilot's hub,
    which passes it to the municipality (no contact's name or address is public). Limited per
    client and per recipient; False when the budget is spent (nothing is sent)."""
    recipients = secretariat_emails(pilot.municipality)
    if not recipients:
        raise ValidationError({"message": _("No secretariat can pass the message on yet.")})
    for recipient in recipients:
        if not limits.mail_slot_take(client=client, recipient=recipient):
            transaction.set_rollback(True)
            return False
    for recipient in recipients:
        mail.send(
            to=[recipient],
            template="pilot_contact",
            context={
                "pilot": pilot,
                "name": name.strip(),
                "email": email.strip(),
                "message": message.strip(),
                "url": f"{settings.SITE_URL}{pilot.get_absolute_url()}",
            },
        )
    return True


@transaction.atomic
def usefulness_answer(
    *, publication: Publication, actor: User, useful: bool, comment: str = ""
) -> Usefulness:
    """ "Was this useful for a decision?": one answer per reader and product, changeable."""
    policy.require(policy.may_answer_usefulness(actor))
    _require_published(publication)
    row = (
        Usefulness.objects.select_for_update().filter(publication=publication, user=actor).first()
    ) or Usefulness(publication=publication, user=actor)
    row.useful, row.comment = useful, comment.strip()
    row.full_clean(exclude=["publication", "user"])
    history_by(row, actor)
    row.save()
    return row


@transaction.atomic
def evaluation_reminders_send(*, today: date) -> int:
    """Remind each contact of the evaluations due within REMINDER_DAYS, once per due date."""
    due = list(
        Adoption.objects.select_for_update(of=("self",))
        .filter(
            status=AdoptionStatus.IN_USE,
            evaluation_due__lte=today + timedelta(days=REMINDER_DAYS),
            reminded_on__isnull=True,
            contact__is_active=True,
        )
        .select_related("publication", "municipality", "contact")
    )
    for adoption in due:
        assert adoption.contact is not None
        mail.send(
            to=[adoption.contact.email],
            template="evaluation_due",
            context={
                "adoption": adoption,
                "url": f"{settings.SITE_URL}{adoption.get_absolute_url()}",
                "overdue": adoption.evaluation_due is not None and adoption.evaluation_due < today,
            },
            key=f"evaluation_due:{adoption.pk}:{adoption.evaluation_due}",
        )
    update_with_history(Adoption.objects.filter(pk__in=[a.pk for a in due]), reminded_on=today)
    return len(due)
