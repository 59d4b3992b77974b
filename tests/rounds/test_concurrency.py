"""Members scoring at the same moment: every score of every member persists."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kunnskap.accounts import services as accounts
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Score, Scorecard

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_score_submissions_by_different_members_all_persist(
    live_server, the_round, committee, eligible, berit, ulf, unni, tor
):
    entries = [
        rounds.entry_add(round_=the_round, proposal=eligible(title=f"Behov {n}"), actor=berit)
        for n in range(4)
    ]
    rounds.scoring_open(round_=the_round, actor=berit)
    tokens = {
        person.email: accounts.token_create(user=person, name="skåring")[1]
        for person in (ulf, unni, tor)
    }

    def put(job: tuple[str, int, int]) -> int:
        email, entry_index, value = job
        entry = entries[entry_index]
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/rounds/{the_round.pk}/scores/{entry.proposal.public_id}",
            data=json.dumps(
                {"scores": {"benefit": value, "resources": value, "severity": None}}
            ).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {tokens[email]}",
            },
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    jobs = [
        (email, index, 1 + (index + n) % 5)
        for index in range(len(entries))
        for n, email in enumerate(tokens)
    ]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        statuses = list(pool.map(put, jobs))

    assert statuses == [200] * len(jobs)
    assert Scorecard.objects.filter(entry__round=the_round).count() == 12
    assert Score.objects.filter(scorecard__entry__round=the_round).count() == 36
    for email, index, value in jobs:
        card = Scorecard.objects.get(member__user__email=email, entry=entries[index])
        assert dict(card.scores.values_list("criterion__key", "value")) == {
            "benefit": value,
            "resources": value,
            "severity": None,
        }
