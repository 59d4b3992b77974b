"""A mini-HTA in the browser: the lead starts it and the library lists it as ongoing at once;
two members write different sections; a reviewer comments; it is published and found as a
mini-HTA. Every page is checked with axe-core."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.conftest import make_person
from tests.e2e.conftest import assert_accessible, sign_in_on


@contextmanager
def person(browser, live_server, axe, user) -> Iterator:
    """A second browser with its own session: another person at another desk."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_on(page, user)

    def visit(path: str):
        page.goto(path)
        assert_accessible(page, axe)
        return page

    try:
        yield visit
    finally:
        context.close()


def test_start_write_together_review_and_publish(
    visit, check_accessibility, sign_in, page, browser, live_server, axe, hov_hub
):
    lead = make_person("froydis@bergen.kommune.no", "Frøydis FoU", "4601")
    member = make_person("magne@bergen.kommune.no", "Magne Medlem", "4601")
    reviewer = make_person("reidun@alver.kommune.no", "Reidun Fagfelle", "4631")

    sign_in(lead)
    visit("/mmv/")
    expect(page.get_by_text("Du er ikke med i noen mini-metodevurdering ennå.")).to_be_visible()
    page.get_by_role("link", name="Start en mini-metodevurdering").click()
    check_accessibility()
    page.get_by_label("Tittel").fill("Digitalt nattilsyn med sensorer")
    page.get_by_label("Hva vurderingen handler om").fill("Kan sensorer erstatte runder om natten?")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitalt nattilsyn med sensorer")
    check_accessibility()
    mmv_url = page.url
    visit(mmv_url + "endre/")
    page.get_by_label("Forventet ferdig").fill("2027-06-30")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".ds-alert").first).to_contain_text("Lagret")

    # Listed in the library at once, as ongoing, for anyone.
    with person(browser, live_server, axe, reviewer) as other:
        library = other("/bibliotek/?q=nattilsyn")
        card = library.locator(".proposal-list .ds-card").first
        expect(card).to_contain_text("Digitalt nattilsyn med sensorer")
        expect(card).to_contain_text("pågående")

    for user, role in ((member, "Arbeidsgruppe"), (reviewer, "Fagfelle")):
        page.get_by_label("E-postadresse").fill(user.email)
        page.get_by_label(role, exact=True).check()
        page.get_by_role("button", name="Inviter", exact=True).click()
        expect(page.locator(".ds-alert").first).to_contain_text("er invitert")
    check_accessibility()

    # The lead writes the measure (saved by htmx); the member the economy, in her own browser.
    page.get_by_role("link", name="2. Tiltaket og problemstillingen").click()
    check_accessibility()
    # No button: the section saves itself a moment after typing stops.
    page.get_by_label("Beskriv tiltaket").fill("Sensorer varsler nattevakten ved uro og fall.")
    expect(page.locator("#save-status")).to_contain_text("Lagret")
    expect(page.locator("#revision")).to_have_value("1")
    check_accessibility()

    with person(browser, live_server, axe, member) as magne:
        economy = magne(mmv_url + "seksjon/okonomi/")
        economy.get_by_label("Kostnadspost, rad 1").fill("Sensorer og installasjon")
        economy.get_by_label("Oppstart (år 0), rad 1").fill("480 000")
        economy.get_by_label("År 1, rad 1").fill("96000")
        economy.get_by_role("button", name="Lagre seksjonen").click()
        expect(economy.locator("#save-status")).to_contain_text("Lagret")
        economy.reload()
        expect(economy.get_by_text("Sum for alle år: 576")).to_be_visible()
        assert_accessible(economy, axe)

    page.goto(mmv_url)
    page.get_by_role("button", name="Send til fagfellevurdering").click()
    page.get_by_role("dialog").get_by_role("button", name="Send til fagfellevurdering").click()
    expect(page.locator(".ds-tag").first).to_have_text("Til fagfellevurdering")
    check_accessibility()

    with person(browser, live_server, axe, reviewer) as reidun:
        section = reidun(mmv_url + "seksjon/okonomi/")
        expect(section.get_by_label("Kostnadspost, rad 1")).to_be_disabled()
        section.get_by_role("textbox", name="Kommentar").fill("Ta med opplæring av nattevaktene.")
        section.get_by_role("button", name="Legg til kommentaren").click()
        expect(section.locator("#comments")).to_contain_text("Ta med opplæring av nattevaktene.")
        assert_accessible(section, axe)

    page.goto(mmv_url + "seksjon/okonomi/")
    page.get_by_role("button", name="Merk som løst").click()
    expect(page.locator("#comments")).to_contain_text("løst av Frøydis FoU")
    expect(page.get_by_role("heading", name="Hvem endret hva")).to_be_visible()
    expect(page.locator(".history-list")).to_contain_text("Magne Medlem")
    check_accessibility()

    with person(browser, live_server, axe, reviewer) as reidun:
        overview = reidun(mmv_url)
        overview.get_by_role("button", name="Godkjenn").click()
        overview.get_by_role("dialog").get_by_role("button", name="Godkjenn").click()
        expect(overview.locator(".ds-tag").first).to_have_text("Godkjent")
        assert_accessible(overview, axe)

    visit(mmv_url + "utskrift/")
    expect(page.locator("main")).to_contain_text("Sensorer og installasjon")
    page.goto(mmv_url)
    page.get_by_role("button", name="Publiser i biblioteket").click()
    expect(page.locator(".ds-alert").first).to_contain_text("Publisert i biblioteket")
    check_accessibility()

    page.context.clear_cookies()
    found = visit("/bibliotek/?q=nattilsyn&kind=mini_hta")
    card = found.locator(".proposal-list .ds-card").first
    expect(card).to_contain_text("Digitalt nattilsyn med sensorer")
    expect(card).to_contain_text("Mini-metodevurdering")
    card.get_by_role("link").first.click()
    check_accessibility()
    page.get_by_role("link", name="Les hele mini-metodevurderingen").click()
    check_accessibility()
    expect(page.locator("main")).to_contain_text("Sensorer varsler nattevakten ved uro og fall.")
    expect(page.locator("main")).to_contain_text("Sensorer og installasjon")
    assert re.search(r"/mmv/\d+/$", page.url)
