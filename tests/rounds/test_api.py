"""The rounds API end to end through the test client: the same rules and permissions as the
pages, lists as {count, items} with limit and offset, and errors that name the field."""

from datetime import date

import pytest
from django.test import Client

from kunnskap.accounts import services as accounts
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Proposal
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry, Member, Outcome, Round, Scorecard, Stage


@pytest.fixture
def api(client):
    """Call the API as a person, with a Bearer token as programs do (anonymous without one)."""

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
    body = response.json()
    assert body["detail"]
    assert all(error["message"] for error in body["errors"])
    return {error["field"] for error in body["errors"]}


ALL_THREE = ("benefit", "resources", "severity")


def scores(*values):
    return {"scores": dict(zip(ALL_THREE, values, strict=True))}


# Creating a round


def test_a_round_is_created_in_planning_with_the_default_criteria(api, berit, hov_hub):
    response = api("post", "/rounds", berit, body={"name": "Høst 2027", "hub": hov_hub.pk})

    assert response.status_code == 201
    item = response.json()
    assert item["stage"] == "planning"
    assert item["hub"] == hov_hub.name
    assert item["capacity"] == 3
    assert [c["key"] for c in item["criteria"]] == list(ALL_THREE)
    assert all(c["scale_max"] == 5 and c["weight"] == 1.0 for c in item["criteria"])
    assert all(len(c["steps"]) == 5 for c in item["criteria"])
    round_ = Round.objects.get(pk=item["id"])
    assert (round_.hub, round_.name, round_.stage) == (hov_hub, "Høst 2027", Stage.PLANNING)
    assert api("get", f"/rounds/{round_.pk}").json()["name"] == "Høst 2027"  # public timetable


def test_a_round_may_have_its_own_criteria_weights_and_dates(api, berit, hov_hub):
    body = {
        "name": "Seed 001",
        "hub": hov_hub.pk,
        "capacity": 6,
        "costs": {"rapid_review": 3},
        "proposals_close": "2027-02-01",
        "committee_meeting": "2027-03-01",
        "criteria": [
            {"key": "nytte", "label": "Nytte", "weight": 2},
            {
                "key": "omfang",
                "label": "Omfang",
                "scale_max": 3,
                "weight": "0.5",
                "steps": ["Få", "Noen", "Mange"],
            },
        ],
    }
    response = api("post", "/rounds", berit, body=body)

    assert response.status_code == 201, response.content
    item = response.json()
    assert [(c["key"], c["weight"], c["scale_max"]) for c in item["criteria"]] == [
        ("nytte", 2.0, 5),
        ("omfang", 0.5, 3),
    ]
    assert item["criteria"][1]["steps"] == ["Få", "Noen", "Mange"]
    assert item["costs"]["rapid_review"] == 3
    assert item["costs"]["short_summary"] == 1  # the default for kinds left out
    assert (item["capacity"], item["proposals_close"], item["committee_meeting"]) == (
        6,
        "2027-02-01",
        "2027-03-01",
    )


def test_a_round_without_a_hub_is_national(api, ada, national_hub):
    response = api("post", "/rounds", ada, body={"name": "Nasjonal runde"})

    assert response.status_code == 201
    assert response.json()["hub"] == national_hub.name
    assert Round.objects.get(pk=response.json()["id"]).hub == national_hub


def test_creating_a_round_needs_a_signed_in_caller(api, hov_hub):
    response = api("post", "/rounds", body={"name": "Anonym", "hub": hov_hub.pk})

    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Round.objects.exists()


@pytest.mark.parametrize("who", ["ulf", "vilde", "frida"])
def test_only_the_hubs_secretariat_creates_rounds(api, request, hov_hub, who):
    """A committee member may not, nor a screener of another hub, nor a submitter."""
    person = request.getfixturevalue(who)

    response = api("post", "/rounds", person, body={"name": "Ikke lov", "hub": hov_hub.pk})

    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Round.objects.exists()


