"""The library: every knowledge product, ongoing or published, with its versions.

A publication is what the municipalities read: a short summary from FHI, a research commentary,
a municipality's mini-HTA. Ongoing work is listed too, so nobody starts the same work twice.
Each change of substance (an update, a withdrawal) adds a PublicationVersion with a note.
"""

from __future__ import annotations

import datetime
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

TITLE_MAX = 300
TEXT_MAX = 20_000
PDF_MAX_BYTES = 20 * 1024 * 1024


class PublicationStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Certainty(models.TextChoices):
    """GRADE: how sure we can be of the main findings."""

    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")


class PublicationQuerySet(models.QuerySet["Publication"]):
    def visible_to(self, user: User | AnonymousUser) -> PublicationQuerySet:
        """The library is shared and public: every publication has its page, a withdrawn one
        with the reason (lists show `visible()` only)."""
        return self.all()

    def visible(self) -> PublicationQuerySet:
        """What the public library lists: ongoing and published work (withdrawn stays findable
        by its address, with the reason, but is not listed)."""
        return self.exclude(status=PublicationStatus.WITHDRAWN)

    def for_lists(self) -> PublicationQuerySet:
        return self.select_related("producer", "municipality")


class Publication(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(
        _("kind"), max_length=32, choices=PublicationKind.choices, db_index=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        db_index=True,
    )
    summary = models.TextField(
        _("summary in plain language"), validators=[MaxLengthValidator(TEXT_MAX)]
    )
    key_messages = models.TextField(
        _("key messages"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
        help_text=_("One message per line."),
    )
    question = models.TextField(
        _("question"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    population = models.TextField(_("population"), blank=True, max_length=2000)
    intervention = models.TextField(_("intervention"), blank=True, max_length=2000)
    comparison = models.TextField(_("comparison"), blank=True, max_length=2000)
    outcome = models.TextField(_("outcome"), blank=True, max_length=2000)
    certainty = models.CharField(
        _("certainty of the evidence (GRADE)"), max_length=10, choices=Certainty.choices, blank=True
    )
    producer = models.ForeignKey(
        "commissions.Producer",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    authors = models.CharField(_("authors"), max_length=1000, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    expected_on = models.DateField(_("expected"), null=True, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True, db_index=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="publications/%Y/", blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="publications"
    )
    service_areas = models.ManyToManyField(
        "taxonomy.ServiceArea",
        verbose_name=_("service areas"),
        blank=True,
        related_name="publications",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
        help_text=_("For a mini-HTA: the municipality that wrote it."),
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        verbose_name=_("knowledge needs it answers"),
        blank=True,
        related_name="publications",
    )
    commission = models.OneToOneField(
        "commissions.Commission",
        verbose_name=_("commission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publication",
    )
    source_id = models.CharField(
        _("id in the source list"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The id an imported list gives it; importing again updates it."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["pdf"])

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "-published_on"], name="publication_listing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", args=[self.pk])

    @property
    def date(self) -> datetime.date | None:
        """The date a reader cares about: published, else expected, else started."""
        return self.published_on or self.expected_on or self.started_on

    def messages(self) -> list[str]:
        return [
            line.strip("•-– ").strip() for line in self.key_messages.splitlines() if line.strip()
        ]


class PublicationVersion(models.Model):
    """One step in a publication's life: first published, updated, withdrawn."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("what changed"), validators=[MaxLengthValidator(4000)])
    status = models.CharField(_("status"), max_length=12, choices=PublicationStatus.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["publication", "-version", "-pk"]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.version}"


class Generation(models.Model):
    """A number that grows with every change the library's lists show (one row).

    Cached renderings of the library's result lists carry it in their keys, so a change made on
    any server, committed together with the number, makes every server render anew.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
