"""Commissions (bestillinger): what a steering group ordered from a producer, and its progress.

A commission is made from one decision to order (a round's entry). It carries the agreed
question, which may differ from the need's ("honey on wounds" widened to "wound treatment"):
every change of scope is kept with its reason. Producer users report milestones; each report is
a row and a step on the need's public timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunnskap.taxonomy.models import PublicationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

TEXT_MAX = 4000


class Producer(models.Model):
    """An organisation that makes knowledge products: FHI, a university, a centre."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class CommissionStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    IN_PRODUCTION = "in_production", _("In production")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class CommissionQuerySet(models.QuerySet["Commission"]):
    def visible_to(self, user: User | AnonymousUser) -> CommissionQuerySet:
        """The commissions of the hubs where the user manages rounds or produces; all of them
        for an administrator and for the library's editors (`policy.may_view_commission`)."""
        from kunnskap.accounts import policy
        from kunnskap.accounts.policy import Permission

        if policy.is_admin(user) or policy.can(user, Permission.PUBLISH):
            return self.all()
        hubs = policy.hub_ids_where(user, Permission.MANAGE_ROUNDS) | policy.hub_ids_where(
            user, Permission.PRODUCE
        )
        return self.filter(hub_id__in=hubs)


class Commission(models.Model):
    entry = models.OneToOneField(
        "rounds.Entry",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="commission",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="commissions"
    )
    hub = models.ForeignKey(
        "organisations.Hub", on_delete=models.PROTECT, related_name="commissions"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="commissions"
    )
    question = models.TextField(_("agreed question"), validators=[MaxLengthValidator(TEXT_MAX)])
    product_kind = models.CharField(_("product"), max_length=32, choices=PublicationKind.choices)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommissionStatus.choices,
        default=CommissionStatus.ORDERED,
        db_index=True,
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ordered_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    history = HistoricalRecords()
    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.producer}"

    def get_absolute_url(self) -> str:
        return reverse("commissions:detail", args=[self.pk])


class ScopeChange(models.Model):
    """The agreed question changed: before, after, and why."""

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="scope_changes"
    )
    question_before = models.TextField(_("question before"))
    question_after = models.TextField(_("question after"))
    reason = models.TextField(_("reason"), validators=[MaxLengthValidator(TEXT_MAX)])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change of scope")
        verbose_name_plural = _("changes of scope")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.commission}: {self.reason[:40]}"


class MilestoneKind(models.TextChoices):
    STARTED = "started", _("Started")
    PROTOCOL = "protocol", _("Protocol ready")
    SEARCH_DONE = "search_done", _("Literature search done")
    DRAFT = "draft", _("Draft ready")
    PEER_REVIEW = "peer_review", _("Peer review done")
    DELIVERED = "delivered", _("Delivered")


MILESTONE_ORDER = list(MilestoneKind.values)


class Milestone(models.Model):
    """A planned step of a commission, with its due date and, once reported, its date done."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=16, choices=MilestoneKind.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commission", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "kind"], name="milestone_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.commission}: {self.get_kind_display()}"
