"""Writes to the organisational structure."""

from collections.abc import Iterable

from django.db import transaction

from .models import Cluster, Hub, HubLevel, Municipality, Region, Unit


@transaction.atomic
def cluster_create(
    *, name: str, motor: Municipality, municipalities: Iterable[Municipality]
) -> Cluster:
    """Create a municipal cluster; the motor municipality is always a member."""
    cluster = Cluster(name=name, motor=motor)
    cluster.full_clean()
    cluster.save()
    cluster.municipalities.set({motor, *municipalities})
    return cluster


def unit_create(*, municipality: Municipality, name: str) -> Unit:
    """Register a unit (enhet) of a municipality."""
    unit = Unit(municipality=municipality, name=name.strip())
    unit.full_clean()
    unit.save()
    return unit


def hub_create(*, name: str, cluster: Cluster | None = None, region: Region | None = None) -> Hub:
    """Open a secretariat for a cluster, a region, or (with neither) the national level."""
    if cluster is not None and region is not None:
        raise ValueError("A hub belongs to a cluster or a region, not both.")
    level = HubLevel.CLUSTER if cluster else HubLevel.REGION if region else HubLevel.NATIONAL
    hub = Hub(name=name, level=level, cluster=cluster, region=region)
    hub.full_clean()
    hub.save()
    return hub
