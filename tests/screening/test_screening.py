"""The screening outcomes: one transition each, history kept, submitter told, policy enforced."""

import pytest
from django.core.exceptions import ValidationError

from kunnskap.operations.models import OutboxMessage
from kunnskap.organisations.models import Municipality
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Endorsement, ProposalEvent
from kunnskap.screening import services as screening
from kunnskap.screening.models import LiteratureSource, ResearchGap


def last_mail() -> dict:
    return OutboxMessage.objects.order_by("-pk").values("to", "subject", "text").first()


def test_eligible_makes_the_need_public_and_tells_the_submitter(submit, berit):
    proposal, _ = submit()
    screening.proposal_screen(proposal=proposal, actor=berit, outcome="eligible")
    proposal.refresh_from_db()
    assert proposal.status == Status.ELIGIBLE
    assert proposal.is_public
    assert proposal.events.last().actor == berit
    assert "klart for prioritering" in last_mail()["text"].lower()


def test_answered_needs_a_hit_and_plain_words(submit, berit):
    proposal, _ = submit()
    with pytest.raises(ValidationError) as error:
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="answered", note="Ja.")
    assert "publications" in error.value.message_dict
    screening.literature_hit_add(
        proposal=proposal,
        actor=berit,
        title="Musikkbasert miljøbehandling ved demens",
        url="https://www.fhi.no/publ/",
        kind="systematic_review",
        note="Viser redusert uro",
    )
    with pytest.raises(ValidationError) as error:
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="answered")
    assert "note" in error.value.message_dict
    screening.proposal_screen(
        proposal=proposal, actor=berit, outcome="answered", note="Musikk reduserer trolig uro."
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.ANSWERED
    assert proposal.outcome_summary == "Musikk reduserer trolig uro."
    text = last_mail()["text"]
    assert "Musikk reduserer trolig uro." in text
    assert "Musikkbasert miljøbehandling ved demens: https://www.fhi.no/publ/" in text


def test_out_of_scope_gives_a_reason_and_stays_private(submit, berit):
    proposal, _ = submit()
    with pytest.raises(ValidationError):
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="out_of_scope")
    screening.proposal_screen(
        proposal=proposal,
        actor=berit,
        outcome="out_of_scope",
        note="Gjelder spesialisthelsetjenesten.",
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.OUT_OF_SCOPE
    assert not proposal.is_public
    assert "Gjelder spesialisthelsetjenesten." in last_mail()["text"]


def test_a_research_gap_enters_the_register(client, submit, berit):
    proposal, _ = submit()
    screening.proposal_screen(
        proposal=proposal, actor=berit, outcome="research_gap", note="Ingen studier av musikk."
    )
    gap = ResearchGap.objects.get(proposal=proposal)
    assert gap.status == "open"
    page = client.get("/forskningsbehov/").content.decode()
    assert proposal.title in page
    assert "Ingen studier av musikk." in page
    assert "frida@" not in page


def test_needs_clarification_is_an_outcome_too(submit, berit):
    proposal, _ = submit()
    screening.proposal_screen(
        proposal=proposal, actor=berit, outcome="needs_clarification", note="Hvilken demensform?"
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.NEEDS_CLARIFICATION


def test_an_outcome_needs_a_need_waiting_for_screening(submit, berit):
    proposal, _ = submit()
    screening.proposal_screen(proposal=proposal, actor=berit, outcome="eligible")
    with pytest.raises(ValidationError):
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="eligible")


def test_merging_moves_endorsements_once_per_municipality_and_unmerging_restores_them(
    submit, accept, berit, usht
):
    osteroy = Municipality.objects.get(number="4630")
    primary, _ = submit(title="Primær")
    accept(primary)
    duplicate, _ = submit(title="Duplikat", municipality=osteroy)
    from kunnskap.proposals import services

    services.proposal_endorse(proposal=duplicate, municipality=usht.municipality, unit=usht)
    alver = Municipality.objects.get(number="4631")
    services.proposal_endorse(proposal=duplicate, municipality=alver)
    rows_before = Endorsement.objects.count()
    events_before = ProposalEvent.objects.count()

    screening.proposal_screen(
        proposal=duplicate, actor=berit, outcome="duplicate", duplicate_of=primary
    )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == primary
    on_primary = {(e.municipality.number, e.unit_id) for e in primary.endorsements.all()}
    assert on_primary == {("4601", None), ("4630", None), ("4631", None)}
    # Bergen (through its unit) was on both: it counts once, and its row stays behind.
    assert list(duplicate.endorsements.values_list("municipality__number", "unit")) == [
        ("4601", usht.pk)
    ]
    assert Endorsement.objects.count() == rows_before

    screening.proposal_unmerge(proposal=duplicate, actor=berit)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SCREENING
    assert not duplicate.is_public  # back in screening, private until accepted again
    assert duplicate.duplicate_of is None
    assert duplicate.endorsements.count() == 3
    assert primary.endorsements.count() == 1
    assert Endorsement.objects.count() == rows_before
    # Every step is on the record: merge and unmerge on both needs.
    assert ProposalEvent.objects.count() == events_before + 4
    history = Endorsement.history.filter(merged_from=duplicate)
    assert history.exists()


def test_a_need_cannot_merge_into_itself_or_a_closed_need(submit, berit):
    proposal, _ = submit()
    with pytest.raises(ValidationError):
        screening.proposal_screen(
            proposal=proposal, actor=berit, outcome="duplicate", duplicate_of=proposal
        )
    with pytest.raises(ValidationError):
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="duplicate")


