"""Concurrent submissions get distinct, consecutive ids and all are stored."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kunnskap.proposals.models import Proposal

pytestmark = pytest.mark.django_db(transaction=True)

BODY = json.dumps(
    {
        "title": "Samtidig innsending",
        "question": "Tåler systemet mange innsendinger samtidig?",
        "municipality": "4601",
        "submitter": {"name": "Test", "email": "test@bergen.kommune.no"},
    }
).encode()


def test_200_concurrent_submissions_give_200_distinct_ids(live_server, hov_hub, settings):
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 10_000

    def post(_: int) -> tuple[int, str]:
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/proposals",
            data=BODY,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(post, range(200)))

    assert [status for status, _id in results] == [201] * 200
    ids = {public_id for _status, public_id in results}
    assert len(ids) == 200
    assert Proposal.objects.count() == 200
    numbers = sorted(Proposal.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 201))


def test_100_concurrent_anonymous_submissions_from_one_client_store_exactly_the_limit(
    live_server, hov_hub, settings
):
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 10

    def post(_: int) -> int:
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/proposals",
            data=BODY,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(post, range(100)))

    assert statuses.count(201) == 10
    assert statuses.count(429) == 90
    assert Proposal.objects.count() == 10
