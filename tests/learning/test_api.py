"""The API of Kunnskapsbroen: events, registrations, teams and cases, with the usual errors."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from kunnskap.learning.models import Case, Event, Registration

from .conftest import register


def post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body, default=str), content_type="application/json")


def event_body(hub, **changes):
    start = timezone.now() + timedelta(days=40)
    body = {
        "title": "Kompetanseverksted i Alver",
        "kind": "workshop",
        "hub": hub.pk,
        "capacity": 2,
        "registration_deadline": (start - timedelta(days=5)).isoformat(),
        "sessions": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=3)).isoformat(),
                "place": "Alver rådhus",
            }
        ],
    }
    body.update(changes)
    return body


def test_an_organiser_creates_an_event_and_anyone_lists_it(client_for, berit, hov_hub, client):
    response = post(client_for(berit), "/api/v1/events", event_body(hov_hub))
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["kind"] == "workshop" and event["registered"] == 0 and event["waiting"] == 0
    assert event["ics_url"].endswith(f"/arrangementer/{event['id']}/kalender.ics")
    listed = client.get("/api/v1/events").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == event["id"]
    ics = client.get(f"/arrangementer/{event['id']}/kalender.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(ics.content).walk("VEVENT")) == 1


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(client_for, berit, hov_hub):
    client = client_for(berit)
    start = timezone.now() + timedelta(days=40)
    backwards = event_body(
        hov_hub,
        sessions=[
            {
                "starts_at": start.isoformat(),
                "ends_at": (start - timedelta(hours=1)).isoformat(),
                "place": "Her",
            }
        ],
    )
    response = post(client, "/api/v1/events", backwards)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["sessions.0.ends_at"]
    past = event_body(
        hov_hub, registration_deadline=(timezone.now() - timedelta(days=1)).isoformat()
    )
    response = post(client, "/api/v1/events", past)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["registration_deadline"]
    response = post(client, "/api/v1/events", event_body(hov_hub, capacity=0))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["capacity"]
    assert not Event.objects.exists()


def test_an_outsider_may_not_create_events(client_for, otto, hov_hub, client):
    assert post(client_for(otto), "/api/v1/events", event_body(hov_hub)).status_code == 403
    assert post(client, "/api/v1/events", event_body(hov_hub)).status_code == 401


def test_registration_waiting_list_and_cancellation_with_the_token(make_event, client):
    event = make_event(capacity=1)
    path = f"/api/v1/events/{event.pk}/registrations"
    first = post(
        client, path, {"name": "Anne", "email": "anne@alver.kommune.no", "municipality": "4631"}
    )
    second = post(
        client, path, {"name": "Per", "email": "per@alver.kommune.no", "municipality": "4631"}
    )
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["status"] == "registered" and first.json()["position"] is None
    assert second.json()["status"] == "waiting" and second.json()["position"] == 1
    again = post(
        client, path, {"name": "Anne", "email": "anne@alver.kommune.no", "municipality": "4631"}
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "email"

    registration_id, token = first.json()["id"], first.json()["cancel_token"]
    assert client.delete(f"/api/v1/registrations/{registration_id}?token=wrong").status_code == 404
    cancelled = client.delete(f"/api/v1/registrations/{registration_id}?token={token}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=second.json()["id"]).status == "registered"


def test_a_signed_in_person_registers_with_her_account(make_event, client_for, berit):
    event = make_event()
    response = post(client_for(berit), f"/api/v1/events/{event.pk}/registrations", {})
    assert response.status_code == 201
    registration = Registration.objects.get(pk=response.json()["id"])
    assert (registration.email, registration.municipality_id) == ("berit@bibliotek.example", "4601")


def test_an_unknown_municipality_is_named(make_event, client):
    response = post(
        client,
        f"/api/v1/events/{make_event().pk}/registrations",
        {"name": "X", "email": "x@example.no", "municipality": "9999"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "municipality"


def test_an_organiser_cancels_as_herself(make_event, client_for, berit, otto):
    event = make_event()
    placed = register(event, 1)
    path = f"/api/v1/registrations/{placed.registration.pk}"
    assert client_for(otto).delete(path).status_code == 403
    assert client_for(berit).delete(path).json()["status"] == "cancelled"


def test_teams_and_cases(kbp_team, client_for, lena, otto):
    listed = client_for(lena).get("/api/v1/teams").json()
    assert [t["name"] for t in listed["items"]] == ["KBP-lag hjemmetjenesten Bergen"]
    assert client_for(otto).get("/api/v1/teams").json()["count"] == 0
    body = {"title": "Fall", "question": "Hjelper sensorer?"}
    assert post(client_for(otto), f"/api/v1/teams/{kbp_team.pk}/cases", body).status_code == 404
    response = post(client_for(lena), f"/api/v1/teams/{kbp_team.pk}/cases", body)
    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).leader == lena
    missing = post(client_for(lena), f"/api/v1/teams/{kbp_team.pk}/cases", {"title": "Fall"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "question"


def test_participants_never_appear_on_public_pages(make_event, client, kbp_team):
    event = make_event()
    register(event, 1, name="Hemmelig Deltaker")
    for path in (
        f"/arrangementer/{event.pk}/",
        "/arrangementer/",
        "/arrangementer/feed/",
        "/arrangementer/kalender.ics",
        f"/api/v1/events/{event.pk}",
        "/kunnskapsbroen/",
    ):
        body = client.get(path).content.decode()
        assert "Hemmelig" not in body and "deltaker1@" not in body, path
    assert client.get(f"/arrangementer/{event.pk}/deltakere/").status_code == 302
    assert "Bergen" in client.get("/kunnskapsbroen/").content.decode()
    assert client.get(f"/kunnskapsbroen/lag/{kbp_team.pk}/").status_code == 302
