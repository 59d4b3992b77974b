"""GET /api/v1/municipalities and /api/v1/regions, as DESIGN.md's contract says."""

import pytest


def test_municipalities_report_all_357_with_one_item_per_page(client, db):
    body = client.get("/api/v1/municipalities?limit=1").json()
    assert body["count"] == 357
    assert len(body["items"]) == 1
    assert set(body["items"][0]) >= {"number", "name", "county", "region"}
    assert set(body["items"][0]["county"]) == {"number", "name"}


def test_municipalities_are_searchable_by_norwegian_name_and_filtered_by_county(client, db):
    body = client.get("/api/v1/municipalities?q=Kautokeino").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "number": "5612",
        "name": "Guovdageaidnu",
        "norwegian_name": "Kautokeino",
        "county": {"number": "56", "name": "Finnmark"},
        "region": "KSF Nord",
    }
    vestland = client.get("/api/v1/municipalities?county=46&limit=100").json()
    assert vestland["count"] == 43
    assert {item["county"]["number"] for item in vestland["items"]} == {"46"}


def test_offset_pages_through_the_list(client, db):
    first = client.get("/api/v1/municipalities?limit=2&offset=0").json()["items"]
    second = client.get("/api/v1/municipalities?limit=2&offset=1").json()["items"]
    assert first[1] == second[0]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=abc", "limit", "Must be a whole number."),
        ("limit=0", "limit", "Must be at least 1."),
        ("limit=1000", "limit", "Must be at most 100."),
        ("offset=-1", "offset", "Must be at least 0."),
        ("county=9x", "county", "Has the wrong format."),
        ("county=99", "county", "There is no county with number 99."),
    ],
)
def test_a_bad_parameter_gets_a_json_error_naming_it(client, db, query, field, message):
    client.cookies["kunnskap_language"] = "en"
    response = client.get(f"/api/v1/municipalities?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert {"field": field, "message": message} in response.json()["errors"]


def test_errors_are_in_norwegian_by_default(client, db):
    errors = client.get("/api/v1/municipalities?limit=abc").json()["errors"]
    assert errors[0]["field"] == "limit"
    assert errors[0]["message"] not in ("", "Must be a whole number.")


def test_regions_list_seven_with_host_numbers_and_counties(client, db):
    body = client.get("/api/v1/regions").json()
    assert body["count"] == 7
    vest = next(item for item in body["items"] if item["name"] == "KSF Vest")
    assert vest["host"] == "4601"
    assert vest["counties"] == ["11", "46"]


def test_the_municipality_list_takes_the_same_queries_for_one_or_a_hundred(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get("/api/v1/municipalities?limit=1")
    with django_assert_num_queries(2):
        client.get("/api/v1/municipalities?limit=100")


def test_the_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/municipalities" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
