"""The rounds API: the same rules and permissions as the pages, errors that name the field."""

import pytest

from kunnskap.accounts import services as accounts


@pytest.fixture
def api(client):
    """Call the API as a person, with a Bearer token as programs do."""

    def call(method, path, person=None, body=None, **params):
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {accounts.token_create(user=person, name='t')[1]}"
        return getattr(client, method)(
            f"/api/v1{path}",
            body if body is not None else params,
            content_type="application/json",
            headers=headers,
        )

    return call


def field_errors(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def test_creating_a_round(api, berit, ulf, ada, hov_hub):
    body = {"name": "Høst 2027", "hub": hov_hub.pk, "capacity": 4}
    assert api("post", "/rounds", body=body).status_code == 401
    assert api("post", "/rounds", ulf, body=body).status_code == 403
    created = api("post", "/rounds", berit, body=body)
    assert created.status_code == 201
    item = created.json()
    assert [c["key"] for c in item["criteria"]] == ["benefit", "resources", "severity"]
    assert item["stage"] == "planning" and item["hub"] == hov_hub.name

    national = api(
        "post",
        "/rounds",
        ada,
        body={"name": "Nasjonal", "criteria": [{"key": "nytte", "label": "Nytte", "weight": 2}]},
    )
    assert national.status_code == 201
    assert national.json()["hub"] == "Nasjonalt sekretariat"
    assert national.json()["criteria"][0]["weight"] == 2.0

    bad = api(
        "post",
        "/rounds",
        berit,
        body=body
        | {
            "costs": {"poster": 2},
            "committee_meeting": "2027-01-01",
            "proposals_close": "2027-02-01",
        },
    )
    assert bad.status_code == 422 and "costs" in field_errors(bad)
    dates = api(
        "post",
        "/rounds",
        berit,
        body=body | {"committee_meeting": "2027-01-01", "proposals_close": "2027-02-01"},
    )
    assert dates.status_code == 422 and field_errors(dates) == {"committee_meeting"}
    key = api(
        "post",
        "/rounds",
        berit,
        body=body | {"criteria": [{"key": "Ugyldig nøkkel", "label": "x"}]},
    )
    assert key.status_code == 422
    assert api("get", "/rounds").json()["count"] == 2


def test_a_round_from_members_to_decision(
    api, the_round, berit, ulf, unni, tor, sigrid, otto, eligible
):
    path = f"/rounds/{the_round.pk}"
    assert field_errors(api("post", f"{path}/members", berit, body={"email": "ingen@x.no"})) == {
        "email"
    }
    for person, chair in ((ulf, True), (unni, False), (tor, False)):
        assert (
            api(
                "post", f"{path}/members", berit, body={"email": person.email, "chair": chair}
            ).status_code
            == 201
        )
    assert api("get", f"{path}/members", otto).status_code == 403
    assert api("get", f"{path}/members", unni).json()["count"] == 3

    need, other = eligible(title="Musikkterapi"), eligible(title="Sansehage")
    assert field_errors(
        api("post", f"{path}/proposals", berit, body={"proposal": "KB1999-001"})
    ) == {"proposal"}
    for proposal in (need, other):
        assert (
            api(
                "post", f"{path}/proposals", berit, body={"proposal": proposal.public_id}
            ).status_code
            == 201
        )
    again = api("post", f"{path}/proposals", berit, body={"proposal": need.public_id})
    assert again.status_code == 422 and field_errors(again) == {"proposal"}
    assert api("get", f"{path}/proposals").json()["count"] == 2  # public
    assert api("post", f"{path}/stage", berit, body={"stage": "scoring"}).status_code == 200

    scores = f"{path}/scores/{need.public_id}"
    assert api("put", scores, otto, body={"scores": {"benefit": 3}}).status_code == 403
    out_of_range = api("put", scores, ulf, body={"scores": {"benefit": 9}})
    assert out_of_range.status_code == 422 and field_errors(out_of_range) == {"scores.benefit"}
    recused = api("put", scores, tor, body={"recused": True})
    assert recused.status_code == 422 and field_errors(recused) == {"recusal_reason"}
    for person, values in ((ulf, (5, 4)), (unni, (4, None))):
        for proposal, value in zip((need, other), values, strict=True):
            response = api(
                "put",
                f"{path}/scores/{proposal.public_id}",
                person,
                body={"scores": {"benefit": value, "resources": value, "severity": value}},
            )
            assert response.status_code == 200
    assert api("get", scores, unni).json()["scores"] == {
        "benefit": 4,
        "resources": 4,
        "severity": 4,
    }
    api("put", scores, tor, body={"recused": True, "recusal_reason": "Egen kommune."})
    api(
        "put",
        f"{path}/scores/{other.public_id}",
        tor,
        body={"scores": {"benefit": 1, "resources": 1, "severity": 1}},
    )

    assert api("get", f"{path}/ranking", unni).status_code == 403  # blind until she submits
    assert api("post", f"{path}/scores/submit", unni).status_code == 200
    ranking = api("get", f"{path}/ranking", unni).json()
    assert ranking["count"] == 2
    first = ranking["items"][0]
    assert set(first) >= {"rank", "proposal", "total", "criteria", "raters", "agreement", "flagged"}
    assert first["proposal"] == need.public_id and first["raters"] == 1  # only Unni has submitted

    assert api("post", f"{path}/stage", berit, body={"stage": "scoring_closed"}).status_code == 200
    ranking = api("get", f"{path}/ranking", sigrid).json()["items"]
    assert [(item["proposal"], item["raters"]) for item in ranking] == [
        (need.public_id, 2),
        (other.public_id, 2),  # Unni answered "vet ikke" on every criterion of it
    ]

    deviate = api(
        "post",
        f"{path}/recommendation",
        ulf,
        body={"items": [{"proposal": other.public_id, "recommended": False}]},
    )
    assert deviate.status_code == 422
    assert api("post", f"{path}/recommendation", unni, body={}).status_code == 403  # not the chair
    frozen = api(
        "post",
        f"{path}/recommendation",
        ulf,
        body={
            "items": [
                {"proposal": other.public_id, "recommended": False, "reason": "Dekkes av FHI."}
            ],
            "note": "Enige.",
        },
    )
    assert frozen.status_code == 200
    assert [(e["proposal"], e["recommended"]) for e in frozen.json()] == [
        (need.public_id, True),
        (other.public_id, False),
    ]

    decided = f"{path}/decisions/{need.public_id}"
    assert (
        api(
            "post",
            decided,
            unni,
            body={"decision": "commissioned", "rationale": "x", "decided_on": "2026-11-07"},
        ).status_code
        == 403
    )
    deferred = api(
        "post",
        decided,
        sigrid,
        body={"decision": "deferred", "rationale": "Neste år.", "decided_on": "2026-11-07"},
    )
    assert deferred.status_code == 422 and field_errors(deferred) == {"deferred_to"}
    ordered = api(
        "post",
        decided,
        sigrid,
        body={"decision": "commissioned", "rationale": "Bestilles.", "decided_on": "2026-11-07"},
    )
    assert ordered.status_code == 200 and ordered.json()["decision"] == "commissioned"
    log = api("get", "/decisions").json()
    assert log["count"] == 1 and log["items"][0]["proposal"] == need.public_id
