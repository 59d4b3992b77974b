"""Commissions: ordering from a decision, scope changes, milestones, and overdue reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kunnskap.commissions import services
from kunnskap.commissions.models import CommissionStatus, MilestoneKind, Producer
from kunnskap.proposals.choices import Status
from kunnskap.proposals.selectors import proposal_timeline


@pytest.fixture
def fhi(db):
    return Producer.objects.get(short_name="FHI")


def order(entry, actor, producer, **extra):
    return services.commission_create(
        entry=entry,
        actor=actor,
        producer=producer,
        question="Hvilken effekt har honning på sårtilheling?",
        due_on=date(2027, 3, 1),
        **extra,
    )


def test_a_decision_becomes_a_commission_and_its_steps_reach_the_timeline(ordered, berit, per, fhi):
    commission = order(
        ordered,
        berit,
        fhi,
        milestones={"protocol": date(2026, 12, 1), "delivered": date(2027, 3, 1)},
    )
    assert commission.hub == ordered.round.hub
    assert sorted(commission.milestones.values_list("kind", flat=True)) == ["delivered", "protocol"]
    with pytest.raises(ValidationError):
        order(ordered, berit, fhi)  # one commission per decision

    services.commission_change_scope(
        commission=commission,
        actor=berit,
        question="Hvilke tiltak for sårbehandling har effekt?",
        reason="Utvidet fra honning til sårbehandling generelt.",
    )
    commission.refresh_from_db()
    assert commission.question == "Hvilke tiltak for sårbehandling har effekt?"
    (change,) = commission.scope_changes.all()
    assert change.question_before == "Hvilken effekt har honning på sårtilheling?"

    services.milestone_report(
        commission=commission, actor=per, kind="started", done_on=date(2026, 11, 20)
    )
    commission.refresh_from_db()
    commission.proposal.refresh_from_db()
    assert (commission.status, commission.proposal.status) == (
        CommissionStatus.IN_PRODUCTION,
        Status.IN_PRODUCTION,
    )
    with pytest.raises(ValidationError):
        services.milestone_report(
            commission=commission, actor=per, kind="started", done_on=date(2026, 11, 21)
        )
    services.milestone_report(
        commission=commission,
        actor=per,
        kind="delivered",
        done_on=date(2027, 2, 20),
        note="Levert.",
    )
    commission.refresh_from_db()
    commission.proposal.refresh_from_db()
    assert (commission.status, commission.delivered_on) == (
        CommissionStatus.DELIVERED,
        date(2027, 2, 20),
    )
    assert commission.proposal.status == Status.DELIVERED

    public = [event.note for event in proposal_timeline(commission.proposal, audience="public")]
    assert any("Utvidet fra honning" in note for note in public)
    assert any(
        note.startswith("Ordered from Folkehelseinstituttet") or "Folkehelseinstituttet" in note
        for note in public
    )
    assert any("Levert." in note for note in public)


def test_only_a_decision_to_order_is_commissioned(ordered, berit, fhi):
    ordered.__class__.objects.filter(pk=ordered.pk).update(decision="deferred")
    with pytest.raises(ValidationError):
        order(ordered, berit, fhi)


@pytest.mark.django_db(transaction=True)
def test_overdue_milestones_remind_the_secretariat_once_a_day(ordered, berit, fhi, run_worker):
    commission = order(ordered, berit, fhi, milestones={"protocol": date(2026, 1, 5)})
    run_worker()
    mail.outbox.clear()
    today = date(2026, 1, 10)
    assert services.overdue_reminders_send(today=today) == 1
    assert services.overdue_reminders_send(today=today) == 0  # once a day
    run_worker()
    (message,) = mail.outbox
    assert message.to == [berit.email]
    assert commission.proposal.public_id in message.body
    assert services.overdue_reminders_send(today=today + timedelta(days=1)) == 1
    services.milestone_report(commission=commission, actor=berit, kind="protocol", done_on=today)
    assert services.overdue_reminders_send(today=today + timedelta(days=2)) == 0
    assert commission.milestones.get(kind=MilestoneKind.PROTOCOL).done_on == today
