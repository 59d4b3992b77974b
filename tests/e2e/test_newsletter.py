"""Subscribing in the browser, confirming from the e-mail, unsubscribing; the editor's log."""

import re

from django.core import mail
from playwright.sync_api import expect


def test_subscribe_confirm_and_unsubscribe(visit, check_accessibility, page, run_worker):
    page = visit("/nyhetsbrev/")
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.get_by_role("button", name="Abonner").click()
    expect(page.locator(".ds-validation-message").first).to_be_visible()
    check_accessibility()
    page.get_by_label("E-postadresse").fill("demens@alver.kommune.no")
    page.get_by_label("Ukentlig").check()
    page.get_by_label("Demens – behandling").check()
    page.get_by_role("button", name="Abonner").click()
    expect(page.get_by_role("heading", name="Sjekk e-posten din")).to_be_visible()
    check_accessibility()

    run_worker()
    (message,) = mail.outbox
    link = re.search(r"/nyhetsbrev/bekreft/\S+/", message.body).group(0)
    page = visit(link)
    page.get_by_role("button", name="Bekreft abonnementet").click()
    expect(page.get_by_role("heading", name="Du abonnerer")).to_be_visible()
    check_accessibility()

    from kunnskap.newsletter.models import Subscriber
    from kunnskap.newsletter.services import unsubscribe_url

    leave = re.sub(r"^https?://[^/]+", "", unsubscribe_url(Subscriber.objects.get()))
    page = visit(leave)
    page.get_by_role("button", name="Meld av").click()
    expect(page.get_by_role("heading", name="Du er meldt av")).to_be_visible()
    check_accessibility()


def test_the_editor_sees_the_issues(visit, sign_in, rita_editor):
    sign_in(rita_editor)
    visit("/nyhetsbrev/utgaver/")
    visit("/nyhetsbrev/utgaver/ny/")
