"""The front page and the proposal form say when each hub collects proposals: the window and
deadline of its next round (seed 003's timetable), or that proposals are collected all year."""

from datetime import timedelta

from django.utils import timezone

from kunnskap.rounds import services as rounds
from kunnskap.rounds.selectors import submission_windows


def test_each_hub_shows_its_next_deadline_or_all_year(client, hov_hub, vest_hub, berit):
    today = timezone.localdate()
    rounds.round_create(
        hub=hov_hub,
        name="Vår 2027",
        actor=berit,
        proposals_open=today - timedelta(days=3),
        proposals_close=today + timedelta(days=20),
    )
    windows = {window.hub: window for window in submission_windows()}
    assert windows[hov_hub].round.name == "Vår 2027" and windows[hov_hub].is_open
    assert windows[vest_hub].round is None  # no round with a deadline: all year
    for path in ("/", "/kunnskapsbehov/nytt/"):
        html = " ".join(client.get(path).content.decode().split())
        assert "Når forslag samles inn" in html or "When proposals are collected" in html, path
        assert "Vår 2027" in html, path
        assert (today + timedelta(days=20)).strftime("%Y") in html, path


def test_a_past_deadline_is_not_shown(hov_hub, berit):
    rounds.round_create(
        hub=hov_hub,
        name="Høst 2025",
        actor=berit,
        proposals_close=timezone.localdate() - timedelta(days=1),
    )
    windows = {window.hub: window for window in submission_windows()}
    assert windows[hov_hub].round is None