def test_a_screener_of_another_hub_may_not_create_a_national_round(api, vilde):
    assert api("post", "/rounds", vilde, body={"name": "Nasjonal"}).status_code == 403
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"criteria": [{"key": "Ugyldig nøkkel", "label": "x"}]}, "criteria.0.key"),
        ({"criteria": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]}, "criteria"),
        ({"criteria": []}, "criteria"),
        ({"criteria": [{"key": "a", "label": "A", "steps": ["bare én"]}]}, "criteria"),
        ({"criteria": [{"key": "a", "label": "A", "scale_max": 11}]}, "criteria.0.scale_max"),
        ({"criteria": [{"key": "a", "label": "A", "weight": 0}]}, "criteria.0.weight"),
        ({"costs": {"poster": 2}}, "costs"),
        ({"costs": {"short_summary": 0}}, "costs"),
        ({"committee_meeting": "2027-01-01", "proposals_close": "2027-02-01"}, "committee_meeting"),
        ({"decision_meeting": "2027-01-01", "committee_meeting": "2027-02-01"}, "decision_meeting"),
        ({"delivery": "i morgen"}, "delivery"),
        ({"capacity": -1}, "capacity"),
        ({"hub": 999_999}, "hub"),
        ({"name": ""}, "name"),
    ],
)
def test_an_invalid_round_names_the_field_and_stores_nothing(api, berit, hov_hub, change, field):
    response = api("post", "/rounds", berit, body={"name": "Høst 2027", "hub": hov_hub.pk} | change)

    assert response.status_code == 422, response.content
    assert field_errors(response) == {field}
    assert not Round.objects.exists()


# Members and needs


def test_adding_members_by_email(api, the_round, berit, ulf, unni, otto):
    path = f"/rounds/{the_round.pk}/members"

    unknown = api("post", path, berit, body={"email": "ingen@example.no"})
    assert unknown.status_code == 422 and field_errors(unknown) == {"email"}
    assert api("post", path, ulf, body={"email": unni.email}).status_code == 403  # not staff
    assert api("post", path, body={"email": unni.email}).status_code == 401

    chair = api("post", path, berit, body={"email": ulf.email.upper(), "chair": True})
    assert chair.status_code == 201
    assert chair.json() | {"submitted_at": None} == {
        "email": ulf.email,
        "name": ulf.full_name,
        "chair": True,
        "submitted_at": None,
    }
    assert api("post", path, berit, body={"email": unni.email}).status_code == 201
    assert list(
        the_round.members.order_by("user__email").values_list("user__email", "is_chair")
    ) == [
        (ulf.email, True),
        (unni.email, False),
    ]

    listed = api("get", path, unni)
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert api("get", path, otto).status_code == 403


def test_adding_needs_to_a_round(api, the_round, berit, ulf, ada, eligible, submit, vest_hub):
    path = f"/rounds/{the_round.pk}/proposals"
    need = eligible(title="Musikkterapi")
    not_screened, _token = submit(title="Ikke vurdert")

    unknown = api("post", path, berit, body={"proposal": "KB1999-001"})
    assert unknown.status_code == 422 and field_errors(unknown) == {"proposal"}
    not_eligible = api("post", path, berit, body={"proposal": not_screened.public_id})
    assert not_eligible.status_code == 422 and field_errors(not_eligible) == {"proposal"}
    assert api("post", path, ulf, body={"proposal": need.public_id}).status_code == 403

    added = api(
        "post", path, berit, body={"proposal": need.public_id, "product_kind": "rapid_review"}
    )
    assert added.status_code == 201
    assert added.json()["proposal"] == need.public_id
    assert (added.json()["product_kind"], added.json()["cost"]) == ("rapid_review", 2)
    need.refresh_from_db()
    assert need.status == Status.IN_ROUND

    again = api("post", path, berit, body={"proposal": need.public_id})
    assert again.status_code == 422 and field_errors(again) == {"proposal"}
    not_screened.refresh_from_db()
    assert not_screened.status == Status.SUBMITTED
    assert Entry.objects.filter(round=the_round).count() == 1

    other_hub = rounds.round_create(hub=vest_hub, name="Vest", actor=ada)
    foreign_path = f"/rounds/{other_hub.pk}/proposals"
    assert api("post", foreign_path, berit, body={"proposal": need.public_id}).status_code == 403
    foreign = api("post", foreign_path, ada, body={"proposal": eligible().public_id})
    assert foreign.status_code == 422 and field_errors(foreign) == {"proposal"}
    assert not other_hub.entries.exists()

    listed = api("get", path)  # public
    assert listed.status_code == 200
    assert [item["proposal"] for item in listed.json()["items"]] == [need.public_id]


