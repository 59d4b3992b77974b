"""The rules of rounds' services: which needs join, when scores may change, what freezing the
recommendation writes, and what a decision does to the need and who hears of it."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import ProposalEvent
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry, Outcome, Round, Score, Scorecard, Stage
from kunnskap.screening.services import proposal_screen
from kunnskap.taxonomy.models import PublicationKind
from tests.conftest import municipality

FULL = {"benefit": 4, "resources": 3, "severity": 5}
MEETING = date(2026, 11, 7)


def error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    error = excinfo.value
    return set(error.message_dict) if hasattr(error, "error_dict") else set()


def events(proposal) -> list[tuple[str, str]]:
    return list(
        ProposalEvent.objects.filter(proposal=proposal)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


# Adding needs


def test_a_need_of_another_hub_does_not_join(eligible, ada, vest_hub):
    need = eligible()
    other = rounds.round_create(hub=vest_hub, name="KSF Vest 2026", actor=ada)

    with pytest.raises(ValidationError) as excinfo:
        rounds.entry_add(round_=other, proposal=need, actor=ada)

    assert error_fields(excinfo) == {"proposal"}
    assert not other.entries.exists()
    need.refresh_from_db()
    assert need.status == Status.ELIGIBLE


@pytest.mark.parametrize("outcome", [None, Status.NEEDS_CLARIFICATION, Status.RESEARCH_GAP])
def test_a_need_that_is_not_eligible_does_not_join(the_round, submit, berit, outcome):
    need, _token = submit()
    if outcome is not None:
        need = proposal_screen(
            proposal=need, actor=berit, outcome=outcome, note="Hva mener dere med uro?"
        )
    status = need.status

    with pytest.raises(ValidationError) as excinfo:
        rounds.entry_add(round_=the_round, proposal=need, actor=berit)

    assert error_fields(excinfo) == {"proposal"}
    assert not the_round.entries.exists()
    need.refresh_from_db()
    assert need.status == status


def test_a_need_joins_once_and_its_status_says_so(the_round, eligible, berit):
    need = eligible()
    entry = rounds.entry_add(
        round_=the_round, proposal=need, actor=berit, product_kind=PublicationKind.RAPID_REVIEW
    )
    assert (entry.product_kind, entry.cost, entry.carried_from) == ("rapid_review", 2, None)
    need.refresh_from_db()
    assert need.status == Status.IN_ROUND
    assert events(need)[-1] == (Status.ELIGIBLE, Status.IN_ROUND)

    with pytest.raises(ValidationError) as excinfo:
        rounds.entry_add(round_=the_round, proposal=need, actor=berit)

    assert error_fields(excinfo) == {"proposal"}
    assert the_round.entries.count() == 1


def test_an_unknown_product_kind_is_refused(the_round, eligible, berit):
    with pytest.raises(ValidationError) as excinfo:
        rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit, product_kind="poster")
    assert error_fields(excinfo) == {"product_kind"}
    assert not the_round.entries.exists()


# Opening scoring


def test_scoring_opens_only_with_members_and_needs(the_round, eligible, berit, ulf):
    with pytest.raises(ValidationError):
        rounds.scoring_open(round_=the_round, actor=berit)  # neither
    rounds.member_add(round_=the_round, user=ulf, actor=berit)
    with pytest.raises(ValidationError):
        rounds.scoring_open(round_=the_round, actor=berit)  # no needs
    the_round.refresh_from_db()
    assert the_round.stage == Stage.PLANNING

    rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    assert rounds.scoring_open(round_=the_round, actor=berit).stage == Stage.SCORING
    with pytest.raises(ValidationError):
        rounds.scoring_open(round_=the_round, actor=berit)  # only once


def test_scoring_does_not_open_without_members(the_round, eligible, berit):
    rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    with pytest.raises(ValidationError):
        rounds.scoring_open(round_=the_round, actor=berit)
    the_round.refresh_from_db()
    assert the_round.stage == Stage.PLANNING


# Scoring


@pytest.fixture
def two(the_round, committee, eligible, berit):
    """Two needs in the pilot round, scoring open."""
    entries = [
        rounds.entry_add(round_=the_round, proposal=eligible(title=f"Behov {n}"), actor=berit)
        for n in (1, 2)
    ]
    rounds.scoring_open(round_=the_round, actor=berit)
    return entries


def test_scores_cannot_be_saved_before_scoring_opens(the_round, committee, eligible, berit):
    entry = rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    with pytest.raises(ValidationError):
        rounds.scorecard_save(
            member=committee["ulf"], actor=committee["ulf"].user, entry=entry, scores=FULL
        )
    assert not Scorecard.objects.exists()


def test_scores_cannot_be_saved_after_scoring_closes(the_round, committee, two, berit):
    rounds.scorecard_save(
        member=committee["ulf"], actor=committee["ulf"].user, entry=two[0], scores=FULL
    )
    rounds.scoring_close(round_=the_round, actor=berit)

    with pytest.raises(ValidationError):
        rounds.scorecard_save(
            member=committee["ulf"],
            actor=committee["ulf"].user,
            entry=two[0],
            scores=FULL | {"benefit": 1},
        )

    assert Score.objects.get(criterion__key="benefit").value == 4


def test_scores_cannot_change_after_submitting_until_reopened(the_round, committee, two, berit):
    ulf = committee["ulf"]
    for entry in two:
        rounds.scorecard_save(member=ulf, actor=ulf.user, entry=entry, scores=FULL)
    rounds.scores_submit(member=ulf, actor=ulf.user)

    with pytest.raises(ValidationError):
        rounds.scorecard_save(
            member=ulf, actor=ulf.user, entry=two[0], scores=FULL | {"benefit": 1}
        )
    assert Score.objects.get(scorecard__entry=two[0], criterion__key="benefit").value == 4

    rounds.scores_reopen(member=ulf, actor=berit)
    rounds.scorecard_save(member=ulf, actor=ulf.user, entry=two[0], scores=FULL | {"benefit": 1})
    assert Score.objects.get(scorecard__entry=two[0], criterion__key="benefit").value == 1


def test_a_need_of_another_round_cannot_be_scored(
    the_round, committee, two, eligible, berit, hov_hub
):
    other = rounds.round_create(hub=hov_hub, name="Vår 2027", actor=berit)
    foreign = rounds.entry_add(round_=other, proposal=eligible(title="Annen runde"), actor=berit)
    with pytest.raises(ValidationError):
        rounds.scorecard_save(
            member=committee["ulf"], actor=committee["ulf"].user, entry=foreign, scores=FULL
        )
    assert not Scorecard.objects.exists()


def test_recusal_deletes_the_earlier_scores(committee, two):
    tor = committee["tor"]
    rounds.scorecard_save(
        member=tor, actor=tor.user, entry=two[0], scores=FULL, comment="Første inntrykk"
    )
    assert Score.objects.filter(scorecard__member=tor).count() == 3

    card = rounds.scorecard_save(
        member=tor,
        actor=tor.user,
        entry=two[0],
        scores=FULL,  # sent along by mistake: a recused member's scores never count
        recused=True,
        recusal_reason="Min egen kommune sendte forslaget.",
    )

    assert (card.recused, card.recusal_reason) == (True, "Min egen kommune sendte forslaget.")
    assert not Score.objects.filter(scorecard__member=tor).exists()
    assert Scorecard.objects.filter(member=tor).count() == 1


def test_recusal_needs_a_reason(committee, two):
    with pytest.raises(ValidationError) as excinfo:
        rounds.scorecard_save(
            member=committee["tor"],
            actor=committee["tor"].user,
            entry=two[0],
            scores={},
            recused=True,
            recusal_reason="  ",
        )
    assert error_fields(excinfo) == {"recusal_reason"}
    assert not Scorecard.objects.exists()


def test_submitting_lists_the_needs_still_missing(committee, two):
    unni = committee["unni"]
    rounds.scorecard_save(
        member=unni, actor=unni.user, entry=two[0], scores={"benefit": 3}
    )  # incomplete

    with pytest.raises(ValidationError) as excinfo:
        rounds.scores_submit(member=unni, actor=unni.user)

    message = " ".join(excinfo.value.messages)
    assert two[0].proposal.public_id in message and two[1].proposal.public_id in message
    unni.refresh_from_db()
    assert unni.submitted_at is None

    rounds.scorecard_save(
        member=unni, actor=unni.user, entry=two[0], scores=FULL | {"severity": None}
    )
    rounds.scorecard_save(
        member=unni,
        actor=unni.user,
        entry=two[1],
        scores={},
        recused=True,
        recusal_reason="Inhabil.",
    )
    assert rounds.scores_submit(member=unni, actor=unni.user).submitted_at is not None


def test_submitting_names_only_the_missing_need(committee, two):
    ulf = committee["ulf"]
    rounds.scorecard_save(member=ulf, actor=ulf.user, entry=two[0], scores=FULL)

    with pytest.raises(ValidationError) as excinfo:
        rounds.scores_submit(member=ulf, actor=ulf.user)

    message = " ".join(excinfo.value.messages)
    assert two[1].proposal.public_id in message
    assert two[0].proposal.public_id not in message


def test_criteria_change_until_someone_has_scored(the_round, committee, two, berit):
    custom = [rounds.CriterionInput("nytte", "Nytte", weight=2)]
    rounds.round_update(round_=the_round, actor=berit, changes={}, criteria=custom)
    assert list(the_round.criteria.values_list("key", "weight")) == [("nytte", 2)]

    rounds.scorecard_save(
        member=committee["ulf"], actor=committee["ulf"].user, entry=two[0], scores={"nytte": None}
    )

    with pytest.raises(ValidationError) as excinfo:
        rounds.round_update(
            round_=the_round,
            actor=berit,
            changes={"name": "Nytt navn"},
            criteria=rounds.default_criteria(),
        )

    assert error_fields(excinfo) == {"criteria"}
    the_round.refresh_from_db()
    assert the_round.name == "Pilot 2.0"  # nothing of the refused change is kept
    assert list(the_round.criteria.values_list("key", flat=True)) == ["nytte"]
    assert Score.objects.count() == 1


# The recommendation


@pytest.fixture
def scored(the_round, committee, eligible, berit):
    """Three needs; capacity 3. High (1 unit) 100, Middle (a rapid review, 2 units) 50 and
    Low (1 unit) 0, each scored alike by all three members, so agreement is 1."""
    entries = {}
    for label, kind in (("High", ""), ("Middle", PublicationKind.RAPID_REVIEW), ("Low", "")):
        entries[label] = rounds.entry_add(
            round_=the_round, proposal=eligible(title=label), actor=berit, product_kind=kind
        )
    rounds.scoring_open(round_=the_round, actor=berit)
    values = {"High": 5, "Middle": 3, "Low": 1}
    for member in committee.values():
        for label, entry in entries.items():
            value = values[label]
            rounds.scorecard_save(
                member=member,
                actor=member.user,
                entry=entry,
                scores={"benefit": value, "resources": value, "severity": value},
            )
        rounds.scores_submit(member=member, actor=member.user)
    return entries


def test_the_recommendation_needs_scoring_closed(the_round, scored, berit):
    with pytest.raises(ValidationError):
        rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    the_round.refresh_from_db()
    assert (the_round.stage, the_round.recommended_at) == (Stage.SCORING, None)
    assert not Entry.objects.filter(rank__isnull=False).exists()


def test_freezing_writes_the_ranking_onto_the_entries_and_moves_the_needs(the_round, scored, berit):
    rounds.scoring_close(round_=the_round, actor=berit)

    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={}, note=" Enstemmig. ")

    the_round.refresh_from_db()
    assert the_round.stage == Stage.RECOMMENDED
    assert the_round.recommended_at is not None
    assert the_round.recommendation_note == "Enstemmig."
    rows = {
        e.proposal.title: (e.rank, e.total, e.agreement, e.raters, e.recommended, e.flagged)
        for e in Entry.objects.filter(round=the_round).select_related("proposal")
    }
    assert rows == {
        "High": (1, 100.0, 1.0, 3, True, False),
        "Middle": (2, 50.0, 1.0, 3, True, False),
        "Low": (3, 0.0, 1.0, 3, False, False),  # 1 + 2 units fill the capacity of 3
    }
    high = Entry.objects.get(round=the_round, rank=1)
    assert high.criterion_means == {"benefit": 5.0, "resources": 5.0, "severity": 5.0}
    for label, status in (
        ("High", Status.RECOMMENDED),
        ("Middle", Status.RECOMMENDED),
        ("Low", Status.NOT_RECOMMENDED),
    ):
        proposal = scored[label].proposal
        proposal.refresh_from_db()
        assert proposal.status == status
        assert events(proposal)[-1] == (Status.IN_ROUND, status)


def test_a_deviation_needs_a_reason_and_stays_in_the_record(the_round, scored, berit):
    rounds.scoring_close(round_=the_round, actor=berit)
    middle, low = scored["Middle"], scored["Low"]

    with pytest.raises(ValidationError) as excinfo:
        rounds.recommendation_freeze(
            round_=the_round, actor=berit, choices={low.pk: rounds.Choice(True)}
        )
    assert error_fields(excinfo) == {"items"}

    with pytest.raises(ValidationError) as excinfo:  # Low on top of the rest: 4 units of 3
        rounds.recommendation_freeze(
            round_=the_round, actor=berit, choices={low.pk: rounds.Choice(True, "Haster.")}
        )
    assert error_fields(excinfo) == {"items"}
    the_round.refresh_from_db()
    assert the_round.stage == Stage.SCORING_CLOSED

    rounds.recommendation_freeze(
        round_=the_round,
        actor=berit,
        choices={
            middle.pk: rounds.Choice(False, "Dekkes av en nasjonal oppsummering."),
            low.pk: rounds.Choice(True, "Haster for kommunene."),
        },
    )

    middle.refresh_from_db()
    low.refresh_from_db()
    assert (middle.recommended, middle.deviation_reason) == (
        False,
        "Dekkes av en nasjonal oppsummering.",
    )
    assert (low.recommended, low.deviation_reason) == (True, "Haster for kommunene.")
    assert Entry.objects.get(pk=scored["High"].pk).deviation_reason == ""
    with pytest.raises(ValidationError):  # frozen
        rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})


# The decision


@pytest.fixture
def recommended(the_round, scored, berit):
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    the_round.refresh_from_db()
    return scored


def decide(entry, actor, decision, deferred_to=None):
    return rounds.decision_record(
        entry=entry,
        actor=actor,
        decision=decision,
        rationale=f"Styringsgruppen: {decision}.",
        decided_on=MEETING,
        deferred_to=deferred_to,
    )


def test_a_decision_moves_the_need_and_the_last_one_decides_the_round(
    the_round, recommended, sigrid, berit, hov_hub
):
    later = rounds.round_create(hub=hov_hub, name="Vår 2027", actor=berit)
    expected = {
        "High": (Outcome.COMMISSIONED, Status.COMMISSIONED, None),
        "Middle": (Outcome.NOT_COMMISSIONED, Status.NOT_COMMISSIONED, None),
        "Low": (Outcome.DEFERRED, Status.DEFERRED, later),
    }
    for label, (outcome, status, deferred_to) in expected.items():
        the_round.refresh_from_db()
        assert the_round.stage == Stage.RECOMMENDED  # not all decided yet
        entry = decide(recommended[label], sigrid, outcome, deferred_to)
        entry.refresh_from_db()
        assert (entry.decision, entry.decided_on, entry.decided_by) == (outcome, MEETING, sigrid)
        assert entry.deferred_to == deferred_to
        assert entry.rationale == f"Styringsgruppen: {outcome}."
        proposal = entry.proposal
        proposal.refresh_from_db()
        assert proposal.status == status
        assert events(proposal)[-1][1] == status

    the_round.refresh_from_db()
    assert the_round.stage == Stage.DECIDED


def test_a_decision_stays_on_the_record(the_round, recommended, sigrid):
    high = recommended["High"]
    decide(high, sigrid, Outcome.COMMISSIONED)

    with pytest.raises(ValidationError):
        decide(high, sigrid, Outcome.NOT_COMMISSIONED)

    high.refresh_from_db()
    high.proposal.refresh_from_db()
    assert (high.decision, high.proposal.status) == (Outcome.COMMISSIONED, Status.COMMISSIONED)
    assert [to for _from, to in events(high.proposal)].count(Status.COMMISSIONED) == 1


def test_a_decision_waits_for_the_frozen_recommendation(the_round, scored, sigrid, berit):
    rounds.scoring_close(round_=the_round, actor=berit)
    with pytest.raises(ValidationError):
        decide(scored["High"], sigrid, Outcome.COMMISSIONED)
    assert not Entry.objects.exclude(decision="").exists()


def test_a_deferral_names_a_later_round_of_the_same_hub(
    the_round, recommended, sigrid, ada, vest_hub
):
    low = recommended["Low"]
    elsewhere = rounds.round_create(hub=vest_hub, name="KSF Vest 2027", actor=ada)
    for deferred_to in (the_round, elsewhere):
        with pytest.raises(ValidationError) as excinfo:
            decide(low, sigrid, Outcome.DEFERRED, deferred_to)
        assert error_fields(excinfo) == {"deferred_to"}
    with pytest.raises(ValidationError) as excinfo:
        decide(low, sigrid, Outcome.COMMISSIONED, elsewhere)
    assert error_fields(excinfo) == {"deferred_to"}
    low.refresh_from_db()
    assert low.decision == ""


def test_a_need_cannot_be_deferred_to_a_round_that_is_already_closed(
    the_round, recommended, sigrid, berit, hov_hub
):
    earlier = rounds.round_create(hub=hov_hub, name="Pilot 1.0", actor=berit)
    Round.objects.filter(pk=earlier.pk).update(stage=Stage.DECIDED)
    earlier.refresh_from_db()

    with pytest.raises(ValidationError) as excinfo:
        decide(recommended["Low"], sigrid, Outcome.DEFERRED, earlier)

    assert error_fields(excinfo) == {"deferred_to"}


def test_a_deferral_without_a_round_creates_the_hub_s_next_round_in_planning(
    the_round, recommended, sigrid, hov_hub
):
    Round.objects.filter(pk=the_round.pk).update(capacity=4, costs={"rapid_review": 3})
    rounds_before = Round.objects.count()

    low = decide(recommended["Low"], sigrid, Outcome.DEFERRED)

    assert Round.objects.count() == rounds_before + 1
    created = low.deferred_to
    assert (created.hub, created.stage) == (hov_hub, Stage.PLANNING)
    assert created.name == f"Neste runde etter {the_round.name}"  # in the decider's language
    assert (created.capacity, created.costs) == (4, {"rapid_review": 3})
    assert list(created.criteria.values_list("key", "label", "weight")) == list(
        the_round.criteria.values_list("key", "label", "weight")
    )
    assert created.history.count() == 1
    low.proposal.refresh_from_db()
    assert low.proposal.status == Status.DEFERRED
    # The next deferral goes to the round just made: no second one.
    middle = decide(recommended["Middle"], sigrid, Outcome.DEFERRED)
    assert middle.deferred_to == created
    assert Round.objects.count() == rounds_before + 1


def test_a_deferral_without_a_round_goes_to_the_soonest_open_round_of_the_hub(
    the_round, recommended, sigrid, berit, hov_hub, ada, vest_hub
):
    rounds.round_create(hub=vest_hub, name="KSF Vest 2027", actor=ada)
    autumn = rounds.round_create(
        hub=hov_hub, name="Høst 2027", actor=berit, committee_meeting=date(2027, 10, 1)
    )
    spring = rounds.round_create(
        hub=hov_hub, name="Vår 2027", actor=berit, committee_meeting=date(2027, 4, 1)
    )
    closed = rounds.round_create(hub=hov_hub, name="Gammel", actor=berit)
    Round.objects.filter(pk=closed.pk).update(stage=Stage.DECIDED)

    low = decide(recommended["Low"], sigrid, Outcome.DEFERRED)

    assert low.deferred_to == spring
    assert Round.objects.filter(hub=hov_hub).count() == 4
    assert autumn.entries.count() == 0


def test_a_deferral_that_fails_creates_no_round(the_round, recommended, sigrid):
    rounds_before = Round.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        rounds.decision_record(
            entry=recommended["Low"],
            actor=sigrid,
            decision=Outcome.DEFERRED,
            rationale=" ",
            decided_on=MEETING,
        )
    assert error_fields(excinfo) == {"rationale"}
    assert Round.objects.count() == rounds_before


def test_a_deferred_need_is_carried_over_to_the_later_round(
    the_round, recommended, sigrid, berit, hov_hub
):
    later = rounds.round_create(hub=hov_hub, name="Vår 2027", actor=berit)
    low = decide(recommended["Low"], sigrid, Outcome.DEFERRED, later)

    carried = rounds.entry_add(round_=later, proposal=low.proposal, actor=berit)

    assert carried.carried_from == low
    assert list(low.carried_to.all()) == [carried]
    low.proposal.refresh_from_db()
    assert low.proposal.status == Status.IN_ROUND
    assert events(low.proposal)[-2:] == [
        (Status.NOT_RECOMMENDED, Status.DEFERRED),
        (Status.DEFERRED, Status.IN_ROUND),
    ]
    # Taken out again, it goes back to where it came from.
    rounds.entry_remove(entry=carried, actor=berit, reason="Feil runde.")
    low.proposal.refresh_from_db()
    assert low.proposal.status == Status.DEFERRED


@pytest.mark.django_db(transaction=True)  # the task worker sees committed rows only
def test_the_submitter_and_the_endorsers_hear_of_the_decision(
    the_round, committee, eligible, berit, sigrid, run_worker
):
    need = eligible(title="Musikkterapi mot uro ved demens")
    proposals.proposal_endorse(
        proposal=need,
        municipality=municipality("4631"),
        name="Anne Alver",
        email="anne@alver.kommune.no",
    )
    proposals.proposal_endorse(
        proposal=need, municipality=municipality("4630"), name="Uten e-post", email=""
    )
    proposals.proposal_endorse(  # the submitter herself, for another municipality: one mail
        proposal=need,
        municipality=municipality("4624"),
        name="Frida",
        email="FRIDA@bergen.kommune.no",
    )
    entry = rounds.entry_add(round_=the_round, proposal=need, actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"], actor=committee["ulf"].user, entry=entry, scores=FULL
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    run_worker()
    mail.outbox.clear()

    decide(entry, sigrid, Outcome.COMMISSIONED)
    assert mail.outbox == []  # queued, not sent, until the worker runs
    run_worker()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["anne@alver.kommune.no", "frida@bergen.kommune.no"]
    for message in by_recipient.values():
        assert need.public_id in message.body
        assert "Styringsgruppen: commissioned." in message.body
        assert the_round.name in message.body
    assert "Anne Alver" in by_recipient["anne@alver.kommune.no"].body
    assert need.get_absolute_url() in by_recipient["anne@alver.kommune.no"].body
