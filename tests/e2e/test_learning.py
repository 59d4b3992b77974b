"""Kunnskapsbroen in the browser: a team's case becomes a research need in the screening queue;
a course with sessions takes two registrations, one cancels, the waiting list moves."""

import re
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from kunnskap.learning.models import Event, Registration
from kunnskap.operations.models import OutboxMessage
from tests.learning.conftest import kbp_team, lena, researchers, rune  # noqa: F401


def fits_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def sign_out(page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()


def test_a_case_ends_as_a_research_need_in_the_screening_queue(
    visit,
    check_accessibility,
    sign_in,
    page,
    kbp_team,  # noqa: F811
    lena,  # noqa: F811
    berit,
):
    sign_in(lena)
    visit("/kunnskapsbroen/")
    fits_320(page)
    page.get_by_role("link", name="KBP-lag hjemmetjenesten Bergen").click()
    check_accessibility()
    fits_320(page)
    page.get_by_role("link", name="Åpne en sak").click()
    check_accessibility()
    page.get_by_label("Behovet med få ord").fill("Sensorer mot fall")
    page.get_by_label("Spørsmål").fill("Reduserer sensorer fall hos hjemmeboende eldre?")
    page.get_by_label("Populasjon (P)").fill("Hjemmeboende eldre over 75 år")
    page.get_by_role("button", name="Åpne saken").click()
    expect(page.get_by_role("heading", name="Sensorer mot fall")).to_be_visible()
    check_accessibility()
    fits_320(page)

    page.get_by_text("Registrer et søk").click()
    page.get_by_label("Kilde").select_option(label="Epistemonikos")
    page.get_by_label("Søkestreng").fill("fall AND sensor* AND home care")
    page.get_by_label("Antall treff i søket").fill("7")
    page.get_by_role("button", name="Registrer søket").click()
    expect(page.locator("main")).to_contain_text("fall AND sensor* AND home care")
    check_accessibility()

    page.get_by_text("Forskningsbehov avdekket").click()
    page.get_by_label("Hvilken forskning som mangler").fill("Ingen studier fra norske kommuner.")
    page.get_by_role("button", name="Send inn som kunnskapsbehov").click()
    expect(page.get_by_role("status")).to_contain_text("venter på vurdering")
    expect(page.locator("main")).to_contain_text("Sendt inn som kunnskapsbehovet")
    check_accessibility()

    sign_out(page)
    sign_in(berit)
    visit("/sekretariat/vurdering/")
    page.get_by_role("link", name="Sensorer mot fall").click()
    check_accessibility()
    expect(page.get_by_role("cell", name="Epistemonikos")).to_be_visible()
    expect(page.locator("main")).to_contain_text("fall AND sensor* AND home care")


def test_a_course_takes_registrations_and_the_waiting_list_moves(
    visit, check_accessibility, sign_in, page, berit, hov_hub
):
    start = timezone.localtime() + timedelta(days=60)
    second = start + timedelta(days=14)
    stamp = "%Y-%m-%dT%H:%M"
    sign_in(berit)
    visit("/arrangementer/ny/")
    fits_320(page)
    page.get_by_label("Type", exact=True).select_option("course")
    page.get_by_label("Tittel").fill("Kurs i mini-metodevurdering")
    page.get_by_label("Antall plasser").fill("1")
    page.get_by_label("Påmeldingsfrist").fill((start - timedelta(days=7)).strftime(stamp))
    page.locator("[name=sessions-0-starts_at]").fill(start.strftime(stamp))
    page.locator("[name=sessions-0-ends_at]").fill((start - timedelta(hours=1)).strftime(stamp))
    page.locator("[name=sessions-0-place]").fill("UiA, Kristiansand")
    page.get_by_role("button", name="Publiser arrangementet").click()
    expect(page.get_by_text("En samling slutter etter at den starter.")).to_be_visible()
    check_accessibility()
    assert not Event.objects.exists()
    page.locator("[name=sessions-0-ends_at]").fill((start + timedelta(hours=6)).strftime(stamp))
    page.locator("[name=sessions-1-starts_at]").fill(second.strftime(stamp))
    page.locator("[name=sessions-1-ends_at]").fill((second + timedelta(hours=2)).strftime(stamp))
    page.locator("[name=sessions-1-place]").fill("https://video.example/mmv")
    page.get_by_role("button", name="Publiser arrangementet").click()
    expect(page.get_by_role("heading", name="Kurs i mini-metodevurdering")).to_be_visible()
    check_accessibility()
    event = Event.objects.get()
    assert event.sessions.count() == 2
    sign_out(page)

    for name, email in (("Anne Aas", "anne@alver.kommune.no"), ("Per Pe", "per@alver.kommune.no")):
        visit(f"/arrangementer/{event.pk}/")
        page.get_by_label("Navn").fill(name)
        page.get_by_label("E-postadresse").fill(email)
        page.get_by_label("Kommune").fill("Alver")
        page.get_by_role("button", name="Meld deg på").click()
        check_accessibility()
    expect(page.get_by_role("status")).to_contain_text("nummer 1 på ventelisten")
    fits_320(page)
    assert "Anne Aas" not in page.content()

    text = OutboxMessage.objects.get(to=["anne@alver.kommune.no"]).text
    cancel_path = re.search(r"/arrangementer/avmelding/[^/\s]+/", text).group(0)
    visit(cancel_path)
    fits_320(page)
    page.get_by_role("button", name="Ja, meld meg av").click()
    expect(page.get_by_role("status")).to_contain_text("Du er meldt av")
    check_accessibility()
    per = Registration.objects.get(email="per@alver.kommune.no")
    assert per.status == "registered" and per.promoted_at is not None
    assert OutboxMessage.objects.filter(
        to=["per@alver.kommune.no"], subject__startswith="Du har fått plass"
    ).exists()

    response = page.request.get(f"/arrangementer/{event.pk}/kalender.ics")
    calendar = Calendar.from_ical(response.body())
    assert [str(item["location"]) for item in calendar.walk("VEVENT")] == [
        "UiA, Kristiansand",
        "https://video.example/mmv",
    ]
    visit("/arrangementer/")
    fits_320(page)

    sign_in(berit)
    visit(f"/arrangementer/{event.pk}/deltakere/")
    fits_320(page)
    expect(page.locator("main")).to_contain_text("Per Pe")