def test_opening_scoring_needs_members_and_needs(api, the_round, berit, ulf, eligible):
    path = f"/rounds/{the_round.pk}/stage"

    assert api("post", path, berit, body={"stage": "scoring"}).status_code == 422
    rounds.entry_add(round_=the_round, proposal=eligible(), actor=berit)
    assert api("post", path, berit, body={"stage": "scoring"}).status_code == 422  # no members
    rounds.member_add(round_=the_round, user=ulf, actor=berit)
    assert api("post", path, ulf, body={"stage": "scoring"}).status_code == 403
    bad = api("post", path, berit, body={"stage": "decided"})
    assert bad.status_code == 422 and field_errors(bad) == {"stage"}

    opened = api("post", path, berit, body={"stage": "scoring"})
    assert opened.status_code == 200 and opened.json()["stage"] == "scoring"
    closed = api("post", path, berit, body={"stage": "scoring_closed"})
    assert closed.status_code == 200 and closed.json()["stage"] == "scoring_closed"
    the_round.refresh_from_db()
    assert the_round.stage == Stage.SCORING_CLOSED and the_round.scoring_closed_at is not None


# Scoring


@pytest.fixture
def needs(eligible):
    return {
        "A": eligible(title="Behov A", question="Spørsmål A?"),
        "B": eligible(title="Behov B", question="Spørsmål B?"),
        "C": eligible(title="Behov C", question="Spørsmål C?"),
    }


@pytest.fixture
def scoring(the_round, committee, needs, berit):
    """The pilot round with A (a short summary), B (a rapid review, 2 units) and C; scoring open."""
    kinds = {"A": "short_summary", "B": "rapid_review", "C": "short_summary"}
    for label, proposal in needs.items():
        rounds.entry_add(
            round_=the_round, proposal=proposal, actor=berit, product_kind=kinds[label]
        )
    rounds.scoring_open(round_=the_round, actor=berit)
    return the_round


def test_a_member_saves_and_reads_her_scores(api, scoring, needs, unni):
    path = f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}"

    saved = api("put", path, unni, body=scores(4, 3, None) | {"comment": " Viktig. "})

    assert saved.status_code == 200
    assert saved.json() == {
        "proposal": needs["A"].public_id,
        "scores": {"benefit": 4, "resources": 3, "severity": None},
        "recused": False,
        "recusal_reason": "",
        "comment": "Viktig.",
    }
    card = Scorecard.objects.get(member__user=unni, entry__proposal=needs["A"])
    assert dict(card.scores.values_list("criterion__key", "value")) == {
        "benefit": 4,
        "resources": 3,
        "severity": None,  # "vet ikke" is stored as an answer without a value
    }
    assert api("get", path, unni).json()["scores"] == saved.json()["scores"]

    changed = api("put", path, unni, body=scores(5, 3, 2))
    assert changed.json()["scores"] == {"benefit": 5, "resources": 3, "severity": 2}
    assert Scorecard.objects.filter(member__user=unni).count() == 1


@pytest.mark.parametrize("who", ["otto", "berit", "sigrid"])
def test_only_members_of_the_round_score(api, request, scoring, needs, who):
    person = request.getfixturevalue(who)
    path = f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}"

    assert api("put", path, person, body=scores(3, 3, 3)).status_code == 403
    assert api("get", path, person).status_code == 403
    assert not Scorecard.objects.exists()


def test_scoring_anonymously_is_refused(api, scoring, needs):
    path = f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}"
    assert api("put", path, body=scores(3, 3, 3)).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scores": {"benefit": 9}}, "scores.benefit"),
        ({"scores": {"benefit": 0}}, "scores.benefit"),
        ({"scores": {"benefit": 4.5}}, "scores.benefit"),
        ({"scores": {"benefit": "høy"}}, "scores.benefit"),
        ({"scores": {"benefit": True}}, "scores.benefit"),
        ({"scores": {"effekt": 3}}, "scores.effekt"),
        ({"recused": True}, "recusal_reason"),
        ({"recused": True, "recusal_reason": "   "}, "recusal_reason"),
    ],
)
def test_invalid_scores_name_the_field_and_store_nothing(api, scoring, needs, ulf, body, field):
    response = api("put", f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}", ulf, body=body)

    assert response.status_code == 422, response.content
    assert field_errors(response) == {field}
    assert not Scorecard.objects.exists()


