"""Commissions keep their history, and a milestone never moves a need back along its path."""

from datetime import date

from kunnskap.commissions import services
from kunnskap.commissions.models import CommissionStatus, MilestoneKind, Producer
from kunnskap.library import services as library
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.proposals.choices import Status


def order(entry, actor):
    return services.commission_create(
        entry=entry,
        actor=actor,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hvilken effekt har honning på sårtilheling?",
        due_on=date(2027, 3, 1),
        milestones={"protocol": date(2026, 1, 5), "delivered": date(2027, 3, 1)},
    )


def test_a_new_delivery_date_is_kept_in_the_commission_s_history(ordered, berit):
    commission = order(ordered, berit)

    services.milestone_plan(
        commission=commission, actor=berit, kind=MilestoneKind.DELIVERED, due_on=date(2027, 5, 1)
    )

    assert commission.history.first().due_on == date(2027, 5, 1)
    assert commission.history.count() == 2


def test_a_reminder_is_kept_in_the_milestone_s_history(ordered, berit):
    commission = order(ordered, berit)

    assert services.overdue_reminders_send(today=date(2026, 1, 10)) == 1

    protocol = commission.milestones.get(kind=MilestoneKind.PROTOCOL)
    assert protocol.reminded_on == date(2026, 1, 10)
    assert protocol.history.first().reminded_on == date(2026, 1, 10)


def test_a_delivery_reported_after_the_product_is_published_is_a_step_on_the_timeline(
    ordered, berit
):
    commission = order(ordered, berit)
    ongoing = Publication.objects.get(commission=commission)
    library.publication_update(
        publication=ongoing,
        data=library.input_from(ongoing, status=PublicationStatus.PUBLISHED),
        actor=berit,
        note="",
    )
    proposal = commission.proposal
    proposal.refresh_from_db()
    assert proposal.status == Status.PUBLISHED

    services.milestone_report(
        commission=commission, actor=berit, kind=MilestoneKind.DELIVERED, done_on=date(2027, 2, 1)
    )

    commission.refresh_from_db()
    proposal.refresh_from_db()
    assert commission.status == CommissionStatus.DELIVERED
    assert proposal.status == Status.PUBLISHED
    last = proposal.events.last()
    assert (last.from_status, last.to_status) == ("", "")
    assert str(MilestoneKind.DELIVERED.label) in last.note
