"""The statistics in the browser: every page axe-clean, every chart with a caption, a text
alternative and a table beside it; a round's printable report."""

import re

from playwright.sync_api import expect

from kunnskap.generate import Generator


def assert_charts_with_tables(page, count: int) -> None:
    figures = page.locator("figure.chart")
    expect(figures).to_have_count(count)
    for figure in figures.all():
        expect(figure.locator("figcaption")).not_to_be_empty()
        svg = figure.locator("svg[role=img]")
        expect(svg).to_have_attribute("aria-label", re.compile(r"^Stolpediagram: .+"))
        # The table with the same numbers sits in the same section as the chart.
        section = figure.locator("xpath=ancestor::section[1]")
        expect(section.locator("table caption")).to_have_text(
            figure.locator("figcaption").inner_text()
        )
        expect(section.locator("table tbody tr").first).to_be_visible()


def test_statistics_round_report_and_open_data(visit, check_accessibility, sign_in, page, berit):
    Generator(seed=11).run(proposals=120, publications=10)
    sign_in(berit)
    page = visit("/innsikt/")
    expect(page.get_by_role("heading", name="Innsikt", level=1)).to_be_visible()
    assert_charts_with_tables(page, 17)  # 10 of needs, 7 of follow-up
    expect(page.get_by_role("link", name="CSV – Forslag per tema / formål")).to_be_visible()

    round_select = page.get_by_label("Runde")
    round_select.select_option(index=1)
    page.get_by_role("button", name="Vis", exact=True).click()
    check_accessibility()
    assert_charts_with_tables(page, 17)  # 10 of needs, 7 of follow-up

    page.get_by_role("link", name="Utskriftsvennlig rapport for denne runden").click()
    check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport:")
    assert_charts_with_tables(page, 3)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".export-links").first).to_be_hidden()
    expect(page.locator("figure.chart").first).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel – Forslag per tema / formål").click()
    assert download.value.suggested_filename == "innsikt-theme.xlsx"

    page = visit("/innsikt/apne-data/")
    expect(page.get_by_role("heading", name="Åpne data", level=1)).to_be_visible()
    expect(page.locator("table")).to_have_count(5)  # needs, publications, rounds; adoptions, pilots
