"""A round of the HOV cluster: three committee members, eligible needs, default criteria."""

from datetime import date
from typing import Any

import pytest

from kunnskap.accounts.models import Role, User
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Proposal
from kunnskap.proposals.screening import proposal_screen
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Member, Round
from tests.conftest import make_person


@pytest.fixture
def tor(db, hov_hub) -> User:
    return make_person("tor@askoy.kommune.no", "Tor Utvalg", "4627", Role.COMMITTEE, hov_hub)


@pytest.fixture
def eligible(submit, berit):
    """Submit a need and screen it as eligible, as the librarian would."""

    def make(**overrides: Any) -> Proposal:
        proposal, _token = submit(**overrides)
        proposal = proposal_screen(proposal=proposal, actor=berit, outcome=Status.ELIGIBLE)
        return proposal

    return make


@pytest.fixture
def the_round(hov_hub, berit) -> Round:
    return rounds.round_create(
        hub=hov_hub,
        name="Pilot 2.0",
        actor=berit,
        capacity=3,
        proposals_close=date(2026, 9, 26),
        committee_meeting=date(2026, 10, 22),
        decision_meeting=date(2026, 11, 7),
    )


@pytest.fixture
def committee(the_round, berit, ulf, unni, tor) -> dict[str, Member]:
    return {
        "ulf": rounds.member_add(round_=the_round, user=ulf, actor=berit, is_chair=True),
        "unni": rounds.member_add(round_=the_round, user=unni, actor=berit),
        "tor": rounds.member_add(round_=the_round, user=tor, actor=berit),
    }