def test_recusal_with_a_reason_is_accepted_and_drops_earlier_scores(api, scoring, needs, tor):
    path = f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}"
    api("put", path, tor, body=scores(5, 5, 5))

    response = api("put", path, tor, body={"recused": True, "recusal_reason": "Egen kommune."})

    assert response.status_code == 200
    assert response.json()["recused"] is True
    assert response.json()["recusal_reason"] == "Egen kommune."
    assert response.json()["scores"] == {}
    card = Scorecard.objects.get(member__user=tor)
    assert card.recused and not card.scores.exists()


def test_scoring_a_need_outside_the_round_is_a_404(api, scoring, eligible, ulf):
    outside = eligible(title="Ikke i runden")
    response = api("put", f"/rounds/{scoring.pk}/scores/{outside.public_id}", ulf, body={})
    assert response.status_code == 404 and response.json()["detail"]


def test_scores_cannot_be_saved_before_scoring_opens(
    api, the_round, committee, eligible, berit, ulf
):
    need = eligible()
    rounds.entry_add(round_=the_round, proposal=need, actor=berit)
    response = api(
        "put", f"/rounds/{the_round.pk}/scores/{need.public_id}", ulf, body=scores(3, 3, 3)
    )
    assert response.status_code == 422
    assert not Scorecard.objects.exists()


# Submitting, the blind view and the ranking


def score_all(api, round_, needs, people):
    """Ulf, Unni and Tor score A, B and C:

    need  Ulf      Unni        Tor
    A     5 5 5    4 4 null    5 3 5
    B     3 3 3    3 3 3       recused
    C     1 1 2    2 1 1       1 2 1
    """
    table = {
        "A": {"ulf": (5, 5, 5), "unni": (4, 4, None), "tor": (5, 3, 5)},
        "B": {"ulf": (3, 3, 3), "unni": (3, 3, 3), "tor": "recused"},
        "C": {"ulf": (1, 1, 2), "unni": (2, 1, 1), "tor": (1, 2, 1)},
    }
    for label, by_member in table.items():
        for name, values in by_member.items():
            body = (
                {"recused": True, "recusal_reason": "Min egen kommune."}
                if values == "recused"
                else scores(*values)
            )
            path = f"/rounds/{round_.pk}/scores/{needs[label].public_id}"
            assert api("put", path, people[name], body=body).status_code == 200


def test_the_ranking_is_blind_until_a_member_submits(api, scoring, needs, ulf, unni, tor, otto):
    people = {"ulf": ulf, "unni": unni, "tor": tor}
    path = f"/rounds/{scoring.pk}/ranking"
    api("put", f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}", unni, body=scores(4, 4, None))

    assert api("get", path, unni).status_code == 403
    early = api("post", f"/rounds/{scoring.pk}/scores/submit", unni)
    assert early.status_code == 422  # B and C are missing
    assert needs["B"].public_id in early.json()["errors"][0]["message"]
    assert needs["C"].public_id in early.json()["errors"][0]["message"]
    assert Member.objects.get(user=unni).submitted_at is None

    score_all(api, scoring, needs, people)
    assert api("get", path, unni).status_code == 403
    assert api("get", path, otto).status_code == 403
    assert api("get", path).status_code == 401

    submitted = api("post", f"/rounds/{scoring.pk}/scores/submit", unni)
    assert submitted.status_code == 200 and submitted.json()["submitted_at"]

    ranking = api("get", path, unni)
    assert ranking.status_code == 200
    body = ranking.json()
    assert body["count"] == 3
    for item in body["items"]:
        assert {"rank", "proposal", "total", "criteria", "raters", "agreement", "flagged"} <= set(
            item
        )
    # Only Unni's own scores count so far: A (4, 4, –), B (3, 3, 3), C (2, 1, 1).
    first = body["items"][0]
    assert (first["rank"], first["proposal"], first["raters"]) == (1, needs["A"].public_id, 1)
    assert first["total"] == pytest.approx(75.0)
    assert first["criteria"] == {"benefit": 4.0, "resources": 4.0, "severity": None}
    assert first["agreement"] == pytest.approx(1.0)
    # The others still have not submitted: Ulf is blind, and may no longer change after submit.
    assert api("get", path, ulf).status_code == 403
    after = api(
        "put", f"/rounds/{scoring.pk}/scores/{needs['A'].public_id}", unni, body=scores(1, 1, 1)
    )
    assert after.status_code == 422
    card = Scorecard.objects.get(member__user=unni, entry__proposal=needs["A"])
    assert card.scores.get(criterion__key="benefit").value == 4


