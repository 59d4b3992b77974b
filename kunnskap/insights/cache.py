"""The statistics tables, computed once per change (see `kunnskap.caching`).

At 100,000 needs the ten aggregate queries of /innsikt/ take more than a second. Their result
changes only when a need, its history, an endorsement, a round's needs or dates, or a name they
show changes; each such save bumps a generation number in the same transaction, and the tables
are kept under (generation, language, tables, filters). The figures therefore stay exact: a
page after a change computes them anew, every page after it reads them from the cache."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.utils import translation

from kunnskap.caching import ListCache

from .selectors import Filters
from .tables import Table

statistics = ListCache("statistics", lambda: apps.get_model("insights", "StatisticsGeneration"))


def connect() -> None:
    from kunnskap.organisations.models import Hub, Municipality, Region, Unit
    from kunnskap.proposals.models import Endorsement, Proposal, ProposalEvent
    from kunnskap.rounds.models import Entry, Round
    from kunnskap.taxonomy.models import ServiceArea, Theme

    statistics.connect(
        [
            Proposal,
            ProposalEvent,
            Endorsement,
            Entry,
            Round,
            Hub,
            Municipality,
            Region,
            Unit,
            ServiceArea,
            Theme,
        ]
    )


def _filters_key(filters: Filters) -> str:
    parts = [
        (name, getattr(value, "pk", value))
        for name, value in sorted(vars(filters).items())
        if value is not None
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached_tables(
    slugs: list[str], filters: Filters, build: Callable[[list[str], Filters], list[Table]]
) -> list[Table]:
    """`build(slugs, filters)`, kept until the next change the statistics count."""
    key = (
        f"statistics-tables:{translation.get_language()}:{statistics.generation()}:"
        f"{hashlib.sha256(','.join(slugs).encode()).hexdigest()[:16]}:{_filters_key(filters)}"
    )  # under memcached's 250 characters, however many tables a page shows
    kept = statistics.get(key)
    if kept is None:
        kept = build(slugs, filters)
        statistics.put(key, kept)
    return kept


def cached_html(name: str, filters: Filters, query: str, render: Callable[[], str]) -> str:
    """The rendered statistics of a page (hundreds of rows and bars at national scale), kept
    like the tables: the fragment sees no request, so every reader may share it."""
    key = (
        f"statistics-html:{name}:{translation.get_language()}:{statistics.generation()}:"
        f"{_filters_key(filters)}:{hashlib.sha256(query.encode()).hexdigest()[:16]}"
    )
    kept = statistics.get(key)
    if kept is None:
        kept = render()
        statistics.put(key, kept)
    return kept
