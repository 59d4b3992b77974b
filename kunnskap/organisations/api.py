from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kunnskap.accounts.api_auth import ANYONE
from kunnskap.api_errors import FieldError
from kunnskap.pagination import Pagination

from . import selectors
from .models import County, Municipality, Region

router = Router(tags=["organisations"], auth=ANYONE)


class CountyOut(Schema):
    number: str
    name: str


class MunicipalityOut(Schema):
    number: str
    name: str
    norwegian_name: str = Field(description="The Norwegian name where the official one is Sámi.")
    county: CountyOut
    region: str | None = Field(description="The KSF region's name.")

    @staticmethod
    def resolve_region(municipality: Municipality) -> str | None:
        region = municipality.county.region
        return region.name if region else None


class MunicipalityFilters(Schema):
    q: str = Field("", max_length=100, description="Part of a name (Sámi or Norwegian) or number.")
    county: str = Field("", pattern=r"^(\d{2})?$", description="A county number, such as 46.")


class RegionOut(Schema):
    name: str
    host: str = Field(description="The host municipality's number.")
    host_name: str
    counties: list[str] = Field(description="County numbers.")

    @staticmethod
    def resolve_host(region: Region) -> str:
        return region.host_id

    @staticmethod
    def resolve_host_name(region: Region) -> str:
        return region.host.name

    @staticmethod
    def resolve_counties(region: Region) -> list[str]:
        return [county.number for county in region.counties.all()]


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pagination)
def municipality_list(request: HttpRequest, filters: Query[MunicipalityFilters]):
    """All 357 municipalities, searchable by either name and filterable by county."""
    if filters.county and not County.objects.filter(number=filters.county).exists():
        raise FieldError(
            "county", _("There is no county with number %(number)s.") % {"number": filters.county}
        )
    return selectors.municipality_list(q=filters.q, county=filters.county)


@router.get("/regions", response=list[RegionOut])
@paginate(Pagination)
def region_list(request: HttpRequest):
    """The KSF regions with their host municipality and counties."""
    return selectors.region_list()
