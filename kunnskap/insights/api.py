"""Statistics in the API: the counts of the insights pages, from the same selectors."""

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kunnskap.accounts import policy
from kunnskap.accounts.api_auth import SIGNED_IN
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.organisations.models import Cluster, Municipality, Region
from kunnskap.rounds.models import Round

from . import selectors

router = Router(tags=["statistics"], auth=SIGNED_IN)


class StatsQuery(Schema):
    by: Literal["organisation", "municipality", "region", "service_area", "theme", "status"]
    round: int | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    region: int | None = None
    cluster: int | None = None
    municipality: str | None = None


class StatItem(Schema):
    key: str
    label: str
    count: int


class StatsOut(Schema):
    total: int
    items: list[StatItem]


def _find(model, field: str, value, message: str):
    if value is None:
        return None
    found = model.objects.filter(pk=value).first()
    if found is None:
        raise FieldError(field, message)
    return found


@router.get("/stats/proposals", response=StatsOut)
def stats_proposals(request: SignedInApiRequest, filters: Query[StatsQuery]):
    """Needs counted per organisation (the unit, else the municipality), municipality, KSF
    region, service area, theme or status; for the secretariat and administrators."""
    if not policy.may_view_insights(request.auth):
        raise HttpError(403, _("The statistics are for the secretariat."))
    chosen = selectors.Filters(
        round=_find(Round, "round", filters.round, _("There is no round with this id.")),
        start=filters.submitted_from,
        end=filters.submitted_to,
        region=_find(Region, "region", filters.region, _("There is no KSF region with this id.")),
        cluster=_find(Cluster, "cluster", filters.cluster, _("There is no cluster with this id.")),
        municipality=_find(
            Municipality,
            "municipality",
            filters.municipality,
            _("There is no municipality with this number."),
        ),
    )
    result = selectors.proposals_by(filters.by, chosen)
    return {"total": result.total, "items": result.rows}
