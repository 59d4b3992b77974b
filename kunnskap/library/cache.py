"""The library's result lists are cached (see `kunnskap.caching`): searching and counting facets
over 100,000 publications is the expensive part of the busiest public page, and the answer only
changes when a publication, or a label it shows, does."""

from __future__ import annotations

from django.apps import apps

from kunnskap.caching import ListCache

results = ListCache("library", lambda: apps.get_model("library", "Generation"))


def connect() -> None:
    """What the lists show: publications and their themes and service areas, the names of
    producers, municipalities and taxonomy terms, and the thesaurus a search expands by."""
    from kunnskap.commissions.models import Producer
    from kunnskap.organisations.models import Municipality
    from kunnskap.search.models import ThesaurusEntry
    from kunnskap.taxonomy.models import ServiceArea, Theme

    from .models import Publication

    results.connect(
        [
            Publication,
            Producer,
            Municipality,
            ServiceArea,
            Theme,
            Publication.themes.through,
            Publication.service_areas.through,
            ThesaurusEntry,  # what a search finds
        ]
    )
