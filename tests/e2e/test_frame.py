"""The main journeys of the page frame, in a real browser, each page checked with axe-core."""

import re

from playwright.sync_api import expect

from kunnskap.accounts import services
from tests.conftest import PASSWORD, totp_code, two_step_secret


def test_the_front_page_explains_the_service_in_norwegian(visit):
    page = visit("/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunnskapsstøtte for kommunene")
    expect(page.get_by_role("table")).to_contain_text("KSF Vest")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(visit):
    page = visit("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Hopp til hovedinnholdet")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_language_switch_turns_the_site_english_and_back(visit, check_accessibility):
    page = visit("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Knowledge support for the municipalities"
    )
    check_accessibility()
    page.get_by_role("button", name="Bokmål").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")


def test_searching_municipalities_by_norwegian_name_and_paging(visit, check_accessibility):
    page = visit("/kommuner/")
    expect(page.locator(".result-count")).to_have_text(re.compile("357"))
    page.get_by_label("Navn eller nummer").fill("Kautokeino")
    expect(page.locator(".result-count")).to_have_text(re.compile("^\\s*1 "))
    expect(page.get_by_role("cell", name=re.compile("Guovdageaidnu"))).to_be_visible()
    check_accessibility()
    page = visit("/kommuner/?page=2")
    expect(page.get_by_role("link", name=re.compile("2$"))).to_have_attribute(
        "aria-current", "page"
    )


def test_no_match_says_so(visit):
    page = visit("/kommuner/?q=Atlantis")
    expect(page.locator("#results")).to_contain_text("Atlantis")


def test_signing_in_with_a_wrong_then_the_right_password(visit, check_accessibility, berit):
    secret = two_step_secret(berit)  # a screener signs in in two steps
    page = visit("/konto/logg-inn/")
    page.get_by_label("E-postadresse").fill(berit.email)
    page.get_by_label("Passord").fill("feil")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_accessibility()
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile("/konto/totrinn/kode/$"))
    check_accessibility()
    page.get_by_label("Kode").fill(totp_code(secret))
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile("/mine-oppgaver/$"))
    page.get_by_role("link", name="Min side", exact=True).click()
    expect(page.get_by_role("table").first).to_contain_text("Kunnskapskommunen Helse Omsorg Vest")
    check_accessibility()


def test_making_and_revoking_a_token_asks_for_confirmation(
    visit, sign_in, check_accessibility, berit, live_server
):
    services.token_create(user=berit, name="Gammel integrasjon")
    sign_in(berit)
    page = visit("/konto/min-side/")
    page.get_by_label("Navn på nøkkelen").fill("Rapport")
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.locator("#new-token")).to_have_text(re.compile("^ks_"))
    check_accessibility()

    page.get_by_role("button", name=re.compile("Trekk tilbake Gammel integrasjon")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check_accessibility()
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name=re.compile("Trekk tilbake Gammel integrasjon")).click()
    page.get_by_role("dialog").get_by_role("button", name="Trekk tilbake").click()
    expect(page.get_by_role("status")).to_be_visible()
    check_accessibility()


def test_forgotten_password_pages(visit, check_accessibility, db):
    page = visit("/konto/glemt-passord/")
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.get_by_role("button", name="Send lenken").click()
    expect(page.locator(".ds-validation-message")).to_be_visible()
    check_accessibility()
    page.get_by_label("E-postadresse").fill("noen@example.no")
    page.get_by_role("button", name="Send lenken").click()
    expect(page).to_have_url(re.compile("/glemt-passord/sendt/$"))
    check_accessibility()
    visit("/konto/nytt-passord/ugyldig/lenke/")


def test_privacy_and_error_pages(visit):
    visit("/personvern/")
    page = visit("/finnes-ikke/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
