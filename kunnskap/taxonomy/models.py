"""The two classification dimensions of seed 003: service areas and themes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Dimension(models.TextChoices):
    SERVICE_AREA = "service_area", _("Service area")
    THEME = "theme", _("Theme")


class PublicationKind(models.TextChoices):
    """The kinds of knowledge product (DESIGN.md), shared by literature hits and the library."""

    SHORT_SUMMARY = "short_summary", _("Short summary (Kort oppsummert)")
    RESEARCH_COMMENTARY = "research_commentary", _("Research commentary")
    MINI_HTA = "mini_hta", _("Mini health technology assessment")
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    OVERVIEW_OF_REVIEWS = "overview_of_reviews", _("Overview of systematic reviews")
    HEALTH_TECHNOLOGY_ASSESSMENT = "health_technology_assessment", _("Health technology assessment")
    RAPID_REVIEW = "rapid_review", _("Rapid review")
    OTHER = "other", _("Other")


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Term(models.Model):
    """A classification term with a stable key, a Norwegian label and an English label."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    label = models.CharField(_("label (Norwegian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class ServiceArea(Term):
    """Etat / forvaltningsområde: the part of the municipal service a need comes from."""

    history = HistoricalRecords()

    class Meta(Term.Meta):
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")


class Theme(Term):
    """Tema / formål: what a need is about."""

    history = HistoricalRecords()

    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
