"""A journey of five needs through the real services, shared by the insights tests."""

from datetime import date

import pytest

from kunnskap.organisations.models import Municipality
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Round
from kunnskap.screening.services import literature_hit_add, proposal_screen


@pytest.fixture
def journey(submit, eligible, berit, sigrid, the_round, committee):
    """Five needs from Bergen and its cluster: one ordered, one answered, one out of scope,
    one eligible that was not recommended, one still waiting for screening."""
    ordered = eligible(title="Honning på sår")
    not_recommended = eligible(title="Sansehage", municipality=Municipality.objects.get(pk="4630"))
    answered, _ = submit(title="Velferdsteknologi")
    literature_hit_add(
        proposal=answered,
        actor=berit,
        title="Gevinster av velferdsteknologi",
        url="https://www.fhi.no/publ/",
        kind="systematic_review",
        note="Svarer på spørsmålet",
    )
    proposal_screen(
        proposal=answered, actor=berit, outcome="answered", note="Se Kort oppsummert 2019."
    )
    out_of_scope, _ = submit(title="Parkering", municipality=Municipality.objects.get(pk="4628"))
    proposal_screen(proposal=out_of_scope, actor=berit, outcome="out_of_scope", note="Ikke helse.")
    waiting, _ = submit(title="Søvn")
    entries = [
        rounds.entry_add(round_=the_round, proposal=need, actor=berit)
        for need in (ordered, not_recommended)
    ]
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entries[0],
        scores={"benefit": 5, "resources": 4, "severity": 4},
    )
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entries[1],
        scores={"benefit": 1, "resources": 1, "severity": 1},
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    Round.objects.filter(pk=the_round.pk).update(capacity=1)  # room for one short summary
    the_round.refresh_from_db()
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    for entry in entries:
        rounds.decision_record(
            entry=entry,
            actor=sigrid,
            decision="commissioned" if entry.proposal_id == ordered.pk else "not_commissioned",
            rationale="Som innstilt.",
            decided_on=date(2026, 11, 7),
        )
    return {
        "ordered": ordered,
        "not_recommended": not_recommended,
        "answered": answered,
        "out_of_scope": out_of_scope,
        "waiting": waiting,
    }
