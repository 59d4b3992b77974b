"""The newsletter: subscribers with their themes and kinds, issues, and the send log.

A subscription counts once its owner confirms it from the e-mail (double opt-in). An issue is a
weekly or monthly digest made by the worker, or one an editor writes; its publications are fixed
when it is made. Each message to each subscriber is a Delivery row: queued, sent, or failed
after its retries, with the last error, so nothing is lost without a trace.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kunnskap.taxonomy.models import PublicationKind


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="subscribers"
    )
    # Publication kinds; empty means every kind (and no themes means every theme).
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    # The language of the page she subscribed on; the issues and the confirmation use it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def kind_labels(self) -> list[str]:
        labels = dict(PublicationKind.choices)
        return [str(labels[k]) for k in self.kinds if k in labels]


class IssueKind(models.TextChoices):
    DIGEST = "digest", _("Digest")
    MANUAL = "manual", _("Written by an editor")


class Issue(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=IssueKind.choices)
    frequency = models.CharField(_("for"), max_length=8, choices=Frequency.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(20_000)])
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    publications = models.ManyToManyField(
        "library.Publication", verbose_name=_("publications"), blank=True, related_name="issues"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "period_end"],
                condition=models.Q(kind="digest"),
                name="one_digest_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (unsubscribed)")


class Delivery(models.Model):
    """One issue to one subscriber: the send log."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_issue")
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber}"
