"""GET /api/v1/taxonomy: the 9 service areas and 15 themes of seed 003."""

from collections import Counter

from kunnskap.taxonomy.models import Theme


def test_taxonomy_lists_9_service_areas_and_15_themes(client, db):
    items = client.get("/api/v1/taxonomy").json()["items"]
    assert Counter(item["dimension"] for item in items) == {"service_area": 9, "theme": 15}
    assert {
        "dimension": "service_area",
        "key": "barn-og-unge",
        "label": "Barn og unge",
    }.items() <= (items[0].items())


def test_one_dimension_can_be_asked_for(client, db):
    body = client.get("/api/v1/taxonomy?dimension=theme").json()
    assert body["count"] == 15
    assert "Velferdsteknologi" in [item["label"] for item in body["items"]]


def test_an_unknown_dimension_is_a_422_naming_the_field(client, db):
    response = client.get("/api/v1/taxonomy?dimension=colour")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "dimension"


def test_a_retired_term_leaves_the_list(client, db):
    Theme.objects.filter(key="me").update(is_active=False)
    labels = [
        item["label"] for item in client.get("/api/v1/taxonomy?dimension=theme").json()["items"]
    ]
    assert "ME" not in labels
    assert len(labels) == 14


def test_the_taxonomy_pages_like_every_list(client, db):
    everything = client.get("/api/v1/taxonomy").json()["items"]
    page = client.get("/api/v1/taxonomy?limit=5&offset=9").json()
    assert page["count"] == 24
    assert page["items"] == everything[9:14]
    assert page["items"][0]["dimension"] == "theme"
