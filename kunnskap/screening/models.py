"""Screening: the librarian's record of what was searched and found, the outcomes of two
screeners, and the register of research gaps.

The tables keep the names they had when these models lived in `proposals` (see
`migrations/0001_initial.py`): moving the code moved no data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import TEXT_MAX, Proposal
from kunnskap.taxonomy.models import PublicationKind


class LiteratureSource(models.Model):
    """A place librarians search for existing knowledge (configurable in the admin)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("address"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "proposals_literaturesource"
        ordering = ["position", "name"]
        verbose_name = _("literature source")
        verbose_name_plural = _("literature sources")

    def __str__(self) -> str:
        return self.name


class LiteratureSearch(models.Model):
    """One search in one source for one need: the record of what was checked."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="literature_searches"
    )
    source = models.ForeignKey(LiteratureSource, verbose_name=_("source"), on_delete=models.PROTECT)
    query = models.TextField(_("search string"), validators=[MaxLengthValidator(TEXT_MAX)])
    searched_on = models.DateField(_("searched on"))
    results = models.PositiveIntegerField(_("number of results"), null=True, blank=True)
    searched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords(table_name="proposals_historicalliteraturesearch")

    class Meta:
        db_table = "proposals_literaturesearch"
        ordering = ["searched_on", "pk"]
        verbose_name = _("literature search")
        verbose_name_plural = _("literature searches")

    def __str__(self) -> str:
        return f"{self.source}: {self.query}"


class LiteratureHit(models.Model):
    """A relevant piece of existing knowledge found for a need."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="hits")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"), max_length=40, choices=PublicationKind.choices, default=PublicationKind.OTHER
    )
    note = models.CharField(_("what it answers"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="proposals_historicalliteraturehit")

    class Meta:
        db_table = "proposals_literaturehit"
        ordering = ["added_at", "pk"]
        verbose_name = _("literature hit")
        verbose_name_plural = _("literature hits")

    def __str__(self) -> str:
        return self.title


class ResearchGapStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TAKEN_UP = "taken_up", _("Taken up")
    UNDER_WAY = "under_way", _("Research under way")
    ANSWERED = "answered", _("Answered")


class ResearchGap(models.Model):
    """A need no research answers, offered to researchers and students (forskningsbehov)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="research_gap")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ResearchGapStatus.choices,
        default=ResearchGapStatus.OPEN,
    )
    description = models.TextField(_("what is missing"), validators=[MaxLengthValidator(TEXT_MAX)])
    contact = models.CharField(
        _("contact"),
        max_length=200,
        help_text=_(
            "Who researchers and students contact: a secretariat's address, not a submitter's."
        ),
    )
    links = models.TextField(
        _("resulting work"), blank=True, help_text=_("Links to theses, projects or publications.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="proposals_historicalresearchgap")

    class Meta:
        db_table = "proposals_researchgap"
        ordering = ["-created_at"]
        verbose_name = _("research gap")
        verbose_name_plural = _("research gaps")

    def __str__(self) -> str:
        return self.proposal.title


class ScreeningVote(models.Model):
    """One screener's blind outcome when two screen each need (an installation's option)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screening_votes"
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Status.choices)
    note = models.TextField(_("message"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    duplicate_of = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="proposals_historicalscreeningvote")

    class Meta:
        db_table = "proposals_screeningvote"
        ordering = ["created_at", "pk"]
        verbose_name = _("screening vote")
        verbose_name_plural = _("screening votes")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "screener"], name="one_vote_per_screener")
        ]

    def __str__(self) -> str:
        return f"{self.proposal.public_id}: {self.screener} → {self.outcome}"

    def agrees_with(self, other: ScreeningVote) -> bool:
        return self.outcome == other.outcome and self.duplicate_of_id == other.duplicate_of_id
