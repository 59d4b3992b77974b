"""Follow-up (nyttiggjort): what municipalities did with the knowledge, and what it changed.

An `Adoption` is one municipality's (or unit's) record of one product of the library: from
considering it, through a decision and use, to an evaluation, each step an `AdoptionStep`.
An `Evaluation` says whether it worked, with `Measure`s before and after. A `HtaDecision` is a
mini-HTA's own municipality's decision on it. A `Pilot` is a measure a municipality is trying,
in a register others search before they start their own. `Usefulness` is a signed-in reader's
"was this useful for a decision?" on a product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

TITLE_MAX = 300
NOTE_MAX = 2000
TEXT_MAX = 8000


class AdoptionStatus(models.TextChoices):
    CONSIDERING = "considering", _("Considering")
    DECIDED_TO_ADOPT = "decided_to_adopt", _("Decided to adopt")
    IN_USE = "in_use", _("In use")
    EVALUATED = "evaluated", _("Evaluated")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


# Where a municipality's record may go next: the path of seed 004's "nyttiggjort". An
# evaluation is recorded through `evaluation_record`, never as a plain step; a new step after
# "not adopted" starts over with considering.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset(
        {
            AdoptionStatus.CONSIDERING,
            AdoptionStatus.DECIDED_TO_ADOPT,
            AdoptionStatus.IN_USE,
            AdoptionStatus.NOT_ADOPTED,
        }
    ),
    AdoptionStatus.CONSIDERING: frozenset(
        {AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE, AdoptionStatus.NOT_ADOPTED}
    ),
    AdoptionStatus.DECIDED_TO_ADOPT: frozenset({AdoptionStatus.IN_USE, AdoptionStatus.NOT_ADOPTED}),
    AdoptionStatus.IN_USE: frozenset({AdoptionStatus.NOT_ADOPTED}),
    AdoptionStatus.EVALUATED: frozenset({AdoptionStatus.IN_USE, AdoptionStatus.NOT_ADOPTED}),
    AdoptionStatus.NOT_ADOPTED: frozenset(
        {AdoptionStatus.CONSIDERING, AdoptionStatus.DECIDED_TO_ADOPT}
    ),
}

# The statuses that count as the product being put to use.
ADOPTED = (AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE, AdoptionStatus.EVALUATED)


class NotAdoptedReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant for us")
    TOO_COSTLY = "too_costly", _("Too costly")
    EVIDENCE_TOO_WEAK = "evidence_too_weak", _("The evidence is too weak")
    OTHER = "other", _("Other reason")


class AdoptionQuerySet(models.QuerySet["Adoption"]):
    def visible_to(self, user: User | AnonymousUser) -> AdoptionQuerySet:
        """Who uses what is public, so others can learn from it; the notes are not
        (`policy.may_see_adoption_notes`)."""
        return self.all()

    def for_lists(self) -> AdoptionQuerySet:
        return self.select_related("publication", "municipality", "unit")


class Adoption(models.Model):
    """One municipality's (or one unit's) record of putting one product to use."""

    publication = models.ForeignKey(
        "library.Publication",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AdoptionStatus.choices, db_index=True
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=NotAdoptedReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    decided_on = models.DateField(_("date of the last step"))
    first_adopted_on = models.DateField(
        _("first adopted"), null=True, blank=True, db_index=True, editable=False
    )
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True, db_index=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        help_text=_("Who gets the evaluation reminder."),
    )
    reminded_on = models.DateField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "municipality"],
                condition=Q(unit__isnull=True),
                name="adoption_once_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["publication", "unit"],
                condition=Q(unit__isnull=False),
                name="adoption_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.publication}"

    def get_absolute_url(self) -> str:
        return reverse("followup:adoption", args=[self.pk])

    @property
    def organisation(self) -> str:
        return str(self.unit.name) if self.unit_id and self.unit else str(self.municipality)


class AdoptionStep(models.Model):
    """One step of an adoption: the status it went to, on which date, and why."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=20, choices=AdoptionStatus.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=NotAdoptedReason.choices, blank=True
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adoption step")
        verbose_name_plural = _("adoption steps")
        ordering = ["adoption", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.adoption_id}: {self.status} {self.on}"


class Verdict(models.TextChoices):
    WORKED = "worked", _("It worked")
    PARTLY = "partly", _("It partly worked")
    DID_NOT_WORK = "did_not_work", _("It did not work")
    TOO_EARLY = "too_early", _("Too early to say")


