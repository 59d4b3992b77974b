"""Members scoring at the same moment through the API: every scorecard and score persists."""

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kunnskap.accounts import services as accounts
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Score, Scorecard

pytestmark = pytest.mark.django_db(transaction=True)

NEEDS = 5


def test_three_members_scoring_the_same_need_at_once_all_persist(
    live_server, the_round, committee, eligible, berit, ulf, unni, tor
):
    entries = [
        rounds.entry_add(round_=the_round, proposal=eligible(title=f"Behov {n}"), actor=berit)
        for n in range(NEEDS)
    ]
    rounds.scoring_open(round_=the_round, actor=berit)
    people = (ulf, unni, tor)
    tokens = {
        person.email: accounts.token_create(user=person, name="skåring")[1] for person in people
    }

    def values(email: str, index: int, attempt: int) -> dict[str, int | None]:
        """Different for every member, need and attempt; Unni answers "vet ikke" on severity."""
        value = 1 + (index + attempt + list(tokens).index(email)) % 5
        severity = None if email == unni.email else 6 - value
        return {"benefit": value, "resources": value, "severity": severity}

    def put(email: str, index: int, attempt: int, start: threading.Barrier) -> int:
        entry = entries[index]
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/rounds/{the_round.pk}/scores/{entry.proposal.public_id}",
            data=json.dumps(
                {"scores": values(email, index, attempt), "comment": f"{email} {attempt}"}
            ).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {tokens[email]}",
            },
            method="PUT",
        )
        start.wait(timeout=30)  # the three requests leave together
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    # Twice: the first time every card is created at once, the second time updated at once.
    for attempt in (0, 1):
        for index in range(NEEDS):
            start = threading.Barrier(len(tokens))
            with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
                futures = [pool.submit(put, email, index, attempt, start) for email in tokens]
                assert [future.result() for future in futures] == [200, 200, 200]

        assert Scorecard.objects.filter(entry__round=the_round).count() == NEEDS * len(people)
        assert Score.objects.filter(scorecard__entry__round=the_round).count() == NEEDS * 9
        for index, entry in enumerate(entries):
            for email in tokens:
                card = Scorecard.objects.get(member__user__email=email, entry=entry)
                assert card.comment == f"{email} {attempt}"
                assert dict(card.scores.values_list("criterion__key", "value")) == values(
                    email, index, attempt
                )
