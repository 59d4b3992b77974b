"""The lists of needs are cached (see `kunnskap.caching`): at national scale the filter form and
the cards are most of a list's cost, and they change only when a need, an endorsement or a name
they show does."""

from __future__ import annotations

from django.apps import apps

from kunnskap.caching import ListCache

lists = ListCache("needs", lambda: apps.get_model("proposals", "ListGeneration"))


def connect() -> None:
    """What the lists show: needs, their endorsements, and the names of municipalities, units
    and taxonomy terms (also the filter form's choices), and the thesaurus a search expands by."""
    from kunnskap.organisations.models import Municipality, Unit
    from kunnskap.search.models import ThesaurusEntry
    from kunnskap.taxonomy.models import ServiceArea, Theme

    from .models import Endorsement, Proposal

    lists.connect([Proposal, Endorsement, Municipality, Unit, ServiceArea, Theme, ThesaurusEntry])
