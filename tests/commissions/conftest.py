"""A need the steering group decided to order, and Per, a producer at FHI."""

from datetime import date

import pytest

from kunnskap.accounts.models import Role
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry
from tests.conftest import make_person


@pytest.fixture
def per(db, hov_hub):
    return make_person("per@fhi.no", "Per Produsent", None, Role.PRODUCER, hov_hub)


@pytest.fixture
def ordered(the_round, committee, eligible, berit, sigrid) -> Entry:
    entry = rounds.entry_add(
        round_=the_round, proposal=eligible(title="Honning på sår"), actor=berit
    )
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entry,
        scores={"benefit": 4, "resources": 4, "severity": 3},
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    return rounds.decision_record(
        entry=entry,
        actor=sigrid,
        decision="commissioned",
        rationale="Bestilles som lettere oppsummering.",
        decided_on=date(2026, 11, 7),
    )
