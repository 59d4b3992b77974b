"""Asking a question in the browser: similar needs, the receipt, the status page, endorsing."""

import re

from playwright.sync_api import expect

from kunnskap.organisations.models import Municipality
from kunnskap.proposals.models import Endorsement, Proposal
from tests.conftest import PASSWORD


def test_submitting_a_need_with_suggestions_and_a_receipt(
    visit, check_accessibility, submit, accept
):
    known, _ = submit(
        title="Sansehage mot uro ved demens",
        question="Reduserer sansehage uro hos personer med demens?",
        municipality=Municipality.objects.get(number="4630"),
    )
    accept(known)

    page = visit("/kunnskapsbehov/nytt/")
    page.get_by_label("Spørsmålet ditt med få ord", exact=True).fill("Uro ved demens")
    page.get_by_role("textbox", name="Hva lurer du på?").fill(
        "Hjelper sansehage mot uro hos eldre med demens?"
    )
    suggestion = page.locator("#similar-results").get_by_role("link", name=known.title)
    expect(suggestion).to_be_visible()
    check_accessibility()

    page.get_by_role("button", name="Send behovet").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check_accessibility()

    page.get_by_label("Kommune", exact=True).fill("Kautokeino")
    page.get_by_label("Navnet ditt", exact=True).fill("Frida Forslagsstiller")
    page.get_by_label("E-postadressen din", exact=True).fill("frida@example.no")
    page.get_by_role("group", name="Hvor mange mennesker angår det?").get_by_label("Mange").check()
    page.get_by_role("button", name="Send behovet").click()

    expect(page).to_have_url(re.compile(r"/kunnskapsbehov/status/[\w-]+/$"))
    mine = Proposal.objects.exclude(pk=known.pk).get()
    expect(page.get_by_role("status")).to_contain_text(mine.public_id)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uro ved demens")
    assert mine.municipality.name == "Guovdageaidnu"
    assert mine.criteria == {"reach": "many"}
    check_accessibility()

    # She shares the similar need instead of waiting for her own.
    page.get_by_role("button", name=re.compile("Vi har også dette behovet")).first.click()
    expect(page.get_by_role("status").first).to_contain_text(known.public_id)
    assert Endorsement.objects.filter(proposal=known, municipality__number="5612").exists()
    check_accessibility()


def test_the_submitter_changes_her_text_before_screening(visit, check_accessibility, submit):
    _proposal, token = submit()
    page = visit(f"/kunnskapsbehov/status/{token}/")
    page.get_by_role("link", name="Endre behovet").click()
    check_accessibility()
    page.get_by_label("Spørsmålet ditt med få ord", exact=True).fill("Musikk mot uro")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Musikk mot uro")
    expect(page.locator(".timeline")).to_contain_text("endret teksten")


def test_the_public_list_and_a_need_s_page(visit, check_accessibility, submit, accept):
    accept(submit()[0])
    page = visit("/kunnskapsbehov/")
    page.get_by_label("Søk").fill("musikkterapi")
    expect(page.locator(".result-count")).to_contain_text("1")
    check_accessibility()
    page.get_by_role("link", name="Musikkterapi mot uro ved demens").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Delt av 1 kommune"))
    ).to_be_visible()
    check_accessibility()


def test_a_committee_member_endorses_for_her_municipality(
    visit, check_accessibility, submit, accept, ulf
):
    proposal, _ = submit()
    accept(proposal)
    page = visit("/konto/logg-inn/")
    page.get_by_label("E-postadresse").fill(ulf.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page = visit(f"/kunnskapsbehov/{proposal.public_id}/")
    page.get_by_role("link", name="Vi har også dette behovet").click()
    expect(page.locator("main")).to_contain_text("Kommune: Osterøy")  # her own, fixed
    check_accessibility()
    page.get_by_role("button", name="Slutt deg til behovet").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Delt av 2 kommuner"))
    ).to_be_visible()
    check_accessibility()


def test_the_screener_s_queue(visit, sign_in, submit, berit):
    proposal, _ = submit()
    sign_in(berit)
    page = visit("/sekretariat/vurdering/")
    expect(page.get_by_role("cell", name=proposal.public_id)).to_be_visible()


def test_answering_a_question_and_getting_new_links(visit, check_accessibility, submit, berit):
    from kunnskap.proposals import services

    proposal, token = submit()
    services.proposal_request_clarification(proposal=proposal, actor=berit, question="Hvilke sår?")
    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.get_by_role("heading", name="Et spørsmål til deg")).to_be_visible()
    page.get_by_role("button", name="Send svaret").click()
    expect(page.locator(".ds-validation-message")).to_be_visible()
    check_accessibility()
    page.get_by_label("Svaret ditt").fill("Leggsår hos hjemmeboende")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.locator(".status-tag")).to_have_text("Under vurdering")
    page = visit("/kunnskapsbehov/lenke/")
    page.get_by_label("E-postadresse").fill("frida@bergen.kommune.no")
    page.get_by_role("button", name="Send lenkene").click()
    expect(page.get_by_role("status")).to_be_visible()
    check_accessibility()
