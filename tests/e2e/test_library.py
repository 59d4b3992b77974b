"""The library in the browser: search, narrow by a facet, read a publication; an editor publishes
what was ordered and the submitter sees it."""

import re

from playwright.sync_api import expect

from kunnskap.library import testset


def test_search_narrow_and_read(visit, check_accessibility, page):
    testset.load()
    page = visit("/bibliotek/")
    expect(page.get_by_role("heading", name="57 publikasjoner")).to_be_visible()
    page.get_by_role("searchbox", name="Søk i biblioteket").fill("musikk mot uro ved demens")
    page.get_by_role("button", name="Søk", exact=True).click()
    check_accessibility()
    first = page.locator(".proposal-list .ds-card").first
    expect(first).to_contain_text("Musikkterapi mot agitasjon")
    expect(first.locator("mark").first).to_be_visible()

    facet = page.get_by_role("navigation", name="Type")
    option = facet.get_by_role("link").first
    chosen = option.inner_text().split(" (")[0]
    option.click()
    check_accessibility()
    expect(page.get_by_role("navigation", name="Type").locator("[aria-current]")).to_contain_text(
        chosen
    )
    for card in page.locator(".proposal-list .ds-card .meta").all():
        expect(card).to_contain_text(chosen)

    page.get_by_role("link", name="Nyeste først").click()
    check_accessibility()
    page.locator(".proposal-list .ds-card a").first.click()
    check_accessibility()
    expect(page.get_by_role("heading", name="Om publikasjonen")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()


def test_a_librarian_searches_with_an_abbreviation_and_a_broad_term(
    visit, check_accessibility, page
):
    testset.load()
    page = visit("/bibliotek/?q=kols")
    check_accessibility()
    # The text on KOLS, and not the texts that merely hold the letters ("skolefravær").
    expect(page.get_by_role("heading", name="1 publikasjon", exact=True)).to_be_visible()
    expect(page.locator(".proposal-list .ds-card")).to_have_count(1)
    expect(page.locator(".proposal-list .ds-card").first).to_contain_text(
        "Lungerehabilitering for personer med KOLS"
    )

    page.get_by_role("searchbox", name="Søk i biblioteket").fill("velferdsteknologi")
    page.get_by_role("button", name="Søk", exact=True).click()
    check_accessibility()
    cards = page.locator(".proposal-list .ds-card")
    expect(cards.first).to_contain_text("Økonomiske gevinster av velferdsteknologi")
    # The narrower terms of the thesaurus, each saying why it was found.
    for title in (
        "Trygghetsalarmer for hjemmeboende eldre",
        "Elektroniske medisindispensere i hjemmetjenesten",
    ):
        card = cards.filter(has=page.get_by_role("heading", name=title))
        expect(card).to_have_count(1)
        expect(card.locator(".search-why")).to_contain_text(
            "smalere begrep under velferdsteknologi"
        )
    expect(cards.filter(has_text="Tiltak mot høyt skolefravær")).to_have_count(0)


def test_an_ordered_need_is_published_and_its_submitter_sees_it(
    visit, check_accessibility, sign_in, page, submit, accept, rita_editor
):
    from kunnskap.commissions.models import Producer
    from kunnskap.library import services
    from kunnskap.library.models import PublicationStatus

    proposal, token = submit(title="Honning på sår")
    accept(proposal)
    type(proposal).objects.filter(pk=proposal.pk).update(status="delivered")
    ongoing = services.publication_create(
        data=services.PublicationInput(
            title="Sårbehandling i kommunene",
            kind="short_summary",
            status=PublicationStatus.ONGOING,
            summary="Under arbeid hos FHI.",
            producer=Producer.objects.get(short_name="FHI"),
            proposals=[proposal],
        ),
        actor=None,
    )
    page = visit(f"/bibliotek/?q={'sårbehandling'}")
    expect(page.locator(".proposal-list")).to_contain_text("pågående")

    sign_in(rita_editor)
    page = visit(f"/bibliotek/{ongoing.pk}/endre/")
    page.get_by_label("Publisert", exact=True).check()
    page.get_by_label("Sammendrag i klarspråk").fill(
        "Honning kan trolig bidra til raskere tilheling av brannsår; for andre sår er det usikkert."
    )
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".ds-alert")).to_contain_text("Publikasjonen er lagret.")
    check_accessibility()

    page.context.clear_cookies()
    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.locator("main")).to_contain_text(
        "Publisert i biblioteket: Sårbehandling i kommunene"
    )
    expect(page.locator(".status-tag, .ds-tag").first).to_have_text(re.compile("Publisert"))