def test_the_ranking_after_scoring_closes_matches_the_hand_computed_values(
    api, scoring, needs, ulf, unni, tor, sigrid, berit
):
    """A: benefit 14/3 → 91.67, resources 4 → 75, severity 5 (two answers) → 100; total 88.89;
    agreement (2/3 + 1/3 + 2/2) / 3 = 2/3; three raters.
    B: 3 everywhere from two members, Tor recused → 50, agreement 1, two raters.
    C: benefit 4/3 → 8.33, resources 4/3 → 8.33, severity 4/3 → 8.33; agreement 2/3."""
    score_all(api, scoring, needs, {"ulf": ulf, "unni": unni, "tor": tor})
    assert api("post", f"/rounds/{scoring.pk}/stage", berit, body={"stage": "scoring_closed"})

    response = api("get", f"/rounds/{scoring.pk}/ranking", sigrid)  # the steering group, too

    assert response.status_code == 200
    items = {item["proposal"]: item for item in response.json()["items"]}
    a, b, c = (items[needs[label].public_id] for label in "ABC")
    assert [a["rank"], b["rank"], c["rank"]] == [1, 2, 3]
    assert a["total"] == pytest.approx((275 / 3) / 3 + 75 / 3 + 100 / 3)
    assert a["criteria"] == pytest.approx({"benefit": 14 / 3, "resources": 4.0, "severity": 5.0})
    assert a["agreement"] == pytest.approx(2 / 3)
    assert (a["raters"], a["flagged"]) == (3, False)
    assert (b["total"], b["agreement"], b["raters"], b["recused"]) == (50.0, 1.0, 2, 1)
    assert c["total"] == pytest.approx(25 / 3)
    assert c["agreement"] == pytest.approx(2 / 3)
    # Capacity 3: A (1 unit) and B (2 units) fill it; C does not fit.
    assert [a["within_capacity"], b["within_capacity"], c["within_capacity"]] == [True, True, False]


# The recommendation and the decision


@pytest.fixture
def closed(api, scoring, needs, ulf, unni, tor, berit):
    score_all(api, scoring, needs, {"ulf": ulf, "unni": unni, "tor": tor})
    rounds.scoring_close(round_=scoring, actor=berit)
    return scoring


