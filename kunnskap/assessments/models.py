"""Mini-HTAs (mini-metodevurderinger): a municipality's structured assessment of a new measure.

The questions are data: a `Template` version holds `Section`s of `Question`s, each with an answer
kind (`answers.py`). An assessment keeps the template version it started with, so publishing a
new version changes nothing for work under way. Each section's answers are one `SectionText`
with a revision number; a save names the revision it was written against, and a save against
an older one is kept as a conflicting `SectionRevision` instead of overwriting
(`services.section_save`).
Publishing freezes the whole text as an `AssessmentVersion`, which is what the public reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

TITLE_MAX = 300


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    YES_NO_UNCERTAIN = "ynu", _("Yes / no / uncertain, with an explanation")
    CHOICE = "choice", _("One of several choices")
    NUMBER = "number", _("Number")
    PICO = "pico", _("Question as PICO")
    TABLE = "table", _("Table")
    REFERENCES = "refs", _("References with an appraisal")
    COSTS = "costs", _("Costs and savings per year")


class TemplateQuerySet(models.QuerySet["Template"]):
    def published(self) -> TemplateQuerySet:
        return self.filter(published_at__isnull=False)

    def current(self) -> Template | None:
        """The template new assessments get: the newest published version."""
        return self.published().order_by("-version").first()


class Template(models.Model):
    """One version of the questions. Published versions never change; a new one is a copy."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("what is new in this version"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Section(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="section_key_per_template")
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer kind"), max_length=10, choices=QuestionKind.choices)
    guidance = models.TextField(_("guidance"), blank=True)
    config = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_(
            'For choices: {"choices": [...]}; for a table: {"columns": [{"key", "label", '
            '"choices"?}]}; for costs: {"years": 5, "categories": [...]}.'
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="question_key_per_section")
        ]

    def __str__(self) -> str:
        return self.label


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In peer review")
    REVISED = "revised", _("Revised after review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# The working group writes while these hold; after that the text is locked until a new version.
EDITABLE = (Status.DRAFT, Status.IN_REVIEW)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: User | AnonymousUser) -> AssessmentQuerySet:
        """Every mini-HTA has a public page (its published version, or who leads the work);
        the working text is for `policy.may_read_assessment` only."""
        return self.all()


class Assessment(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="led_assessments",
    )
    expected_on = models.DateField(_("expected completion"), null=True, blank=True)
    summary = models.TextField(
        _("summary in plain language"),
        blank=True,
        max_length=4000,
        help_text=_("What the library shows; required before publication."),
    )
    publication = models.OneToOneField(
        "library.Publication",
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessment",
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme",
        verbose_name=_("themes"),
        blank=True,
        related_name="assessments",
        help_text=_("What the measure is about; the library, theme feeds and newsletters use it."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("The version being written or last published.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("mini-HTA")
        verbose_name_plural = _("mini-HTAs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Working group")
    METHOD = "method", _("Method support")
    REVIEWER = "reviewer", _("Peer reviewer")


# Who writes the text; a reviewer comments but does not write.
WRITERS = (ParticipantRole.LEAD, ParticipantRole.MEMBER, ParticipantRole.METHOD)


class Participant(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=ParticipantRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["assessment", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="one_role_per_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class SectionText(models.Model):
    """The current answers of one section: {question key: value}, and its revision number."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="texts")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="one_text_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id} r{self.revision}"


class SectionRevision(models.Model):
    """Every save of a section, with the questions it changed; a conflicting save is kept here
    with `conflict` set, so its text survives even if its author closes the page."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="revisions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(null=True, blank=True)
    based_on = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    changed = models.JSONField(default=list)
    conflict = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    # Set on the rows selectors.revisions() hands to the history page.
    changed_labels: list[str]

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["assessment", "section", "-at"], name="revision_lookup")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id} r{self.revision}"


class Comment(models.Model):
    """A reviewer's (or a writer's) remark on a section, resolved when the group has acted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AssessmentVersion(models.Model):
    """A published version, frozen with its questions: the public reads this, not the draft."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"))
    content = models.JSONField(default=list)
    note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["assessment", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def sections(self) -> list[dict[str, Any]]:
        return list(self.content)
