"""Knowledge put to use: a municipality adopts a published product, is reminded to evaluate it
when the date comes, evaluates it; the product page, the accountability page and the statistics
show it; another municipality finds its pilot while typing a similar title."""

from datetime import date, timedelta

from django.core import mail
from playwright.sync_api import expect

from kunnskap.followup.models import Adoption
from kunnskap.followup.tasks import remind_evaluations
from tests.followup.conftest import ordered, per, published_order  # noqa: F401

# What sticks out (for the message when a page scrolls sideways).
WIDER = """[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth
    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX == 'visible'))
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}`)"""


def no_sideways_scroll(page) -> None:
    wider = page.evaluate(WIDER)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        page.url,
        wider,
    )


def test_a_product_is_adopted_evaluated_and_its_pilot_found(
    visit,
    check_accessibility,
    sign_in,
    page,
    published_order,  # noqa: F811
    frida,
    berit,
    ulf,
    run_worker,
):
    product = published_order
    sign_in(frida)
    page = visit(product.get_absolute_url())
    page.get_by_role("link", name="Registrer hva kommunen din gjorde").click()
    check_accessibility()
    page.get_by_label("Hva gjorde dere?").select_option(label="Vedtatt innført")
    page.get_by_role("button", name="Registrer", exact=True).click()
    expect(page.locator(".ds-alert")).to_contain_text("Registrert: Vedtatt innført")
    check_accessibility()

    # The next step from the record's own page: in use, evaluated a year on.
    page.get_by_label("Hva gjorde dere?").select_option(label="I bruk")
    page.get_by_role("button", name="Registrer", exact=True).click()
    expect(page.locator(".ds-alert")).to_contain_text("Steget er registrert")
    check_accessibility()
    adoption = Adoption.objects.get()
    assert adoption.status == "in_use"
    due = adoption.evaluation_due
    assert due is not None and due > date.today() + timedelta(days=300)

    # Time moves on: the daily reminder of the day ten days before the date.
    mail.outbox.clear()
    remind_evaluations.enqueue(today=(due - timedelta(days=10)).isoformat())
    run_worker()
    reminder = next(m for m in mail.outbox if "evaluere" in m.subject)
    assert reminder.to == [frida.email]
    assert product.title in reminder.subject
    link = next(line for line in reminder.body.splitlines() if "/nyttiggjort/bruk/" in line)
    page = visit(link.strip()[link.index("/nyttiggjort/") :])
    page.get_by_role("link", name="Registrer en evaluering").click()
    check_accessibility()
    page.get_by_role("button", name="Registrer evalueringen").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    check_accessibility()
    page.get_by_label("Det virket", exact=True).check()
    page.get_by_label("Ja, den gamle praksisen ble avviklet").check()
    page.get_by_label("Hva det kostet").fill("Om lag 100 000 kroner")
    page.locator("#id_measures-0-what").fill("Sår grodd innen 8 uker")
    page.locator("#id_measures-0-before").fill("40")
    page.locator("#id_measures-0-after").fill("65")
    page.locator("#id_measures-0-unit").fill("prosent")
    page.get_by_role("button", name="Registrer evalueringen").click()
    expect(page.locator(".ds-alert")).to_contain_text("Evalueringen er registrert")
    expect(page.locator("main")).to_contain_text("Sår grodd innen 8 uker")
    check_accessibility()

    # She registers the pilot the product led to.
    page = visit("/nyttiggjort/piloter/ny/")
    page.get_by_label("Tittel").fill("Honningbandasjer på kroniske sår i hjemmetjenesten")
    page.get_by_label("Beskrivelse").fill("Vi prøver honningbandasjer i to soner.")
    page.get_by_label("Kontaktrolle").fill("FoU-kontakt")
    page.get_by_label("Produkter det bygger på").fill(str(product.pk))
    page.get_by_role("button", name="Registrer piloten").click()
    expect(page.locator(".ds-alert")).to_contain_text("Piloten er registrert")
    check_accessibility()

    # The product page, the accountability page and the statistics show it.
    page.context.clear_cookies()
    page = visit(product.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Bergen: Evaluert")
    expect(page.locator("main")).to_contain_text("Det virket: 1")
    page = visit("/nyttiggjort/vedtak/")
    expect(page.locator("main")).to_contain_text("1 kommune bruker det")
    expect(page.locator("main")).to_contain_text("100 %")
    page.get_by_role("link", name=product.commission.proposal.title).click()
    expect(page.locator("main")).to_contain_text("Sår grodd innen 8 uker")
    check_accessibility()
    sign_in(berit)
    page = visit("/innsikt/")
    expect(page.locator("#followup_verdict")).to_contain_text("Det virket")
    expect(page.locator("#followup_publication")).to_contain_text(product.title)

    # Another municipality, about to start the same, finds the pilot while typing.
    page.context.clear_cookies()
    sign_in(ulf)
    page = visit("/nyttiggjort/piloter/ny/")
    page.get_by_label("Tittel").press_sequentially("Honning på sår", delay=20)
    panel = page.locator("#similar-results")
    expect(panel).to_contain_text("Honningbandasjer på kroniske sår")
    check_accessibility()
    page = visit("/nyttiggjort/?q=honning")
    expect(page.locator("main")).to_contain_text("Bergen")


def test_the_follow_up_pages_fit_a_320_pixel_screen(
    visit,
    page,
    published_order,  # noqa: F811
    frida,
    berit,
    sign_in,
):
    from kunnskap.followup import services

    services.adoption_record(
        publication=published_order,
        municipality=frida.municipality,
        actor=frida,
        status="in_use",
        on=date.today() - timedelta(days=400),
    )
    services.pilot_register(
        data=services.PilotInput(
            title="Honningbandasjer på kroniske sår i hjemmetjenesten",
            description="Vi prøver honningbandasjer.",
            municipality=frida.municipality,
            started_on=date.today(),
            contact_role="FoU-kontakt",
            publications=[published_order],
        ),
        actor=frida,
    )
    page.set_viewport_size({"width": 320, "height": 640})
    paths = [
        "/nyttiggjort/",
        f"/nyttiggjort/piloter/{published_order.pilots.get().pk}/",
        "/nyttiggjort/vedtak/",
        f"/nyttiggjort/vedtak/{published_order.commission.entry_id}/",
        published_order.get_absolute_url(),
        Adoption.objects.get().get_absolute_url(),
    ]
    for path in paths:
        visit(path)
        no_sideways_scroll(page)
    sign_in(berit)
    for path in ["/nyttiggjort/mine/", "/nyttiggjort/forfalte/", "/nyttiggjort/piloter/ny/"]:
        visit(path)
        no_sideways_scroll(page)
    visit(f"/nyttiggjort/bruk/{Adoption.objects.get().pk}/evaluering/")
    no_sideways_scroll(page)
