"""The librarian's workbench in the browser, each outcome seen from the submitter's side."""

import re

import pytest
from playwright.sync_api import expect

from kunnskap.proposals.models import Proposal


def open_workbench(page, visit, proposal):
    return visit(f"/sekretariat/vurdering/{proposal.public_id}/")


def record_outcome(page, outcome: str, note: str = "", duplicate_of: str = "") -> None:
    page.get_by_role("radio", name=outcome, exact=True).check()
    if note:
        page.get_by_label("Melding").fill(note)
    if duplicate_of:
        page.get_by_label("Slå sammen med (id)").fill(duplicate_of)
    page.get_by_role("button", name="Registrer utfallet").click()


def test_answered_with_a_search_and_a_hit(visit, check_accessibility, sign_in, submit, berit):
    proposal, token = submit()
    sign_in(berit)
    page = visit("/sekretariat/vurdering/")
    page.get_by_role("link", name=proposal.title).click()
    check_accessibility()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_label("Arbeidsspørsmål")).to_have_value(proposal.question)

    page.get_by_text("Registrer et søk").click()
    page.get_by_label("Kilde").select_option(label="Epistemonikos")
    page.get_by_label("Søkestreng").fill("music therapy AND dementia AND agitation")
    page.get_by_label("Antall treff i søket").fill("14")
    page.get_by_role("button", name="Registrer søket").click()
    expect(page.get_by_role("cell", name="Epistemonikos")).to_be_visible()
    expect(page.locator(".status-tag")).to_have_text("Under vurdering")

    page.get_by_text("Registrer et treff").click()
    page.get_by_label("Tittel").fill("Musikkbasert miljøbehandling for personer med demens")
    page.get_by_label("Lenke").fill("https://www.fhi.no/publ/")
    page.get_by_label("Type").select_option("systematic_review")
    page.get_by_label("Hva det svarer på").fill("Reduserer trolig uro")
    page.get_by_role("button", name="Registrer treffet").click()
    check_accessibility()

    record_outcome(page, "Besvart med eksisterende kunnskap")
    expect(page.locator(".ds-validation-message").first).to_be_visible()
    check_accessibility()
    record_outcome(
        page, "Besvart med eksisterende kunnskap", "Musikk reduserer trolig uro ved demens."
    )
    expect(page.locator(".status-tag")).to_have_text("Besvart med eksisterende kunnskap")

    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.get_by_role("heading", name="Dette fant vurderingen")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Musikk reduserer trolig uro ved demens.")
    expect(page.locator("main")).to_contain_text(
        "Musikkbasert miljøbehandling for personer med demens"
    )
    page = visit(f"/kunnskapsbehov/{proposal.public_id}/")
    expect(page.get_by_role("heading", name="Dette vet vi")).to_be_visible()


@pytest.mark.parametrize(
    ("outcome", "note", "status_text", "submitter_sees"),
    [
        ("Klar for prioritering i en runde", "", "Klar for prioritering", "klar for prioritering"),
        (
            "Utenfor mandatet",
            "Gjelder spesialisthelsetjenesten.",
            "Utenfor mandatet",
            "Gjelder spesialisthelsetjenesten.",
        ),
        (
            "Forskningsbehov: ingen forskning svarer på det",
            "Ingen studier.",
            "Forskningsbehov",
            "registeret over forskningsbehov",
        ),
        (
            "Still forslagsstilleren et spørsmål",
            "Hvilken demensform?",
            "Spørsmål til forslagsstiller",
            "Hvilken demensform?",
        ),
    ],
)
def test_each_other_outcome(
    visit, check_accessibility, sign_in, submit, berit, outcome, note, status_text, submitter_sees
):
    proposal, token = submit()
    sign_in(berit)
    page = open_workbench(None, visit, proposal)
    record_outcome(page, outcome, note)
    expect(page.locator(".status-tag")).to_have_text(status_text)
    check_accessibility()
    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.locator("main")).to_contain_text(
        re.compile(re.escape(submitter_sees), re.IGNORECASE)
    )
    if "Forskningsbehov" in status_text:
        page = visit("/forskningsbehov/")
        expect(page.get_by_role("link", name=proposal.title)).to_be_visible()


def test_merging_a_duplicate_and_undoing_it(
    visit, check_accessibility, sign_in, submit, accept, berit
):
    from kunnskap.organisations.models import Municipality

    primary, _ = submit(title="Sansehage mot uro")
    accept(primary)
    duplicate, token = submit(
        title="Uro ved demens", municipality=Municipality.objects.get(number="4630")
    )
    sign_in(berit)
    page = open_workbench(None, visit, duplicate)
    record_outcome(page, "Duplikat: slå sammen med et annet behov", duplicate_of=primary.public_id)
    expect(page.locator(".status-tag")).to_have_text("Slått sammen med et lignende behov")
    check_accessibility()
    page = visit(f"/kunnskapsbehov/{primary.public_id}/")
    expect(page.get_by_role("heading", name=re.compile("Delt av 2 kommuner"))).to_be_visible()
    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.get_by_role("link", name=re.compile(primary.public_id))).to_be_visible()

    page = open_workbench(None, visit, duplicate)
    page.get_by_role("button", name="Angre sammenslåingen").click()
    expect(page.locator(".status-tag")).to_have_text("Under vurdering")
    page = visit(f"/kunnskapsbehov/{primary.public_id}/")
    expect(page.get_by_role("heading", name=re.compile("Delt av 1 kommune"))).to_be_visible()
    assert Proposal.objects.get(pk=duplicate.pk).endorsements.count() == 1
