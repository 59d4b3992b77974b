"""People with work waiting: Per produces for the cluster, Rita edits the library, and a need
the steering group decided to order (the same path as tests/commissions)."""

from datetime import date

import pytest

from kunnskap.accounts.models import Role
from kunnskap.assessments import services as assessments
from kunnskap.organisations.models import Hub
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry
from tests.conftest import make_person


@pytest.fixture
def per(db, hov_hub):
    return make_person("per@fhi.no", "Per Produsent", None, Role.PRODUCER, hov_hub)


@pytest.fixture
def rita(db):
    return make_person(
        "rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, Hub.objects.get(level="national")
    )


@pytest.fixture
def scoring(the_round, committee, eligible, berit):
    """A round open for scoring with two needs."""
    for title in ("Honning på sår", "Velferdsteknologi i hjemmetjenesten"):
        rounds.entry_add(round_=the_round, proposal=eligible(title=title), actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    return the_round


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


# The mini-HTA group of tests/assessments.


@pytest.fixture
def lead(db, hov_hub):
    """Frøydis, R&D contact in Bergen, leads the mini-HTA."""
    return make_person("froydis@bergen.kommune.no", "Frøydis FoU", "4601")


@pytest.fixture
def member(db):
    return make_person("magne@bergen.kommune.no", "Magne Medlem", "4601")


@pytest.fixture
def reviewer(db):
    """Reidun from Alver reviews: another municipality."""
    return make_person("reidun@alver.kommune.no", "Reidun Fagfelle", "4631")


@pytest.fixture
def group(lead, member, reviewer, bergen):
    assessment = assessments.assessment_start(
        title="Digitalt nattilsyn med sensorer i omsorgsbolig",
        municipality=bergen,
        actor=lead,
        summary="Kan sensorer erstatte fysisk tilsyn om natten?",
    )
    assessments.participant_invite(
        assessment=assessment, email=member.email, role="member", actor=lead
    )
    assessments.participant_invite(
        assessment=assessment, email=reviewer.email, role="reviewer", actor=lead
    )
    return assessment
