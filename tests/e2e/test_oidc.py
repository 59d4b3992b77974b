"""Signing in with ID-porten in a real browser, against the local OpenID provider: the button,
the provider's page, the address asked once and confirmed by mail, and signing out at both ends.
Every page of ours is checked with axe."""

import re

from playwright.sync_api import expect

from tests.accounts.test_oidc import confirmation_link


def test_a_first_id_porten_sign_in_asks_for_the_address_once_and_signs_out_at_both_ends(
    visit, check_accessibility, oidc, live_server
):
    oidc.add_person("e2e-idporten-liv", pid="06067012345")
    page = visit("/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()

    # At the provider: she signs in there.
    page.get_by_label("Test person").fill("e2e-idporten-liv")
    page.get_by_role("button", name="Sign in").click()

    # Back with us: ID-porten gives no address, so we ask for it once.
    expect(page.get_by_role("heading", level=1)).to_have_text("E-postadressen din")
    check_accessibility()
    page.get_by_label("E-postadresse").fill("liv@alver.kommune.no")
    page.get_by_role("button", name="Send lenken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjekk e-posten din")
    check_accessibility()

    page = visit(confirmation_link("liv@alver.kommune.no"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekreft e-postadressen din")
    page.get_by_role("button", name="Ja, bekreft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")  # signed in
    page = visit("/konto/min-side/")
    expect(page.get_by_text("ID-porten: koblet til")).to_be_visible()

    # Signing out here sends her to ID-porten's end-session page, and from there home.
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("button", name="Yes, sign out").click()
    page.wait_for_url(re.compile(re.escape(live_server.url) + "/$"))
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
    check_accessibility()


def test_the_sign_in_buttons_fit_a_320_pixel_screen(page, visit, oidc):
    page.set_viewport_size({"width": 320, "height": 640})
    visit("/konto/logg-inn/")
    for name in ("Logg inn med ID-porten", "Logg inn med Microsoft Entra ID"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_person_from_an_unknown_employer_is_told_why_she_cannot_come_in(
    visit, check_accessibility, oidc
):
    oidc.add_person(
        "e2e-entra-stranger",
        tid="0f0e0d0c-0b0a-4909-8807-060504030201",
        email="eve@stranger.example",
        xms_edov=True,
    )
    page = visit("/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med Microsoft Entra ID").click()
    page.get_by_label("Test person").fill("e2e-entra-stranger")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Organisasjonen din kan ikke logge inn her ennå"
    )
    check_accessibility()
    page.get_by_role("link", name="Tilbake til innlogging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