def test_the_recommendation_deviates_only_with_a_reason_and_within_capacity(
    api, closed, needs, ulf, unni
):
    path = f"/rounds/{closed.pk}/recommendation"
    a, b, c = (needs[label].public_id for label in "ABC")

    assert api("post", path, unni, body={}).status_code == 403  # not the chair
    no_reason = api(
        "post",
        path,
        ulf,
        body={
            "items": [
                {"proposal": b, "recommended": False},
                {"proposal": c, "recommended": True, "reason": "Haster."},
            ]
        },
    )
    assert no_reason.status_code == 422 and field_errors(no_reason) == {"items"}
    over = api(
        "post",
        path,
        ulf,
        body={"items": [{"proposal": c, "recommended": True, "reason": "Haster."}]},
    )
    assert over.status_code == 422 and field_errors(over) == {"items"}
    stranger = api(
        "post", path, ulf, body={"items": [{"proposal": "KB1999-001", "recommended": True}]}
    )
    assert stranger.status_code == 422 and field_errors(stranger) == {"items"}
    closed.refresh_from_db()
    assert closed.stage == Stage.SCORING_CLOSED and closed.recommended_at is None

    frozen = api(
        "post",
        path,
        ulf,
        body={
            "items": [
                {"proposal": b, "recommended": False, "reason": "Dekkes av FHI."},
                {"proposal": c, "recommended": True, "reason": "Haster for kommunene."},
            ],
            "note": "Enige.",
        },
    )

    assert frozen.status_code == 200, frozen.content
    assert [(e["proposal"], e["rank"], e["recommended"]) for e in frozen.json()] == [
        (a, 1, True),
        (b, 2, False),
        (c, 3, True),
    ]
    closed.refresh_from_db()
    assert closed.stage == Stage.RECOMMENDED and closed.recommended_at is not None
    assert closed.recommendation_note == "Enige."
    entry_b = Entry.objects.get(round=closed, proposal__public_id=b)
    assert entry_b.deviation_reason == "Dekkes av FHI."
    assert entry_b.total == pytest.approx(50.0)
    statuses = dict(Proposal.objects.values_list("public_id", "status"))
    assert (statuses[a], statuses[b], statuses[c]) == (
        Status.RECOMMENDED,
        Status.NOT_RECOMMENDED,
        Status.RECOMMENDED,
    )
    again = api("post", path, ulf, body={})
    assert again.status_code == 422  # frozen stays frozen
    assert api("get", f"/rounds/{closed.pk}").json()["stage"] == "recommended"


