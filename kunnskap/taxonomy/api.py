from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kunnskap.accounts.api_auth import ANYONE
from kunnskap.pagination import MAX_OFFSET

from . import selectors

router = Router(tags=["taxonomy"], auth=ANYONE)


class TermOut(Schema):
    dimension: Literal["service_area", "theme"]
    key: str
    label: str
    label_en: str


class TaxonomyOut(Schema):
    count: int
    items: list[TermOut]


class TaxonomyFilters(Schema):
    dimension: Literal["service_area", "theme", ""] = Field("", description="Only one dimension.")
    # The whole taxonomy fits one page by default, so pickers need no paging.
    limit: int = Field(100, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/taxonomy", response=TaxonomyOut)
def taxonomy(request: HttpRequest, filters: Query[TaxonomyFilters]):
    """Service areas (etat/forvaltningsområde) and themes (tema/formål) for classifying needs."""
    items = selectors.taxonomy_items(dimension=filters.dimension)
    return {"count": len(items), "items": items[filters.offset : filters.offset + filters.limit]}
