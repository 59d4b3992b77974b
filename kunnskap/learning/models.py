"""Kunnskapsbroen (seed 000): KBP teams that work a knowledge need before or instead of submitting
it, researcher teams and mentors that guide them, a method team's tools, and the events
(competence workshops, courses such as KSF Agder's mini-HTA course) that build the skills.

A case ends in one of two ways: knowledge found (linked to publications) or a research need
uncovered (submitted as a knowledge need with the team's searches attached, or registered as a
research gap). Events take registrations with a waiting list that moves up in arrival order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunnskap.taxonomy.models import PublicationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

TEXT_MAX = 4000


class TeamKind(models.TextChoices):
    KBP = "kbp", _("KBP team")
    RESEARCHER = "researcher", _("Researcher team")
    METHOD = "method", _("Method team")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    MEMBER = "member", _("Member")
    MENTOR = "mentor", _("Researcher mentor")
    RESEARCHER = "researcher", _("Researcher")


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: User | AnonymousUser) -> TeamQuerySet:
        """Teams a person may open: her own, her municipality's, her researcher team's teams,
        and every team of the hubs she screens for (all for an administrator). The public sees
        counts only (`selectors.teams_per_municipality`)."""
        from kunnskap.accounts import policy
        from kunnskap.accounts.policy import Permission

        if policy.is_admin(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        own = Q(memberships__user=user) | Q(researcher_team__memberships__user=user)
        own |= Q(hub_id__in=policy.hub_ids_where(user, Permission.SCREEN))
        municipality_id = getattr(user, "municipality_id", None)
        if municipality_id:
            own |= Q(municipality_id=municipality_id)
        return self.filter(pk__in=Team.objects.filter(own).values("pk"))


class Team(models.Model):
    """A KBP team of a service, a hub's researcher team, or its method team."""

    hub = models.ForeignKey(
        "organisations.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="teams"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=TeamKind.choices, default=TeamKind.KBP
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_area = models.ForeignKey(
        "taxonomy.ServiceArea",
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    researcher_team = models.ForeignKey(
        "self",
        verbose_name=_("researcher team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kbp_teams",
        limit_choices_to={"kind": TeamKind.RESEARCHER},
    )
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="learning_team_name_per_hub"),
            models.CheckConstraint(
                condition=~Q(kind="kbp") | Q(municipality__isnull=False),
                name="learning_kbp_team_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:team", args=[self.pk])


class Membership(models.Model):
    """A person in a team with a role; a person may be in several teams."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__full_name", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="learning_one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KNOWLEDGE_FOUND = "knowledge_found", _("Knowledge found")
    RESEARCH_NEED = "research_need", _("Research need uncovered")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        """A case is read by whoever may open its team."""
        return self.filter(team__in=Team.objects.visible_to(user))


class Case(models.Model):
    """A team's work on one knowledge need, owned by its team leader."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), validators=[MaxLengthValidator(TEXT_MAX)])
    population = models.TextField(
        _("population"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    intervention = models.TextField(
        _("intervention"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    comparison = models.TextField(
        _("comparison"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    outcome = models.TextField(_("outcome"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leader"),
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("researcher mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_cases",
    )
    conclusion = models.TextField(
        _("what the team found"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    publications = models.ManyToManyField(
        "library.Publication", verbose_name=_("publications"), blank=True, related_name="cases"
    )
    summary_publication = models.OneToOneField(
        "library.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="written_by_case",
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_case",
    )
    research_gap = models.ForeignKey(
        "screening.ResearchGap", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:case", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseSearch(models.Model):
    """What the team searched, in the screening's sources (attached to the need it submits)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="searches")
    source = models.ForeignKey(
        "screening.LiteratureSource", verbose_name=_("source"), on_delete=models.PROTECT
    )
    query = models.TextField(_("search string"), validators=[MaxLengthValidator(TEXT_MAX)])
    searched_on = models.DateField(_("searched on"))
    results = models.PositiveIntegerField(_("number of results"), null=True, blank=True)
    searched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["searched_on", "pk"]
        verbose_name = _("team search")
        verbose_name_plural = _("team searches")

    def __str__(self) -> str:
        return f"{self.source}: {self.query}"


class CaseFinding(models.Model):
    """A piece of knowledge the team found, as the screening's literature hits are recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("team finding")
        verbose_name_plural = _("team findings")

    def __str__(self) -> str:
        return self.title


class StepKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    NOTE = "note", _("Note")
    DECISION = "decision", _("Decision")
    SEARCH = "search", _("Search recorded")
    FINDING = "finding", _("Knowledge recorded")
    MENTOR = "mentor", _("Mentor assigned")
    KNOWLEDGE_FOUND = "knowledge_found", _("Knowledge found")
    SUBMITTED = "submitted", _("Submitted as a knowledge need")
    RESEARCH_GAP = "research_gap", _("Registered as a research need")


class CaseStep(models.Model):
    """One step on a case's path: who, when, what (notes and decisions are steps too)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    text = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Competence workshop")
    COURSE = "course", _("Course")
    NETWORK = "network", _("Network meeting")
    WEBINAR = "webinar", _("Webinar")


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: User | AnonymousUser) -> EventQuerySet:
        """Events are public (their participants are not)."""
        return self.all()

    def upcoming(self) -> EventQuerySet:
        """Events with a session still to come, soonest first."""
        now = timezone.now()
        return (
            self.filter(sessions__ends_at__gte=now)
            .annotate(first_start=models.Min("sessions__starts_at"))
            .order_by("first_start", "pk")
            .distinct()
        )


class Event(models.Model):
    """A workshop, course, network meeting or webinar of a hub, with sessions and a capacity."""

    hub = models.ForeignKey(
        "organisations.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(_("registration deadline"))
    municipalities = models.ManyToManyField(
        "organisations.Municipality", verbose_name=_("municipalities"), blank=True, related_name="+"
    )
    regions = models.ManyToManyField(
        "organisations.Region", verbose_name=_("KSF regions"), blank=True, related_name="+"
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:event", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return not self.is_cancelled and timezone.now() <= self.registration_deadline


class Session(models.Model):
    """One meeting of an event: a time and a place or a video link."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or video link"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="learning_session_ends_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """One person's place at an event, or on its waiting list, in order of arrival."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    # The order of arrival, per event: the waiting list moves up in this order.
    sequence = models.PositiveIntegerField()
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="learning_one_registration_per_address",
            ),
            models.UniqueConstraint(fields=["event", "sequence"], name="learning_one_place"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.email} ({self.status})"


class Attendance(models.Model):
    """A participant was at a session (the organiser ticks it)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="learning_one_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.session_id}"


class CourseAssessment(models.Model):
    """A participant's mini-HTA written in a course."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="course_assessments")
    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="course_link"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course mini-HTA")
        verbose_name_plural = _("course mini-HTAs")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.assessment_id}"


class ResourceKind(models.TextChoices):
    TEMPLATE = "template", _("Template")
    GUIDE = "guide", _("Guide")
    ELEARNING = "elearning", _("E-learning")
    LINK = "link", _("Link")


class Resource(models.Model):
    """The method team's tools: a template, a guide or an e-learning course, on a course or a
    team page (neither: shown on every team page of the hub)."""

    hub = models.ForeignKey(
        "organisations.Hub", on_delete=models.CASCADE, related_name="learning_resources"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title
