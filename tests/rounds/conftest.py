"""The round fixtures (tor, eligible, the_round, committee) live in tests/conftest.py."""

from datetime import date

import pytest

from kunnskap.rounds import services as rounds


@pytest.fixture
def frozen(the_round, committee, eligible, berit):
    """A round of two needs, scored and with its recommendation frozen: ready for decisions."""
    entries = [
        rounds.entry_add(round_=the_round, proposal=eligible(title=title), actor=berit)
        for title in ("Honning på sår", "Sansehage mot uro")
    ]
    rounds.scoring_open(round_=the_round, actor=berit)
    for entry, value in zip(entries, (5, 3), strict=True):
        rounds.scorecard_save(
            member=committee["ulf"],
            actor=committee["ulf"].user,
            entry=entry,
            scores={"benefit": value, "resources": value, "severity": value},
        )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    the_round.refresh_from_db()
    return entries


MEETING = date(2026, 11, 7)