def test_forwarding_goes_to_a_wider_hub_only(submit, berit, vest_hub, national_hub, hov_hub):
    proposal, _ = submit()
    with pytest.raises(ValidationError):
        screening.proposal_forward(proposal=proposal, hub=hov_hub, actor=berit, reason="x")
    screening.proposal_forward(
        proposal=proposal, hub=vest_hub, actor=berit, reason="Gjelder hele Vestland"
    )
    proposal.refresh_from_db()
    assert proposal.hub == vest_hub
    assert "Gjelder hele Vestland" in proposal.events.last().note


def test_the_literature_record_starts_screening(submit, berit):
    proposal, _ = submit()
    source = LiteratureSource.objects.get(name="Epistemonikos")
    screening.literature_search_add(
        proposal=proposal,
        actor=berit,
        source=source,
        query="music AND dementia",
        searched_on="2026-11-20",
        results=12,
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING
    assert proposal.literature_searches.get().results == 12


@pytest.mark.parametrize("persona", ["otto", "ulf", "sigrid", "vilde"])
def test_only_the_hub_s_screeners_open_the_workbench(request, client_for, submit, accept, persona):
    unscreened, _ = submit()
    accepted, _ = submit(title="Et akseptert behov")
    accept(accepted)
    browser = client_for(request.getfixturevalue(persona))
    # A need she may not read is not there, as a missing one is not; one she may read, she may
    # not screen.
    missing = browser.get("/sekretariat/vurdering/KB2000-999/")
    hidden = browser.get(f"/sekretariat/vurdering/{unscreened.public_id}/")
    assert (missing.status_code, hidden.status_code) == (404, 404)
    assert unscreened.title not in hidden.content.decode()
    assert browser.get(f"/sekretariat/vurdering/{accepted.public_id}/").status_code == 403


def test_the_workbench_records_each_step(client_for, submit, berit):
    proposal, _ = submit()
    browser = client_for(berit)
    url = f"/sekretariat/vurdering/{proposal.public_id}/"
    assert browser.get(url).status_code == 200
    browser.post(
        url,
        {
            "action": "working",
            "working-working_question": "Effekt av musikk?",
            "working-theme": "demens-behandling",
        },
    )
    source = LiteratureSource.objects.first()
    browser.post(
        url,
        {
            "action": "search",
            "search-source": source.pk,
            "search-query": "musikk demens",
            "search-searched_on": "2026-11-20",
        },
    )
    browser.post(url, {"action": "hit", "hit-title": "Oversikt", "hit-kind": "systematic_review"})
    response = browser.post(
        url, {"action": "outcome", "outcome-outcome": "answered", "outcome-note": ""}
    )
    assert response.status_code == 422  # the plain words are missing
    browser.post(
        url, {"action": "outcome", "outcome-outcome": "answered", "outcome-note": "Trolig effekt."}
    )
    proposal.refresh_from_db()
    assert proposal.working_question == "Effekt av musikk?"
    assert proposal.theme.key == "demens-behandling"
    assert proposal.status == Status.ANSWERED
    assert proposal.hits.count() == 1


def test_the_screening_api(client, submit, berit, vilde):
    from kunnskap.accounts import services as accounts

    proposal, _ = submit()
    url = f"/api/v1/proposals/{proposal.public_id}/screening"
    body = {
        "outcome": "answered",
        "note": "Kjent.",
        "hits": [{"title": "Rapport", "kind": "rapid_review"}],
    }
    assert client.post(url, body, content_type="application/json").status_code == 401
    _t, other = accounts.token_create(user=vilde, name="t")
    response = client.post(
        url, body, content_type="application/json", headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 404  # another hub's unscreened need does not exist for her
    _t, raw = accounts.token_create(user=berit, name="t")
    bad = client.post(
        url,
        {"outcome": "maybe"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert bad.status_code == 422
    response = client.post(
        url, body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    assert proposal.hits.count() == 1


@pytest.fixture
def bodil(hov_hub):
    from kunnskap.accounts.models import Role
    from tests.conftest import make_person

    return make_person(
        "bodil@bibliotek.example", "Bodil Bibliotekar", "4601", Role.SCREENER, hov_hub
    )


@pytest.fixture
def brage(hov_hub):
    from kunnskap.accounts.models import Role
    from tests.conftest import make_person

    return make_person(
        "brage@bibliotek.example", "Brage Bibliotekar", "4601", Role.SCREENER, hov_hub
    )


def test_two_screeners_who_agree_decide(settings, submit, berit, bodil):
    settings.SCREENING_REVIEWERS = 2
    proposal, _ = submit()
    screening.screening_vote(proposal=proposal, actor=berit, outcome="eligible")
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING  # one vote changes nothing yet
    with pytest.raises(ValidationError):
        screening.screening_vote(proposal=proposal, actor=berit, outcome="eligible")
    screening.screening_vote(proposal=proposal, actor=bodil, outcome="eligible")
    proposal.refresh_from_db()
    assert proposal.status == Status.ELIGIBLE
    assert proposal.votes.count() == 2


def test_a_disagreement_goes_to_the_conflict_list_and_a_third_screener_decides(
    settings, client_for, submit, berit, bodil, brage
):
    settings.SCREENING_REVIEWERS = 2
    proposal, _ = submit()
    screening.screening_vote(proposal=proposal, actor=berit, outcome="eligible")
    # Blind: the second screener does not see the first outcome before recording her own.
    page = client_for(bodil).get(f"/sekretariat/vurdering/{proposal.public_id}/")
    assert page.context["votes"] == []
    screening.screening_vote(
        proposal=proposal, actor=bodil, outcome="out_of_scope", note="Gjelder sykehus."
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING
    conflicts = client_for(brage).get("/sekretariat/vurdering/?conflicts=on").context["rows"]
    assert [p.public_id for p, _days in conflicts] == [proposal.public_id]
    assert (
        len(client_for(brage).get(f"/sekretariat/vurdering/{proposal.public_id}/").context["votes"])
        == 2
    )
    screening.screening_vote(proposal=proposal, actor=brage, outcome="eligible")
    proposal.refresh_from_db()
    assert proposal.status == Status.ELIGIBLE
    assert (
        proposal.events.filter(note__contains="uenige").exists()
        or proposal.events.filter(note__contains="disagree").exists()
    )


def test_the_queue_filters(client_for, submit, berit):
    osteroy = Municipality.objects.get(number="4630")
    mine, _ = submit()
    other, _ = submit(municipality=osteroy)
    screening.proposal_assign(proposal=mine, assignee=berit, actor=berit)
    browser = client_for(berit)

    def ids(query: str) -> list[str]:
        return [
            p.public_id
            for p, _days in browser.get(f"/sekretariat/vurdering/?{query}").context["rows"]
        ]

    assert ids("") == [mine.public_id, other.public_id]
    assert ids("assignee=me") == [mine.public_id]
    assert ids("assignee=nobody") == [other.public_id]
    assert ids("municipality=4630") == [other.public_id]
    assert ids("min_days=3") == []


def test_the_research_gap_register_is_kept_up_to_date(client, client_for, submit, berit):
    proposal, _ = submit()
    screening.proposal_screen(
        proposal=proposal, actor=berit, outcome="research_gap", note="Ingen studier."
    )
    url = f"/sekretariat/vurdering/{proposal.public_id}/"
    client_for(berit).post(
        url,
        {
            "action": "gap",
            "gap-status": "taken_up",
            "gap-contact": "fou@ksf.example",
            "gap-links": "https://uib.no/master",
        },
    )
    gap = ResearchGap.objects.get(proposal=proposal)
    assert gap.status == "taken_up"
    page = client.get("/forskningsbehov/").content.decode()
    assert "fou@ksf.example" in page
    assert "https://uib.no/master" in page


def test_a_need_merges_only_into_an_accepted_need(submit, accept, berit):
    primary, _ = submit(title="Ikke vurdert")
    duplicate, _ = submit()
    with pytest.raises(ValidationError) as error:
        screening.proposal_screen(
            proposal=duplicate, actor=berit, outcome="duplicate", duplicate_of=primary
        )
    assert "duplicate_of" in error.value.message_dict
    accept(primary)
    screening.proposal_screen(
        proposal=duplicate, actor=berit, outcome="duplicate", duplicate_of=primary
    )


def test_a_merge_is_final_once_the_primary_is_in_a_round(submit, accept, berit):
    from kunnskap.proposals.models import Proposal

    primary, _ = submit(title="Primær")
    accept(primary)
    duplicate, _ = submit()
    screening.proposal_screen(
        proposal=duplicate, actor=berit, outcome="duplicate", duplicate_of=primary
    )
    Proposal.objects.filter(pk=primary.pk).update(status=Status.IN_ROUND)
    with pytest.raises(ValidationError):
        screening.proposal_unmerge(proposal=duplicate, actor=berit)


def test_an_unmerged_need_put_out_of_scope_is_private_again(submit, accept, berit):
    primary, _ = submit(title="Primær")
    accept(primary)
    duplicate, _ = submit()
    screening.proposal_screen(
        proposal=duplicate, actor=berit, outcome="duplicate", duplicate_of=primary
    )
    screening.proposal_unmerge(proposal=duplicate, actor=berit)
    screening.proposal_screen(
        proposal=duplicate, actor=berit, outcome="out_of_scope", note="Sykehus."
    )
    duplicate.refresh_from_db()
    assert not duplicate.is_public


def test_a_question_to_the_submitter_clears_earlier_votes(settings, submit, berit, bodil):
    settings.SCREENING_REVIEWERS = 2
    proposal, _ = submit()
    screening.screening_vote(proposal=proposal, actor=berit, outcome="eligible")
    screening.screening_vote(
        proposal=proposal, actor=bodil, outcome="needs_clarification", note="Hvem?"
    )
    assert proposal.votes.count() == 0
