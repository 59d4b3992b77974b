"""The lists of needs are cached (see `kunnskap.caching`): at national scale the filter form and
the cards are most of a list's cost, and they change only when a need, an endorsement or a name
they show does."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission
from kunnskap.caching import ListCache

lists = ListCache("needs", lambda: apps.get_model("proposals", "ListGeneration"))


def scope(user: User | AnonymousUser) -> str:
    """What of the list this reader may see, as a word for the key: every need, or the accepted
    ones and those of her hubs (`selectors.proposals_visible_to`)."""
    if policy.is_admin(user):
        return "all"
    hubs = sorted(policy.hub_ids_where(user, Permission.VIEW_SUBMITTER))
    return "public+" + ",".join(map(str, hubs))


def connect() -> None:
    """What the lists show: needs, their endorsements, and the names of municipalities, units
    and taxonomy terms (also the filter form's choices)."""
    from kunnskap.organisations.models import Municipality, Unit
    from kunnskap.taxonomy.models import ServiceArea, Theme

    from .models import Endorsement, Proposal

    lists.connect([Proposal, Endorsement, Municipality, Unit, ServiceArea, Theme])
