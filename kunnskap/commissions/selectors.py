"""Reads of commissions: lists for the secretariat and producers, and overdue milestones."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from kunnskap.rounds.models import Entry, Outcome

from .models import Commission, CommissionStatus, Milestone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

OPEN = (CommissionStatus.ORDERED, CommissionStatus.IN_PRODUCTION)


def commissions_for(user: User | AnonymousUser) -> QuerySet[Commission]:
    """The commissions of the hubs where the user manages rounds or produces."""
    return (
        Commission.objects.visible_to(user)
        .select_related("proposal", "producer", "hub")
        .order_by("status", "due_on", "pk")
    )


def decisions_awaiting_order(user: User | AnonymousUser) -> QuerySet[Entry]:
    """Decisions to order that have no commission yet, in the hubs where the user may order
    (`policy.may_manage_commission`), oldest decision first."""
    from kunnskap.accounts import policy
    from kunnskap.accounts.policy import Permission

    waiting = Entry.objects.filter(decision=Outcome.COMMISSIONED, commission__isnull=True)
    if not policy.is_admin(user):
        waiting = waiting.filter(
            round__hub_id__in=policy.hub_ids_where(user, Permission.MANAGE_ROUNDS)
        )
    return waiting.select_related("proposal", "round", "round__hub").order_by(
        "decided_on", "decided_at", "pk"
    )


def overdue_milestones(*, today: date) -> QuerySet[Milestone]:
    """Milestones past their date, not done, of open commissions, not yet reminded today."""
    return (
        Milestone.objects.filter(
            due_on__lt=today,
            done_on__isnull=True,
            commission__status__in=OPEN,
        )
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related(
            "commission", "commission__proposal", "commission__producer", "commission__hub"
        )
        .order_by("commission__hub_id", "due_on", "pk")
    )
