"""The state the permission tests act on: a round of the cluster's hub with an ordered need and
its commission, a mini-HTA of Bergen with its group, a publication, and people without the
right to change any of them."""

from datetime import date

import pytest

from kunnskap.commissions import services as commissions
from kunnskap.commissions.models import Commission, Producer
from tests.assessments.conftest import assessment, group, lead, member, reviewer  # noqa: F401
from tests.commissions.conftest import ordered, per  # noqa: F401
from tests.learning.conftest import (  # noqa: F401
    kbp_team,
    lena,
    make_event,
    researchers,
    rune,
)


@pytest.fixture
def commission(ordered, berit) -> Commission:  # noqa: F811
    return commissions.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hjelper honning på sår?",
        due_on=date(2027, 6, 1),
    )


@pytest.fixture
def team_case(kbp_team, lena):  # noqa: F811
    from kunnskap.learning import services as learning

    return learning.case_open(team=kbp_team, actor=lena, title="Fall", question="Hjelper sensorer?")


@pytest.fixture
def an_event(make_event):  # noqa: F811
    from tests.learning.conftest import register

    event = make_event(capacity=5)
    register(event, 1)
    return event
