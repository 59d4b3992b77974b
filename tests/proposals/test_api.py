"""POST/GET /api/v1/proposals and GET /api/v1/similar."""

import pytest

from kunnskap.accounts import services as accounts
from kunnskap.organisations.models import Municipality
from kunnskap.proposals.models import Proposal

VALID = {
    "title": "Fallforebygging hos hjemmeboende eldre",
    "question": "Hvilke tiltak forebygger fall hos eldre som bor hjemme?",
    "municipality": "4630",
    "submitter": {"name": "Ola Nordmann", "email": "ola@osteroy.kommune.no"},
}


def post(client, body, **headers):
    return client.post("/api/v1/proposals", body, content_type="application/json", headers=headers)


def test_an_anonymous_submission_is_created(client, hov_hub):
    response = post(
        client, {**VALID, "service_area": "eldre", "theme": "forebygging-helsefremming"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("KB")
    assert body["status"] == "submitted"
    assert body["municipality"] == {"number": "4630", "name": "Osterøy"}
    assert body["service_area"] == "eldre"
    assert body["endorsements"] == [
        {"municipality": {"number": "4630", "name": "Osterøy"}, "unit": None}
    ]
    assert body["status_url"].startswith("http")
    assert body["submitter"] is None  # the public never gets personal data back


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": None}, "question"),
        ({"submitter": {"name": "Ola", "email": "ikke-en-adresse"}}, "submitter.email"),
        ({"municipality": "9999"}, "municipality"),
        ({"municipality": "Bergen"}, "municipality"),
        ({"theme": "astrologi"}, "theme"),
        ({"service_area": "romfart"}, "service_area"),
        ({"unit": "Finnes ikke"}, "unit"),
        ({"title": "x" * 201}, "title"),
        ({"question": "x" * 4001}, "question"),
        ({"criteria": {"reach": "everyone"}}, "criteria"),
        ({"decision_deadline": "i morgen"}, "decision_deadline"),
    ],
)
def test_an_invalid_submission_names_the_field_and_stores_nothing(client, hov_hub, change, field):
    response = post(client, {**VALID, **change})
    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Proposal.objects.exists()


def test_a_body_that_is_not_json_is_a_400_with_a_reason(client, hov_hub):
    response = client.post("/api/v1/proposals", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Proposal.objects.exists()


def test_anonymous_submissions_are_rate_limited(client, hov_hub, settings):
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 1
    assert post(client, VALID).status_code == 201
    response = post(client, VALID)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert Proposal.objects.count() == 1


def test_the_public_sees_only_accepted_needs_and_never_the_submitter(client, submit, accept):
    hidden, _ = submit(title="Ikke vurdert ennå")
    shown, _ = submit(title="Godtatt av bibliotekaren")
    accept(shown)
    body = client.get("/api/v1/proposals").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == shown.public_id
    assert body["items"][0]["submitter"] is None
    assert client.get(f"/api/v1/proposals/{hidden.public_id}").status_code == 404
    assert client.get(f"/api/v1/proposals/{shown.public_id}").status_code == 200


def test_a_screener_of_the_hub_sees_all_with_the_submitter(client, submit, berit, vilde):
    submit()
    _token, raw = accounts.token_create(user=berit, name="t")
    body = client.get("/api/v1/proposals", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["count"] == 1
    assert body["items"][0]["submitter"]["email"] == "frida@bergen.kommune.no"
    # A screener of another hub does not.
    _token, other = accounts.token_create(user=vilde, name="t")
    assert (
        client.get("/api/v1/proposals", headers={"Authorization": f"Bearer {other}"}).json()[
            "count"
        ]
        == 0
    )


def test_detail_has_the_public_history(client, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    body = client.get(f"/api/v1/proposals/{proposal.public_id}").json()
    assert [event["status"] for event in body["history"]] == ["submitted"]


def test_the_list_filters_by_status_and_municipality(client, submit, accept):
    accept(submit()[0])
    accept(submit(municipality=Municipality.objects.get(number="4630"))[0])
    assert client.get("/api/v1/proposals?municipality=4630").json()["count"] == 1
    assert client.get("/api/v1/proposals?status=submitted").json()["count"] == 0
    assert client.get("/api/v1/proposals?status=nonsense").status_code == 422


def test_the_list_takes_the_same_queries_for_one_or_many(
    client, submit, accept, django_assert_num_queries
):
    accept(submit()[0])
    with django_assert_num_queries(4):
        client.get("/api/v1/proposals")
    for _ in range(5):
        accept(submit()[0])
    with django_assert_num_queries(4):
        client.get("/api/v1/proposals")


def test_similar_finds_public_needs(client, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    submit(title="Musikkterapi, men ikke vurdert")  # not public: never suggested
    body = client.get("/api/v1/similar?text=musikkterapi demens").json()
    assert [item["id"] for item in body["items"]] == [proposal.public_id]
    assert body["items"][0]["type"] == "proposal"
    assert body["items"][0]["url"].endswith(f"/kunnskapsbehov/{proposal.public_id}/")


def test_similar_needs_text(client, db):
    assert client.get("/api/v1/similar?text=").status_code == 422
