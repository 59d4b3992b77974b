"""The statistics take the same number of queries for ten needs as for a thousand."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kunnskap.generate import Generator
from kunnskap.insights import selectors
from kunnskap.insights.selectors import Filters
from kunnskap.insights.tables import PAGE_ORDER, tables
from kunnskap.proposals.models import Proposal
from kunnskap.rounds.models import Round


def queries_for(work) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = work()
    return len(captured), result


def measure(ada, client_for) -> dict[str, int]:
    """Queries of each selector, of every table for a round, and of the whole page."""
    round_ = Round.objects.filter(entries__isnull=False).order_by("pk").first()
    assert round_ is not None
    client = client_for(ada)
    counts = {}
    for by in selectors.DIMENSIONS:
        counts[by], result = queries_for(lambda by=by: selectors.proposals_by(by, Filters()))
        assert result.total == Proposal.objects.count()
    counts["funnel"], steps = queries_for(lambda: selectors.funnel(Filters()))
    assert steps[0].count == Proposal.objects.count()
    counts["days"], days = queries_for(lambda: selectors.stage_days(Filters()))
    assert days[0].needs > 0
    counts["endorsements"], _ = queries_for(lambda: selectors.endorsements(Filters()))
    counts["round tables"], _ = queries_for(lambda: tables(PAGE_ORDER, Filters(round=round_)))
    counts["page"], response = queries_for(lambda: client.get(f"/innsikt/?round={round_.pk}"))
    assert response.status_code == 200
    counts["api"], response = queries_for(
        lambda: client.get(f"/api/v1/stats/proposals?by=theme&round={round_.pk}")
    )
    assert response.status_code == 200
    return counts


def test_the_query_count_does_not_grow_with_the_needs(db, ada, client_for):
    with transaction.atomic():
        Generator(seed=5).run(proposals=10)
        assert Proposal.objects.count() == 10
        small = measure(ada, client_for)
        transaction.set_rollback(True)
    Generator(seed=5).run(proposals=1000)
    assert Proposal.objects.count() == 1000
    large = measure(ada, client_for)
    assert large == small
    # One query per breakdown and for the whole funnel; one per stage for the medians.
    assert small["theme"] == 1
    assert small["funnel"] == 1
    assert small["days"] == len(selectors.SPANS)


@pytest.mark.parametrize("by", list(selectors.DIMENSIONS))
def test_every_breakdown_counts_every_need_once(db, by):
    Generator(seed=9).run(proposals=200)
    result = selectors.proposals_by(by, Filters())
    assert result.total == 200
    assert sum(row.count for row in result.rows) == 200
    assert len({row.key for row in result.rows}) == len(result.rows)
