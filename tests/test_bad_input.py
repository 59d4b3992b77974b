"""Bad input is a 4xx, never a 5xx: control characters anywhere, offsets past any list."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/proposals?q=a%00b",
        "/api/v1/publications?theme=%00",
        "/api/v1/publications/search?q=s%C3%B8vn%05",
        "/kunnskapsbehov/?q=a%00b",
        "/bibliotek/?q=%00",
        "/kunnskapsbehov/KB2026%00-001/",
    ],
)
def test_a_control_character_in_path_or_query_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "kontrolltegn" in response.json()["detail"]


@pytest.mark.parametrize("text", ["Nul\u0000byte", "Enq\u0005", "Lone \ud800 surrogate"])
def test_a_control_character_in_a_json_body_is_a_400(client, hov_hub, text):
    body = {
        "title": text,
        "question": "Virker det?",
        "municipality": "4601",
        "submitter": {"name": "Test", "email": "test@bergen.kommune.no"},
    }
    response = client.post("/api/v1/proposals", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    from kunnskap.proposals.models import Proposal

    assert not Proposal.objects.exists()


def test_a_control_character_in_a_form_is_a_400(client, hov_hub):
    response = client.post("/nyhetsbrev/", {"email": "a\x00@example.no", "frequency": "weekly"})
    assert response.status_code == 400
    assert "kontrolltegn" in response.content.decode()


def test_tabs_and_line_breaks_are_welcome(client):
    assert client.get("/api/v1/publications/search?q=a%09b%0Ac").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/proposals?offset=18446744073709551616",
        "/api/v1/publications?offset=10000001",
        "/api/v1/publications/search?offset=99999999999999999999",
        "/api/v1/municipalities?limit=101",
        "/api/v1/taxonomy?offset=18446744073709551616",
    ],
)
def test_limits_and_offsets_past_their_maxima_are_422(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"offset", "limit"}
