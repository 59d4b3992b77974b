"""Knowledge needs (proposals), their endorsements and their status history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import CRITERIA_BY_KEY, UNSCREENED_STATUSES, Source, Status, SubmittedFor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from kunnskap.accounts.models import User

    from .selectors import ReaderScope

TITLE_MAX = 200
QUESTION_MAX = 4000
TEXT_MAX = 4000
PICO_MAX = 1000


# An endorsement made through a status link counts once the endorser's own need is accepted.
COUNTED = Q(source__isnull=True) | Q(source__accepted_at__isnull=False)
COUNTED_ENDORSEMENT = Q(endorsements__source__isnull=True) | Q(
    endorsements__source__accepted_at__isnull=False
)


def endorsing_municipalities(proposal_ref: str = "pk") -> Coalesce:
    """Distinct municipalities sharing a need, as a subquery on the outer row's `proposal_ref`:
    the database counts for the rows it returns (a page), not for a whole list."""
    per_need = (
        Endorsement.objects.filter(COUNTED, proposal=OuterRef(proposal_ref))
        .order_by()
        .values("proposal")
        .annotate(n=Count("municipality", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(per_need), 0)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user: User | AnonymousUser) -> ProposalQuerySet:
        """What this reader may see: accepted needs for everyone; every need of the hubs where
        she may see submitters; everything for an administrator (`policy.may_see_proposal`)."""
        from .selectors import reader_scope

        return self.visible_in(reader_scope(user))

    def visible_in(self, scope: ReaderScope) -> ProposalQuerySet:
        """The same for every reader of one scope (the list cache renders from it)."""
        if scope.everything:
            return self.all()
        return self.filter(Q(accepted_at__isnull=False) | Q(hub_id__in=scope.hub_ids))

    def public(self) -> ProposalQuerySet:
        """Proposals whose text screening has accepted: the only ones the public sees."""
        return self.filter(accepted_at__isnull=False)

    def with_endorsement_counts(self) -> ProposalQuerySet:
        return self.annotate(endorsing_municipalities=endorsing_municipalities())

    def classified(
        self, *, municipality: str = "", service_area: str = "", theme: str = ""
    ) -> ProposalQuerySet:
        """Narrowed by municipality number and taxonomy keys; empty values narrow nothing."""
        lookups = {
            "municipality__number": municipality,
            "service_area__key": service_area,
            "theme__key": theme,
        }
        return self.filter(**{lookup: value for lookup, value in lookups.items() if value})

    def for_lists(self) -> ProposalQuerySet:
        return self.select_related("municipality", "unit", "service_area", "theme")


class Proposal(models.Model):
    """A question a municipality needs answered, from submission to published knowledge."""

    public_id = models.CharField(_("id"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    hub = models.ForeignKey(
        "organisations.Hub",
        verbose_name=_("hub"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    question = models.TextField(
        _("question"), max_length=QUESTION_MAX, validators=[MaxLengthValidator(QUESTION_MAX)]
    )
    background = models.TextField(
        _("why it matters"),
        max_length=TEXT_MAX,
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
    )
    population = models.TextField(
        _("who it concerns"),
        max_length=PICO_MAX,
        blank=True,
        validators=[MaxLengthValidator(PICO_MAX)],
    )
    intervention = models.TextField(
        _("which measure"),
        max_length=PICO_MAX,
        blank=True,
        validators=[MaxLengthValidator(PICO_MAX)],
    )
    comparison = models.TextField(
        _("compared with what"),
        max_length=PICO_MAX,
        blank=True,
        validators=[MaxLengthValidator(PICO_MAX)],
    )
    outcome = models.TextField(
        _("which outcomes"),
        max_length=PICO_MAX,
        blank=True,
        validators=[MaxLengthValidator(PICO_MAX)],
    )

    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    service_area = models.ForeignKey(
        "taxonomy.ServiceArea",
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    theme = models.ForeignKey(
        "taxonomy.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)

    # The screener's working version; the submitter's text above is kept as she wrote it.
    working_question = models.TextField(
        _("working question"), blank=True, validators=[MaxLengthValidator(QUESTION_MAX)]
    )
    working_population = models.TextField(
        _("population (P)"), blank=True, validators=[MaxLengthValidator(PICO_MAX)]
    )
    working_intervention = models.TextField(
        _("intervention (I)"), blank=True, validators=[MaxLengthValidator(PICO_MAX)]
    )
    working_comparison = models.TextField(
        _("comparison (C)"), blank=True, validators=[MaxLengthValidator(PICO_MAX)]
    )
    working_outcome = models.TextField(
        _("outcome (O)"), blank=True, validators=[MaxLengthValidator(PICO_MAX)]
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screener"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_proposals",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    outcome_summary = models.TextField(
        _("what screening found"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
        help_text=_("In plain words, for the submitter: what is known, or why the need stops."),
    )
    decision_deadline = models.DateField(_("decision date"), null=True, blank=True)

    # Personal data: shown only to the submitter (status link) and to staff the policy allows.
    submitter_name = models.CharField(_("name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    # The language the submitter wrote in: the mails about her need go out in it.
    submitter_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    submitter_position = models.CharField(_("position"), max_length=200, blank=True)
    submitted_for = models.CharField(
        _("asked for"), max_length=10, choices=SubmittedFor.choices, default=SubmittedFor.MYSELF
    )
    contact_consent = models.BooleanField(_("may be contacted"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in submitter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    client_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    accepted_at = models.DateTimeField(
        _("accepted by screening"),
        null=True,
        blank=True,
        help_text=_("When screening accepted the text; from then on it is public."),
    )

    history = HistoricalRecords(excluded_fields=["client_hash"])
    objects = ProposalQuerySet.as_manager()

    # Present only on rows of querysets that ask for them: counted(), and the API's prefetch.
    endorsing_municipalities: int
    public_events: list[ProposalEvent]

    class Meta:
        ordering = ["-submitted_at", "-number"]
        verbose_name = _("knowledge need")
        verbose_name_plural = _("knowledge needs")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="proposal_number_per_year")
        ]
        indexes = [
            models.Index(fields=["status", "-submitted_at"]),
            models.Index(fields=["hub", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"public_id": self.public_id})

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.unit is not None
            and self.municipality_id
            and self.unit.municipality_id != self.municipality_id
        ):
            errors["unit"] = _("The unit does not belong to the chosen municipality.")
        if not isinstance(self.criteria, dict):
            errors["criteria"] = _("The criteria must be a set of answers.")
        else:
            for key, answer in self.criteria.items():
                criterion = CRITERIA_BY_KEY.get(key)
                if criterion is None:
                    errors["criteria"] = _("Unknown criterion: %(key)s.") % {"key": key}
                elif answer not in {value for value, _label in criterion.choices}:
                    errors["criteria"] = _("Unknown answer to %(key)s: %(answer)s.") % {
                        "key": key,
                        "answer": answer,
                    }
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_screened(self) -> bool:
        return self.status not in UNSCREENED_STATUSES


class StatusLink(models.Model):
    """A private link to a need's status page; only the hash of its token is kept.

    Every message to the submitter carries a fresh link, so a lost e-mail never locks her out and
    a leaked database holds no usable link.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status link")
        verbose_name_plural = _("status links")

    def __str__(self) -> str:
        return f"{self.proposal.public_id} ({self.created_at:%Y-%m-%d})"


