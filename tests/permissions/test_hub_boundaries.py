"""The attacks of issue 15 across hubs, each refused, and nothing changed.

Berit screens for the HOV cluster, Vilde for KSF Vest (Stord's needs go there). A need of one hub
that screening has not accepted is another hub's secret: its id answers as a missing one does.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import Role
from kunnskap.assessments import services as assessments
from kunnskap.organisations.models import Municipality
from kunnskap.proposals.models import Endorsement, Proposal, ProposalEvent
from kunnskap.rounds import selectors as round_selectors
from kunnskap.rounds import services as rounds
from kunnskap.screening import services as screening
from tests.conftest import make_person

MISSING = "KB2000-999"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def errors(response: Any) -> list[str]:
    return [item["message"] for item in response.json().get("errors", [])]


@pytest.fixture
def stord_need(vest_hub, submit) -> Proposal:
    """Vilde's need: from Stord, so KSF Vest's."""
    proposal, _ = submit(
        title="Velferdsteknologi i Stord", municipality=Municipality.objects.get(number="4614")
    )
    assert proposal.hub == vest_hub
    return proposal


@pytest.fixture
def in_scoring(the_round, committee, eligible, berit) -> Proposal:
    """A need of the cluster's hub in its open scoring round."""
    proposal = eligible(title="Fallforebygging i heimetenesta")
    rounds.entry_add(round_=the_round, proposal=proposal, actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    return Proposal.objects.get(pk=proposal.pk)


def api_screen(client: Any, proposal: Proposal, **body: Any) -> Any:
    return client.post(
        f"/api/v1/proposals/{proposal.public_id}/screening", body, content_type="application/json"
    )


def test_a_screener_cannot_merge_her_need_into_another_hub_s_need_in_scoring(
    client_for, vilde, stord_need, in_scoring, the_round
):
    ranking_before = [
        (item.entry.proposal_id, item.endorsing_municipalities)
        for item in round_selectors.ranking(the_round)
    ]
    endorsements_before = list(in_scoring.endorsements.values_list("pk", "proposal_id"))
    browser = client_for(vilde)
    before = row_counts()
    response = api_screen(
        browser, stord_need, outcome="duplicate", duplicate_of=in_scoring.public_id
    )
    assert response.status_code == 403
    assert row_counts() == before  # rows, events, history, mail: nothing
    stord_need.refresh_from_db()
    assert (stord_need.status, stord_need.duplicate_of_id) == ("submitted", None)
    assert list(in_scoring.endorsements.values_list("pk", "proposal_id")) == endorsements_before
    assert [
        (item.entry.proposal_id, item.endorsing_municipalities)
        for item in round_selectors.ranking(the_round)
    ] == ranking_before


def test_the_workbench_refuses_the_same_merge(client_for, vilde, stord_need, in_scoring):
    browser = client_for(vilde)
    before = row_counts()
    response = browser.post(
        f"/sekretariat/vurdering/{stord_need.public_id}/",
        {
            "action": "outcome",
            "outcome-outcome": "duplicate",
            "outcome-duplicate_of": in_scoring.public_id,
        },
    )
    assert response.status_code == 403
    assert row_counts() == before


def test_a_screener_of_both_hubs_cannot_merge_into_a_need_past_planning(
    vilde, hov_hub, stord_need, in_scoring
):
    accounts.role_grant(user=vilde, role=Role.SCREENER, hub=hov_hub)
    before = row_counts()
    with pytest.raises(Exception) as refused:
        screening.proposal_screen(
            proposal=stord_need, actor=vilde, outcome="duplicate", duplicate_of=in_scoring
        )
    assert "duplicate_of" in refused.value.message_dict  # type: ignore[attr-defined]
    assert row_counts() == before


def test_a_merge_within_her_hubs_still_works(vilde, hov_hub, stord_need, eligible):
    accounts.role_grant(user=vilde, role=Role.SCREENER, hub=hov_hub)
    primary = eligible(title="Et åpent behov")
    merged = screening.proposal_screen(
        proposal=stord_need, actor=vilde, outcome="duplicate", duplicate_of=primary
    )
    assert merged.duplicate_of == primary
    assert primary.endorsements.filter(merged_from=stord_need).exists()


def test_a_private_need_of_another_hub_answers_as_a_missing_one(
    client_for, berit, submit, stord_need
):
    mine, _ = submit(title="Berits eget behov")
    browser = client_for(berit)
    hidden = api_screen(browser, mine, outcome="duplicate", duplicate_of=stord_need.public_id)
    missing = api_screen(browser, mine, outcome="duplicate", duplicate_of=MISSING)
    assert hidden.status_code == missing.status_code == 422
    assert errors(hidden) == [m.replace(MISSING, stord_need.public_id) for m in errors(missing)]
    assert stord_need.title not in hidden.content.decode()


def test_adding_another_hub_s_private_need_to_a_round_names_nothing(
    client_for, berit, the_round, stord_need
):
    browser = client_for(berit)
    url = f"/api/v1/rounds/{the_round.pk}/proposals"
    before = row_counts()
    hidden = browser.post(url, {"proposal": stord_need.public_id}, content_type="application/json")
    missing = browser.post(url, {"proposal": MISSING}, content_type="application/json")
    assert hidden.status_code == missing.status_code == 422
    assert errors(hidden) == [m.replace(MISSING, stord_need.public_id) for m in errors(missing)]
    body = hidden.content.decode()
    assert stord_need.title not in body and "sekretariat" not in body.lower()
    assert row_counts() == before


def test_a_visible_need_of_another_hub_is_named_by_its_id_only(
    client_for, berit, the_round, vilde, stord_need
):
    screening.proposal_screen(proposal=stord_need, actor=vilde, outcome="eligible")
    response = client_for(berit).post(
        f"/api/v1/rounds/{the_round.pk}/proposals",
        {"proposal": stord_need.public_id},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert stord_need.title not in response.content.decode()


def test_an_editor_links_publications_only_to_needs_she_may_see(client_for, db, submit, hov_hub):
    rita = make_person("rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, hov_hub)
    private, _ = submit(title="Et privat behov")
    browser = client_for(rita)
    body = {"title": "Oversikt", "kind": "short_summary", "summary": "Kort."}
    hidden = browser.post(
        "/api/v1/publications",
        body | {"proposals": [private.public_id]},
        content_type="application/json",
    )
    missing = browser.post(
        "/api/v1/publications", body | {"proposals": [MISSING]}, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 422
    assert errors(hidden) == [m.replace(MISSING, private.public_id) for m in errors(missing)]
    assert not private.publications.exists()


def test_endorsements_that_do_not_count_are_not_public(client, submit, accept, berit):
    shared, _ = submit(title="Et delt behov")
    accept(shared)
    for number in ("4630", "4631", "4624"):
        _own, token = submit(
            title="Et ferskt behov", municipality=Municipality.objects.get(number=number)
        )
        client.post(f"/kunnskapsbehov/{shared.public_id}/tilslutning/", {"token": token})
    assert Endorsement.objects.filter(proposal=shared).count() == 4
    page = client.get(f"/kunnskapsbehov/{shared.public_id}/")
    api = client.get(f"/api/v1/proposals/{shared.public_id}").json()
    notes = [event.note for event in page.context["timeline"]]
    assert not any("deler dette behovet" in note or "shares" in note for note in notes)
    assert not any("deler" in e["note"] or "shares" in e["note"] for e in api["history"])
    assert [e["municipality"]["number"] for e in api["endorsements"]] == ["4601"]
    # Once the endorser's own need is accepted, her endorsement counts, and shows.
    source = Endorsement.objects.filter(proposal=shared, municipality_id="4630").get().source
    screening.proposal_screen(proposal=source, actor=berit, outcome="eligible")
    api = client.get(f"/api/v1/proposals/{shared.public_id}").json()
    assert sorted(e["municipality"]["number"] for e in api["endorsements"]) == ["4601", "4630"]
    public = ProposalEvent.objects.filter(proposal=shared, is_public=True, note__contains="Osterøy")
    assert public.count() == 1


def test_mini_hta_drafts_are_read_by_their_municipality_group_and_hub_only(
    client_for, bergen, hov_hub, vest_hub, berit, otto
):
    # Vera screens for KSF Vest from Stord: Bergen's hub is the cluster's, not hers.
    vera = make_person("vera@stord.kommune.no", "Vera Vest", "4614", Role.SCREENER, vest_hub)
    lead = make_person("froydis@bergen.kommune.no", "Frøydis FoU", "4601")
    colleague = make_person("kari@bergen.kommune.no", "Kari Kollega", "4601")
    draft = assessments.assessment_start(
        title="Digitalt nattilsyn", municipality=bergen, actor=lead, summary="Sensorer om natten."
    )
    url = f"/api/v1/assessments/{draft.pk}"
    readers = {"lead": lead, "colleague": colleague, "berit": berit}
    for name, user in readers.items():
        assert client_for(user).get(url).json()["sections"] is not None, name
    for name, user in {"vera": vera, "otto": otto}.items():
        assert client_for(user).get(url).json()["sections"] is None, name
        assert client_for(user).get(f"{url}/export.docx").status_code == 404, name
