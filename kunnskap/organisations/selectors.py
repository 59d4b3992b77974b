"""Reads of the organisational structure: routing a municipality to its hub."""

from django.db.models import QuerySet

from .models import Hub, HubLevel, Municipality, Region


def municipality_list(*, q: str = "", county: str = "") -> QuerySet[Municipality]:
    """Municipalities for lists and pickers, with county and region loaded in the same query."""
    municipalities = Municipality.objects.select_related("county__region").search(q)
    if county:
        municipalities = municipalities.filter(county__number=county)
    return municipalities.order_by("name")


def municipality_count() -> int:
    return Municipality.objects.count()


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("host").prefetch_related("counties").order_by("name")


def hub_for_municipality(municipality: Municipality) -> Hub:
    """Where a need from here goes: its cluster's hub, else its region's, else the national one."""
    cluster_hub = (
        Hub.objects.filter(
            level=HubLevel.CLUSTER, is_active=True, cluster__municipalities=municipality
        )
        .order_by("name")
        .first()
    )
    if cluster_hub:
        return cluster_hub
    region = municipality.county.region
    if region is not None:
        region_hub = Hub.objects.filter(
            level=HubLevel.REGION, is_active=True, region=region
        ).first()
        if region_hub:
            return region_hub
    return national_hub()


def national_hub() -> Hub:
    return Hub.objects.get(level=HubLevel.NATIONAL)


def wider_hubs(hub: Hub) -> list[Hub]:
    """The hubs a proposal can be forwarded to from this one, nearest first."""
    wider: list[Hub] = []
    if hub.level == HubLevel.CLUSTER and hub.cluster is not None:
        region = hub.cluster.motor.county.region
        region_hub = Hub.objects.filter(
            level=HubLevel.REGION, is_active=True, region=region
        ).first()
        if region_hub:
            wider.append(region_hub)
    if hub.level != HubLevel.NATIONAL:
        wider.append(national_hub())
    return wider
