"""Closing scoring submits every member's scorecards, with a history row for each member."""

from kunnskap.rounds import services as rounds


def test_closing_scoring_submits_every_member_with_history(the_round, committee, eligible, berit):
    rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)

    closed = rounds.scoring_close(round_=the_round, actor=berit)

    for member in committee.values():
        member.refresh_from_db()
        assert member.submitted_at == closed.scoring_closed_at
        latest = member.history.first()
        assert (latest.submitted_at, latest.history_user) == (closed.scoring_closed_at, berit)
