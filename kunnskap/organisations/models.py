"""Counties, municipalities, KSF regions, municipal clusters, units and hubs."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class County(models.Model):
    """A county (fylke) by Statistics Norway's number."""

    number = models.CharField(_("number"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "Region",
        verbose_name=_("KSF region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counties",
        help_text=_("The KSF region the county's municipalities belong to."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def search(self, text: str) -> MunicipalityQuerySet:
        """Match the official name, the Norwegian name or the number."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(norwegian_name__icontains=text) | Q(number__startswith=text)
        )


class Municipality(models.Model):
    """A municipality (kommune); Sámi names keep their Norwegian name beside them."""

    number = models.CharField(_("number"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("The official name."))
    norwegian_name = models.CharField(
        _("Norwegian name"),
        max_length=100,
        blank=True,
        help_text=_("Where the official name is in a Sámi language, the Norwegian name."),
    )
    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="municipalities"
    )

    history = HistoricalRecords()
    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.norwegian_name and self.norwegian_name != self.name:
            return f"{self.name} ({self.norwegian_name})"
        return self.name

    @property
    def region(self) -> Region | None:
        return self.county.region


class Region(models.Model):
    """A KSF region (Kommunenes samarbeidsarena for forskning) with its host municipality."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.ForeignKey(
        Municipality,
        verbose_name=_("host municipality"),
        on_delete=models.PROTECT,
        related_name="hosted_regions",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("KSF region")
        verbose_name_plural = _("KSF regions")

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """A municipal cluster (kommuneklynge) led by a motor municipality."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    motor = models.ForeignKey(
        Municipality,
        verbose_name=_("motor municipality"),
        on_delete=models.PROTECT,
        related_name="motor_of",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities"), related_name="clusters"
    )

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipal cluster")
        verbose_name_plural = _("municipal clusters")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An organisational unit that submits needs, hosted by one municipality."""

    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="unit_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name


class HubLevel(models.TextChoices):
    CLUSTER = "cluster", _("Municipal cluster")
    REGION = "region", _("KSF region")
    NATIONAL = "national", _("National")


class Hub(models.Model):
    """A secretariat that screens, runs rounds and orders: a cluster, a region or national."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=HubLevel.choices)
    cluster = models.OneToOneField(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.OneToOneField(
        Region, verbose_name=_("KSF region"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=HubLevel.CLUSTER, cluster__isnull=False, region__isnull=True)
                    | Q(level=HubLevel.REGION, region__isnull=False, cluster__isnull=True)
                    | Q(level=HubLevel.NATIONAL, region__isnull=True, cluster__isnull=True)
                ),
                name="hub_level_matches_owner",
            ),
            models.UniqueConstraint(
                fields=["level"], condition=Q(level="national"), name="one_national_hub"
            ),
        ]

    def __str__(self) -> str:
        return self.name
