"""The path of a need as data: every move the table allows is made, every other one refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kunnskap.proposals import services
from kunnskap.proposals.choices import AWAITING_SCREENING, TRANSITIONS, Status, may_move
from kunnskap.proposals.models import Proposal
from kunnskap.screening.forms import SCREENING_OUTCOMES

PAIRS = [(start, end) for start in Status for end in Status]
ALLOWED = [(start, end) for start, end in PAIRS if end in TRANSITIONS[start]]
FORBIDDEN = [(start, end) for start, end in PAIRS if end not in TRANSITIONS[start]]


@pytest.fixture
def need_in(submit):
    """A submitted need put straight into the status under test (the setup, not a move)."""
    proposal, _token = submit()

    def put(status: Status) -> Proposal:
        proposal.status = status
        proposal.save(update_fields=["status"])
        return proposal

    return put


def test_the_table_names_every_status_and_only_statuses():
    assert set(TRANSITIONS) == set(Status)
    assert all(targets <= set(Status) for targets in TRANSITIONS.values())
    assert len(ALLOWED) + len(FORBIDDEN) == len(Status) ** 2
    assert not any(start == end for start, end in ALLOWED)


def test_screening_decides_exactly_the_needs_waiting_for_it():
    for outcome, _label in SCREENING_OUTCOMES:
        starts = {start for start in Status if may_move(start, outcome)}
        if outcome == Status.ELIGIBLE:  # a need taken out of a round is eligible again
            starts.discard(Status.IN_ROUND)
        assert starts == set(AWAITING_SCREENING), outcome


def moved(proposal: Proposal, start: Status, end: Status, actor) -> None:
    """Make the allowed move; it writes one event and one version of the need."""
    events, versions = proposal.events.count(), proposal.history.count()

    event = services.proposal_move(proposal=proposal, to_status=end, actor=actor, note="why")

    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.status == end
    assert proposal.events.count() == events + 1
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        start,
        end,
        actor,
        "why",
    )
    assert proposal.history.count() == versions + 1
    assert stored.history.first().status == end


def refused(proposal: Proposal, start: Status, end: Status, actor) -> None:
    """Try the forbidden move; it is refused on `status` in words, and nothing is written."""
    events, versions = proposal.events.count(), proposal.history.count()

    with pytest.raises(ValidationError) as error:
        services.proposal_move(proposal=proposal, to_status=end, actor=actor)

    message = error.value.message_dict["status"][0]
    assert str(Status(start).label).lower() in message
    assert str(Status(end).label).lower() in message
    assert Proposal.objects.get(pk=proposal.pk).status == start
    assert proposal.events.count() == events
    assert proposal.history.count() == versions


@pytest.mark.parametrize("start", list(Status), ids=list(Status.values))
def test_every_move_from_a_status_is_made_or_refused_as_the_table_says(need_in, berit, start):
    """From `start` to each of the statuses, in a savepoint rolled back after each try."""
    for end in Status:
        proposal = need_in(start)
        with transaction.atomic():
            if end in TRANSITIONS[start]:
                moved(proposal, start, end, berit)
            else:
                refused(proposal, start, end, berit)
            transaction.set_rollback(True)


def test_a_status_outside_the_path_is_refused(need_in, berit):
    proposal = need_in(Status.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        services.proposal_move(proposal=proposal, to_status="lost", actor=berit)
    assert "lost" in refused.value.message_dict["status"][0]


def test_a_note_leaves_the_status_as_it_is(need_in, berit):
    proposal = need_in(Status.IN_ROUND)
    versions = proposal.history.count()

    event = services.proposal_note(proposal=proposal, actor=berit, note="Ordered.", staff_only=True)

    assert (event.from_status, event.to_status, event.is_public, event.staff_only) == (
        "",
        "",
        False,
        True,
    )
    assert Proposal.objects.get(pk=proposal.pk).status == Status.IN_ROUND
    assert proposal.history.count() == versions
