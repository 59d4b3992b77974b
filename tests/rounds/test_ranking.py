"""The ranking arithmetic of DESIGN.md, checked against a round worked out by hand.

Criteria: benefit and resources with weight 1, severity with weight 2, all on 1–5.
Members: Ulf, Unni, Tor. Capacity 3 units; D is a systematic review (4 units), the rest short
summaries (1 unit).

    need  member  benefit resources severity
    A     Ulf     5       4         4
          Unni    4       4         5
          Tor     recused (conflict of interest)
    B     Ulf     3       2         5
          Unni    3       ?         5        (? = "don't know")
          Tor     3       4         5
    C     Ulf     1       5         1
          Unni    5       1         1
          Tor     3       3         2
    D     all     3       3         5        (2 endorsing municipalities)
    E     as B, submitted after B

A: means 4.5, 4, 4.5 → normalised 87.5, 75, 87.5 → total (87.5 + 75 + 2·87.5) / 4 = 84.375;
   agreement (1/2 + 2/2 + 1/2) / 3 = 2/3; 2 raters.
B: means 3, 3, 5 → 50, 50, 100 → total (50 + 50 + 200) / 4 = 75; agreement (1 + 1/2 + 1) / 3.
C: means 3, 3, 4/3 → 50, 50, 25/3 → total (100 + 50/3) / 4 = 29.1667;
   agreement (1/3 + 1/3 + 2/3) / 3 = 4/9 < 0.5 → flagged.
D: 75 like B, agreement 1, but two endorsing municipalities → above B.
E: 75 like B, one municipality, submitted later → below B.
Order A, D, B, E, C. Capacity 3: A (1), D does not fit (4), B (1), E (1); C is left out.
"""

from decimal import Decimal

import pytest

from kunnskap.proposals import services as proposals
from kunnskap.rounds import services as rounds
from kunnskap.rounds.selectors import ranking
from kunnskap.taxonomy.models import PublicationKind
from tests.conftest import municipality

SCORES = {
    "A": {
        "ulf": {"benefit": 5, "resources": 4, "severity": 4},
        "unni": {"benefit": 4, "resources": 4, "severity": 5},
        "tor": "recused",
    },
    "B": {
        "ulf": {"benefit": 3, "resources": 2, "severity": 5},
        "unni": {"benefit": 3, "resources": None, "severity": 5},
        "tor": {"benefit": 3, "resources": 4, "severity": 5},
    },
    "C": {
        "ulf": {"benefit": 1, "resources": 5, "severity": 1},
        "unni": {"benefit": 5, "resources": 1, "severity": 1},
        "tor": {"benefit": 3, "resources": 3, "severity": 2},
    },
    "D": {name: {"benefit": 3, "resources": 3, "severity": 5} for name in ("ulf", "unni", "tor")},
}
SCORES["E"] = SCORES["B"]


@pytest.fixture
def scored_round(the_round, committee, eligible, berit):
    needs = {}
    for label in "ABCDE":
        needs[label] = eligible(title=f"Behov {label}", question=f"Spørsmål {label}?")
    proposals.proposal_endorse(
        proposal=needs["D"], municipality=municipality("4631"), name="Unni", email="u@alver.no"
    )
    severity = the_round.criteria.get(key="severity")
    severity.weight = Decimal(2)
    severity.save()
    entries = {}
    for label, proposal in needs.items():
        kind = PublicationKind.SYSTEMATIC_REVIEW if label == "D" else ""
        entries[label] = rounds.entry_add(
            round_=the_round, proposal=proposal, actor=berit, product_kind=kind
        )
    rounds.scoring_open(round_=the_round, actor=berit)
    for label, by_member in SCORES.items():
        for name, scores in by_member.items():
            member = committee[name]
            if scores == "recused":
                rounds.scorecard_save(
                    member=member,
                    actor=member.user,
                    entry=entries[label],
                    scores={},
                    recused=True,
                    recusal_reason="Min egen kommune sendte forslaget.",
                )
            else:
                rounds.scorecard_save(
                    member=member, actor=member.user, entry=entries[label], scores=scores
                )
    for member in committee.values():
        rounds.scores_submit(member=member, actor=member.user)
    return entries


def test_ranking_matches_the_hand_computed_round(the_round, scored_round):
    ranked = ranking(the_round)
    by_title = {item.entry.proposal.title[-1]: item for item in ranked}

    assert [item.entry.proposal.title[-1] for item in ranked] == ["A", "D", "B", "E", "C"]
    assert [item.rank for item in ranked] == [1, 2, 3, 4, 5]

    assert by_title["A"].total == pytest.approx(84.375)
    assert by_title["A"].agreement == pytest.approx(2 / 3)
    assert by_title["A"].raters == 2
    assert by_title["A"].recused == 1
    assert by_title["A"].means == pytest.approx({"benefit": 4.5, "resources": 4.0, "severity": 4.5})

    assert by_title["B"].total == pytest.approx(75.0)
    assert by_title["B"].agreement == pytest.approx((1 + 0.5 + 1) / 3)
    assert by_title["B"].raters == 3
    resources = by_title["B"].criteria[1]
    assert (resources.scored, resources.unknown, resources.spread) == (2, 1, (2, 4))

    assert by_title["C"].total == pytest.approx((50 + 50 + 2 * 25 / 3) / 4)
    assert by_title["C"].agreement == pytest.approx(4 / 9)
    assert by_title["D"].total == pytest.approx(75.0)
    assert by_title["D"].agreement == pytest.approx(1.0)
    assert by_title["D"].endorsing_municipalities == 2
    assert by_title["E"].endorsing_municipalities == 1

    assert [label for label, item in by_title.items() if item.flagged] == ["C"]
    assert {label for label, item in by_title.items() if item.recommended} == {"A", "B", "E"}


def test_scores_count_only_once_submitted(the_round, committee, eligible, berit):
    entry = rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entry,
        scores={"benefit": 5, "resources": 5, "severity": 5},
    )
    rounds.scorecard_save(
        member=committee["unni"],
        actor=committee["unni"].user,
        entry=entry,
        scores={"benefit": 1, "resources": 1, "severity": 1},
    )
    rounds.scores_submit(member=committee["ulf"], actor=committee["ulf"].user)

    (item,) = ranking(the_round)
    assert (item.total, item.raters) == (100.0, 1)

    rounds.scoring_close(round_=the_round, actor=berit)  # closing counts every saved score
    (item,) = ranking(the_round)
    assert (item.total, item.raters) == (50.0, 2)


def test_unscored_needs_rank_last_without_a_total(the_round, committee, eligible, berit):
    rounds.entry_add(round_=the_round, proposal=eligible(title="Uten poeng"), actor=berit)
    (item,) = ranking(the_round)
    assert (item.total, item.agreement, item.raters, item.recommended) == (None, None, 0, False)


def test_ranking_takes_the_same_queries_for_few_and_many(
    the_round, committee, eligible, berit, django_assert_max_num_queries
):
    for number in range(6):
        entry = rounds.entry_add(
            round_=the_round, proposal=eligible(title=f"Behov {number}"), actor=berit
        )
        if number == 0:
            rounds.scoring_open(round_=the_round, actor=berit)
        rounds.scorecard_save(
            member=committee["ulf"],
            actor=committee["ulf"].user,
            entry=entry,
            scores={"benefit": 3, "resources": 3, "severity": 3},
        )
    rounds.scoring_close(round_=the_round, actor=berit)
    with django_assert_max_num_queries(4):
        assert len(ranking(the_round)) == 6
