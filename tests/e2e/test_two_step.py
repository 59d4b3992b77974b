"""Two-step sign-in in the browser: the administrator sets up her authenticator app when she first
signs in, signs in with its codes afterwards, and each recovery code works once. The codes are
computed from the secret the page shows, as her phone would. Every page fits 320 pixels."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, totp_code


def fits_320(page) -> None:
    """No sideways scrolling at 320 CSS pixels (WCAG 1.4.10); names what sticks out if any."""
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      .map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}/${el.clientWidth}`)""")
    assert width <= 320, (page.url, width, wide)
    page.set_viewport_size({"width": 1280, "height": 800})


def enter_password(page, user) -> None:
    page.goto("/konto/logg-inn/")
    page.get_by_label("E-postadresse").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def enter_code(page, code: str) -> None:
    expect(page).to_have_url(re.compile("/konto/totrinn/kode/$"))
    page.get_by_label("Kode").fill(code)
    page.get_by_role("button", name="Logg inn").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()


def test_an_administrator_signs_in_with_her_authenticator_app_and_recovery_codes(
    page, check_accessibility, ada
):
    # First sign-in: before anything else, she must set up the app.
    enter_password(page, ada)
    expect(page).to_have_url(re.compile("/konto/totrinn/app/$"))
    expect(page.get_by_text("Rollen din gir deg tilgang til personopplysninger")).to_be_visible()
    check_accessibility()
    fits_320(page)
    page.goto("/innsikt/")
    expect(page).to_have_url(re.compile("/konto/totrinn/app/$"))

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode fra appen").fill("000000")
    page.get_by_role("button", name="Slå på").click()
    expect(page.get_by_text("Koden er feil")).to_be_visible()
    check_accessibility()
    page.get_by_label("Kode fra appen").fill(totp_code(secret))
    page.get_by_role("button", name="Slå på").click()

    # Her recovery codes, shown at once.
    expect(page).to_have_url(re.compile("/konto/totrinn/reservekoder/$"))
    expect(page.get_by_text("Totrinnsinnlogging er slått på.")).to_be_visible()
    check_accessibility()
    fits_320(page)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto("/konto/min-side/")
    expect(page.get_by_text("Du har 10 ubrukte reservekoder.")).to_be_visible()
    check_accessibility()
    sign_out(page)

    # Next time: password, then a code from the app.
    enter_password(page, ada)
    check_accessibility()
    fits_320(page)
    enter_code(page, totp_code(secret))
    expect(page).to_have_url(re.compile("/mine-oppgaver/$"))
    sign_out(page)

    # Without the phone: a recovery code signs her in once, and never again.
    enter_password(page, ada)
    enter_code(page, codes[0])
    expect(page).to_have_url(re.compile("/mine-oppgaver/$"))
    page.goto("/konto/min-side/")
    expect(page.get_by_text("Du har 9 ubrukte reservekoder.")).to_be_visible()
    sign_out(page)

    enter_password(page, ada)
    enter_code(page, codes[0])
    expect(page.get_by_text("Koden er feil")).to_be_visible()
    check_accessibility()
    page.get_by_label("Kode").fill(codes[1])
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile("/mine-oppgaver/$"))
    page.goto("/konto/min-side/")
    expect(page.get_by_text("Du har 8 ubrukte reservekoder.")).to_be_visible()


def test_a_submitter_turns_two_step_sign_in_on_from_my_page(
    page, sign_in, check_accessibility, frida
):
    sign_in(frida)
    page.goto("/konto/min-side/")
    page.get_by_role("link", name="Slå på totrinnsinnlogging").click()
    expect(page.get_by_text("Rollen din gir deg tilgang")).to_have_count(0)
    check_accessibility()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode fra appen").fill(totp_code(secret))
    page.get_by_role("button", name="Slå på").click()
    expect(page).to_have_url(re.compile("/konto/totrinn/reservekoder/$"))
    page.goto("/konto/min-side/")
    page.get_by_role("link", name="Slå av totrinnsinnlogging").click()
    check_accessibility()
    page.get_by_role("button", name="Slå av", exact=True).click()
    expect(page.get_by_text("Totrinnsinnlogging er slått av.")).to_be_visible()
    expect(page.get_by_role("link", name="Slå på totrinnsinnlogging")).to_be_visible()