class ProposalCounter(models.Model):
    """The last number given out per year, so public ids are never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ListGeneration(models.Model):
    """A number that grows with every change the lists of needs show (one row); see
    `kunnskap.caching`."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class ProposalEvent(models.Model):
    """One step in a proposal's life: who, when, from which status to which, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    # A default rather than auto_now_add, so imported and generated history keeps its dates.
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        _("by (label)"), max_length=100, blank=True, help_text=_("For actors without a user.")
    )
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(
        _("on the public timeline"),
        default=True,
        help_text=_("Private notes are seen by the submitter and staff only."),
    )
    staff_only = models.BooleanField(
        _("for staff only"),
        default=False,
        help_text=_("Internal notes of the secretariat, not shown to the submitter."),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.proposal.public_id}: {self.from_status} → {self.to_status}"


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def counted(self) -> EndorsementQuerySet:
        """The endorsements that count as demand (and are shown publicly)."""
        return self.filter(COUNTED)


class Endorsement(models.Model):
    """A municipality or unit saying it has the same need (vi har også dette behovet)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="endorsements",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="endorsements",
    )
    is_original = models.BooleanField(
        _("the submitter's own"), default=False, help_text=_("Made by submitting the need.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    source = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The endorser's own need, when she endorsed through its status link."),
    )
    merged_from = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Moved here from a duplicate; moves back if the merge is undone."),
    )
    comment = models.TextField(
        _("comment"), max_length=TEXT_MAX, blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    history = HistoricalRecords()
    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            # A municipality shares a need once, with or without one of its units: it counts
            # once and is listed once.
            models.UniqueConstraint(
                fields=["proposal", "municipality"], name="endorsement_one_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.public_id}: {self.unit or self.municipality}"