class OldPractice(models.TextChoices):
    """Seed 004's question: when the new came in, was the old taken away?"""

    STOPPED = "stopped", _("Yes, the old practice was stopped")
    PARTLY = "partly", _("Partly")
    CONTINUES = "continues", _("No, the old practice continues")
    NOT_APPLICABLE = "not_applicable", _("Nothing old to stop")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, user: User | AnonymousUser) -> EvaluationQuerySet:
        """What municipalities found is public: the point is that others learn from it."""
        return self.all()


class Evaluation(models.Model):
    """Whether an adopted product worked in one municipality: the verdict, the cost, the old."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("evaluated on"))
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    cost = models.CharField(
        _("what it cost"),
        max_length=500,
        blank=True,
        help_text=_("Money, hours or other resources, in words."),
    )
    old_practice = models.CharField(
        _("was the old practice stopped?"), max_length=16, choices=OldPractice.choices
    )
    note = models.TextField(
        _("what we found"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.adoption}: {self.get_verdict_display()}"


class Measure(models.Model):
    """One outcome measure of an evaluation: what was measured, before and after, in what unit."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="measures")
    what = models.CharField(_("what was measured"), max_length=300)
    before = models.FloatField(_("before"), null=True, blank=True)
    after = models.FloatField(_("after"), null=True, blank=True)
    unit = models.CharField(_("unit of measurement"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        ordering = ["evaluation", "pk"]

    def __str__(self) -> str:
        return self.what


class HtaDecisionKind(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    NOT_ADOPT = "not_adopt", _("Do not adopt")
    ADOPT_WITH_CONDITIONS = "adopt_with_conditions", _("Adopt on conditions")


class HtaDecision(models.Model):
    """A mini-HTA's own municipality's decision on the measure it assessed."""

    publication = models.OneToOneField(
        "library.Publication",
        verbose_name=_("mini-HTA"),
        on_delete=models.PROTECT,
        related_name="hta_decision",
    )
    decision = models.CharField(_("decision"), max_length=24, choices=HtaDecisionKind.choices)
    conditions = models.TextField(
        _("conditions"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    meeting = models.CharField(
        _("decision meeting"), max_length=300, help_text=_("For example the leaders' meeting.")
    )
    decided_by = models.CharField(
        _("who decided"),
        max_length=300,
        help_text=_("A role or a body, not a person's name: it is shown publicly."),
    )
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision on a mini-HTA")
        verbose_name_plural = _("decisions on mini-HTAs")

    def __str__(self) -> str:
        return f"{self.publication}: {self.get_decision_display()}"


class PilotQuerySet(models.QuerySet["Pilot"]):
    def visible_to(self, user: User | AnonymousUser) -> PilotQuerySet:
        """The register is public: who tries what, and whom to ask (a role, never a name)."""
        return self.all()

    def for_lists(self) -> PilotQuerySet:
        return self.select_related("municipality", "service_area", "theme")


class Pilot(models.Model):
    """A measure a municipality is trying, so that the next one can learn from it first."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), validators=[MaxLengthValidator(TEXT_MAX)])
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    service_area = models.ForeignKey(
        "taxonomy.ServiceArea",
        verbose_name=_("service area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    theme = models.ForeignKey(
        "taxonomy.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    started_on = models.DateField(_("started"))
    evaluation_due = models.DateField(_("planned evaluation"), null=True, blank=True)
    contact_role = models.CharField(
        _("contact role"),
        max_length=200,
        help_text=_("A role, such as “FoU-kontakt”, not a person's name: the page is public."),
    )
    findings = models.TextField(
        _("what we found"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    publications = models.ManyToManyField(
        "library.Publication",
        verbose_name=_("products it rests on"),
        blank=True,
        related_name="pilots",
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        verbose_name=_("knowledge needs it rests on"),
        blank=True,
        related_name="pilots",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    objects = PilotQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:pilot", args=[self.pk])


class Usefulness(models.Model):
    """A signed-in reader's answer to "was this useful for a decision?", once per product."""

    publication = models.ForeignKey(
        "library.Publication", on_delete=models.CASCADE, related_name="usefulness"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usefulness"
    )
    useful = models.BooleanField(_("useful for a decision"))
    comment = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usefulness answer")
        verbose_name_plural = _("usefulness answers")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "user"], name="usefulness_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.useful}"