def test_the_steering_group_decides_and_the_log_is_public(
    api, closed, needs, ulf, unni, sigrid, berit, hov_hub
):
    a, b, c = (needs[label].public_id for label in "ABC")
    assert api("post", f"/rounds/{closed.pk}/recommendation", ulf, body={}).status_code == 200
    later = rounds.round_create(hub=hov_hub, name="Vår 2027", actor=berit)
    path = f"/rounds/{closed.pk}/decisions"
    decided_on = "2026-11-07"

    body = {"decision": "commissioned", "rationale": "Bestilles.", "decided_on": decided_on}
    assert api("post", f"{path}/{a}", unni, body=body).status_code == 403
    assert api("post", f"{path}/{a}", body=body).status_code == 401
    ordered = api("post", f"{path}/{a}", sigrid, body=body)
    assert ordered.status_code == 200, ordered.content
    assert (ordered.json()["decision"], ordered.json()["decided_on"]) == (
        "commissioned",
        decided_on,
    )
    twice = api("post", f"{path}/{a}", sigrid, body=body | {"decision": "not_commissioned"})
    assert twice.status_code == 422
    assert Entry.objects.get(proposal__public_id=a).decision == Outcome.COMMISSIONED

    deferred = {"decision": "deferred", "rationale": "Neste runde.", "decided_on": decided_on}
    missing = api("post", f"{path}/{c}", sigrid, body=deferred | {"deferred_to": 999_999})
    assert missing.status_code == 422 and field_errors(missing) == {"deferred_to"}
    itself = api("post", f"{path}/{c}", sigrid, body=deferred | {"deferred_to": closed.pk})
    assert itself.status_code == 422 and field_errors(itself) == {"deferred_to"}
    bad = api("post", f"{path}/{c}", sigrid, body=body | {"decision": "maybe"})
    assert bad.status_code == 422 and field_errors(bad) == {"decision"}
    # Without a round named, a deferral goes to the hub's next round.
    next_round = api("post", f"{path}/{c}", sigrid, body=deferred)
    assert next_round.status_code == 200, next_round.content
    assert next_round.json()["deferred_to"] == later.pk
    closed.refresh_from_db()
    assert closed.stage == Stage.RECOMMENDED  # B is still open
    assert (
        api(
            "post",
            f"{path}/{b}",
            berit,  # the secretariat records the minutes, too
            body={"decision": "not_commissioned", "rationale": "Dekket.", "decided_on": decided_on},
        ).status_code
        == 200
    )
    closed.refresh_from_db()
    assert closed.stage == Stage.DECIDED

    anonymous = Client()
    log = anonymous.get("/api/v1/decisions")
    assert log.status_code == 200
    assert log.json()["count"] == 3
    by_id = {item["proposal"]: item for item in log.json()["items"]}
    assert {key: item["decision"] for key, item in by_id.items()} == {
        a: "commissioned",
        b: "not_commissioned",
        c: "deferred",
    }
    assert by_id[c]["deferred_to"] == later.pk
    assert by_id[a]["round"] == closed.pk and by_id[a]["round_name"] == closed.name
    page = anonymous.get("/api/v1/decisions", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert page["items"][0]["proposal"] == log.json()["items"][1]["proposal"]
    assert anonymous.get("/api/v1/decisions", {"round": later.pk}).json()["count"] == 0
    statuses = dict(Proposal.objects.values_list("public_id", "status"))
    assert (statuses[a], statuses[b], statuses[c]) == (
        Status.COMMISSIONED,
        Status.NOT_COMMISSIONED,
        Status.DEFERRED,
    )


def test_deciding_before_the_recommendation_is_frozen_is_refused(api, closed, needs, sigrid):
    response = api(
        "post",
        f"/rounds/{closed.pk}/decisions/{needs['A'].public_id}",
        sigrid,
        body={"decision": "commissioned", "rationale": "For tidlig.", "decided_on": "2026-11-07"},
    )
    assert response.status_code == 422
    assert not Entry.objects.exclude(decision="").exists()


# Lists


def test_round_lists_answer_count_and_items_and_take_limit_and_offset(
    api, the_round, committee, needs, berit, hov_hub
):
    for name in ("Vår 2027", "Høst 2027"):
        rounds.round_create(hub=hov_hub, name=name, actor=berit)
    for proposal in needs.values():
        rounds.entry_add(round_=the_round, proposal=proposal, actor=berit)

    everything = api("get", "/rounds").json()
    assert everything["count"] == 3 and len(everything["items"]) == 3
    page = api("get", "/rounds", limit=1, offset=1).json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == [everything["items"][1]["id"]]

    entries = api("get", f"/rounds/{the_round.pk}/proposals", limit=2, offset=2).json()
    assert entries["count"] == 3 and len(entries["items"]) == 1

    members = api("get", f"/rounds/{the_round.pk}/members", committee["ulf"].user, limit=2).json()
    assert members["count"] == 3 and len(members["items"]) == 2

    bad = api("get", "/rounds", limit="mange")
    assert bad.status_code == 422 and field_errors(bad) == {"limit"}


def test_the_whole_round_through_the_api(api, the_round, berit, ulf, unni, sigrid, eligible):
    """Members, needs, scoring, submitting, closing, recommending and deciding, all by API."""
    path = f"/rounds/{the_round.pk}"
    need = eligible(title="Musikkterapi")
    for person, chair in ((ulf, True), (unni, False)):
        body = {"email": person.email, "chair": chair}
        assert api("post", f"{path}/members", berit, body=body).status_code == 201
    assert (
        api("post", f"{path}/proposals", berit, body={"proposal": need.public_id}).status_code
        == 201
    )
    assert api("post", f"{path}/stage", berit, body={"stage": "scoring"}).status_code == 200
    for person, value in ((ulf, 5), (unni, 3)):
        body = scores(value, value, value)
        assert api("put", f"{path}/scores/{need.public_id}", person, body=body).status_code == 200
        assert api("post", f"{path}/scores/submit", person).status_code == 200
    (item,) = api("get", f"{path}/ranking", ulf).json()["items"]
    assert (item["total"], item["raters"], item["agreement"], item["flagged"]) == (
        75.0,
        2,
        0.5,
        False,
    )
    assert api("post", f"{path}/stage", berit, body={"stage": "scoring_closed"}).status_code == 200
    assert api("post", f"{path}/recommendation", ulf, body={}).status_code == 200
    decided = api(
        "post",
        f"{path}/decisions/{need.public_id}",
        sigrid,
        body={
            "decision": "commissioned",
            "rationale": "Bestilles.",
            "decided_on": date(2026, 11, 7).isoformat(),
        },
    )
    assert decided.status_code == 200
    the_round.refresh_from_db()
    assert the_round.stage == Stage.DECIDED
    assert Client().get("/api/v1/decisions").json()["items"][0]["proposal"] == need.public_id
