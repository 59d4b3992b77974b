"""Fifty people register at once for twenty places; cancellations at once move the list up once
each. Run against the live server on both databases (the event's row lock keeps the count)."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kunnskap.learning.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db(transaction=True)


def call(url: str, method: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_50_simultaneous_registrations_for_20_places_and_simultaneous_cancellations(
    live_server, make_event, settings
):
    settings.EVENT_REGISTRATION_RATE_LIMIT_PER_HOUR = 10_000
    event = make_event(capacity=20)
    url = f"{live_server.url}/api/v1/events/{event.pk}/registrations"

    def register(number: int) -> tuple[int, dict]:
        return call(
            url,
            "POST",
            {"name": f"P{number}", "email": f"p{number}@alver.kommune.no", "municipality": "4631"},
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(register, range(50)))

    assert [status for status, _body in results] == [201] * 50
    rows = list(event.registrations.order_by("sequence"))
    assert [r.sequence for r in rows] == list(range(1, 51))
    # Arrival order: the first twenty to take the event's lock have the places.
    assert [r.status for r in rows] == ["registered"] * 20 + ["waiting"] * 30
    positions = sorted(body["position"] for _status, body in results if body["status"] == "waiting")
    assert positions == list(range(1, 31))

    # Ten registered people cancel at the same moment, each twice: ten move up, in order.
    tokens = {body["id"]: body["cancel_token"] for _status, body in results}
    cancelling = [r.pk for r in rows[:10]] * 2

    def cancel(registration_id: int) -> int:
        return call(
            f"{live_server.url}/api/v1/registrations/{registration_id}?token={tokens[registration_id]}",
            "DELETE",
        )[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(cancel, cancelling)) == {200}

    after = {r.sequence: r.status for r in Registration.objects.filter(event=event)}
    assert [after[n] for n in range(1, 11)] == [RegistrationStatus.CANCELLED] * 10
    assert [after[n] for n in range(11, 31)] == [RegistrationStatus.REGISTERED] * 20
    assert [after[n] for n in range(31, 51)] == [RegistrationStatus.WAITING] * 20
    assert Registration.objects.filter(event=event, promoted_at__isnull=False).count() == 10
