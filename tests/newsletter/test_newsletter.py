"""The newsletter: double opt-in, digests of exactly her themes, one-click unsubscribe, and a
send log in which a failed send is retried and recorded, never lost."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kunnskap.commissions.models import Producer
from kunnskap.library import services as library
from kunnskap.library.models import PublicationStatus
from kunnskap.newsletter import services
from kunnskap.newsletter.models import Delivery, DeliveryStatus, Issue, Subscriber
from kunnskap.taxonomy.models import Theme
from tests.test_mail import REFUSING_SMTP

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = date(2026, 11, 23)


def publication(title, theme, published_on, status=PublicationStatus.PUBLISHED):
    return library.publication_create(
        data=library.PublicationInput(
            title=title,
            kind="short_summary",
            status=status,
            summary=f"Om {title.lower()}.",
            producer=Producer.objects.get(short_name="FHI"),
            published_on=published_on,
            themes=[Theme.objects.get(key=theme)],
        ),
        actor=None,
    )


def confirm_link(message) -> str:
    return re.search(r"http\S+/nyhetsbrev/bekreft/\S+/", message.body).group(0)


def subscribe_and_confirm(client, run_worker, email, themes, frequency="weekly"):
    response = client.post(
        "/nyhetsbrev/",
        {
            "email": email,
            "frequency": frequency,
            "themes": [Theme.objects.get(key=t).pk for t in themes],
        },
    )
    assert response.status_code == 200
    run_worker()
    (message,) = [m for m in mail.outbox if m.to == [email]]
    path = confirm_link(message).split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")
    assert (
        client.get(path).status_code == 200
    )  # a page with a button: link scanners confirm nothing
    assert not Subscriber.objects.get(email=email).is_active
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get(email=email).is_active
    mail.outbox.clear()


def test_a_subscriber_gets_exactly_the_new_items_of_her_themes(client, run_worker):
    subscribe_and_confirm(client, run_worker, "demens@alver.kommune.no", ["demens-behandling"])
    subscribe_and_confirm(client, run_worker, "alt@bergen.kommune.no", [])
    Subscriber.objects.create(email="ubekreftet@x.no", frequency="weekly")  # never confirmed
    publication("Musikkterapi ved demens", "demens-behandling", MONDAY - timedelta(days=2))
    publication("Sansehager ved demens", "demens-behandling", MONDAY - timedelta(days=6))
    publication("Søvn på sykehjem", "sovn", MONDAY - timedelta(days=3))
    publication("Gammel demensoversikt", "demens-behandling", MONDAY - timedelta(days=30))
    started = publication(
        "Velferdsteknologi om natten", "demens-behandling", None, PublicationStatus.ONGOING
    )
    type(started).objects.filter(pk=started.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )

    issue = services.digest_make(frequency="weekly", end=MONDAY)
    assert services.digest_make(frequency="weekly", end=MONDAY) is None  # made once
    run_worker()

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"demens@alver.kommune.no", "alt@bergen.kommune.no"}
    demens = by_address["demens@alver.kommune.no"].body
    assert "Musikkterapi ved demens" in demens and "Sansehager ved demens" in demens
    assert "Søvn på sykehjem" not in demens and "Gammel demensoversikt" not in demens
    assert "Velferdsteknologi" not in demens  # started long before the period
    assert "Søvn på sykehjem" in by_address["alt@bergen.kommune.no"].body
    header = by_address["demens@alver.kommune.no"].extra_headers
    assert header["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/nyhetsbrev/avmeld/" in header["List-Unsubscribe"]
    assert set(issue.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_each_subscriber_reads_the_digest_in_her_language(run_worker):
    for email, language in [("nn@alver.kommune.no", "nn"), ("en@alver.kommune.no", "en")]:
        Subscriber.objects.create(
            email=email, frequency="weekly", language=language, confirmed_at=timezone.now()
        )
    publication("Musikkterapi ved demens", "demens-behandling", MONDAY - timedelta(days=2))

    issue = services.digest_make(frequency="weekly", end=MONDAY)
    run_worker()

    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address["en@alver.kommune.no"]
    assert english.subject == "New in the library 16.11.–22.11.2026"
    assert "New in the library 16.11.–22.11.2026" in english.body
    assert 'lang="en"' in english.alternatives[0].content
    nynorsk = by_address["nn@alver.kommune.no"]
    assert nynorsk.subject == "Nytt i biblioteket 16.11.–22.11.2026"
    assert 'lang="nn"' in nynorsk.alternatives[0].content
    assert issue.subject == "Nytt i biblioteket 16.11.–22.11.2026"  # the archive's, in bokmål


def test_one_click_unsubscribe_stops_the_next_digest(client, run_worker):
    subscribe_and_confirm(client, run_worker, "demens@alver.kommune.no", ["demens-behandling"])
    publication("Musikkterapi ved demens", "demens-behandling", MONDAY - timedelta(days=2))
    services.digest_make(frequency="weekly", end=MONDAY)
    run_worker()
    (message,) = mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>").split("testserver", 1)[-1]
    link = re.sub(r"^https?://[^/]+", "", link)
    # The mail client's one-click POST: no session, no CSRF token (RFC 8058).
    assert client.post(link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscriber.objects.get().is_active

    mail.outbox.clear()
    publication("Sansehager ved demens", "demens-behandling", MONDAY + timedelta(days=2))
    services.digest_make(frequency="weekly", end=MONDAY + timedelta(days=7))
    run_worker()
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_logged_then_arrives(client, run_worker, settings):
    subscribe_and_confirm(client, run_worker, "demens@alver.kommune.no", ["demens-behandling"])
    publication("Musikkterapi ved demens", "demens-behandling", MONDAY - timedelta(days=2))
    settings.MAILERS = REFUSING_SMTP
    issue = services.digest_make(frequency="weekly", end=MONDAY)
    run_worker()
    delivery = Delivery.objects.get(issue=issue)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # the retry is due
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert [m.to for m in mail.outbox] == [["demens@alver.kommune.no"]]


def test_the_last_failure_is_recorded_as_failed(client, run_worker, settings):
    subscribe_and_confirm(client, run_worker, "demens@alver.kommune.no", [])
    publication("Musikkterapi ved demens", "demens-behandling", MONDAY - timedelta(days=2))
    settings.MAILERS = REFUSING_SMTP
    settings.MAIL_MAX_ATTEMPTS = 1
    issue = services.digest_make(frequency="weekly", end=MONDAY)
    run_worker()
    delivery = Delivery.objects.get(issue=issue)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error


def test_an_editor_writes_an_issue_to_every_confirmed_subscriber(
    client, client_for, run_worker, otto
):
    from kunnskap.accounts.models import Role
    from kunnskap.organisations.models import Hub
    from tests.conftest import make_person

    subscribe_and_confirm(client, run_worker, "a@x.no", [])
    subscribe_and_confirm(client, run_worker, "b@x.no", ["sovn"], frequency="monthly")
    assert client_for(otto).get("/nyhetsbrev/utgaver/").status_code == 403
    rita = make_person(
        "rita@ksf.example", "Rita", None, Role.EDITOR, Hub.objects.get(level="national")
    )
    editor = client_for(rita)
    assert editor.post("/nyhetsbrev/utgaver/ny/", {"subject": "", "body": ""}).status_code == 422
    response = editor.post(
        "/nyhetsbrev/utgaver/ny/",
        {
            "subject": "Kurs i mini-metodevurdering",
            "body": "Meld deg på kurset i mars.",
            "include_days": 0,
        },
    )
    issue = Issue.objects.get(kind="manual")
    assert response.status_code == 302
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.no", "b@x.no"]
    assert "Meld deg på kurset" in mail.outbox[0].body
    page = editor.get(f"/nyhetsbrev/utgaver/{issue.pk}/")
    assert "a@x.no" in page.content.decode()
    assert editor.get("/nyhetsbrev/utgaver/").status_code == 200


def test_digests_come_on_mondays_and_the_first(db):
    assert services.digests_due(today=date(2026, 11, 24)) == []  # a Tuesday
    made = services.digests_due(today=date(2026, 6, 1))  # a Monday and the first
    assert sorted(issue.frequency for issue in made) == ["monthly", "weekly"]
    monthly = next(issue for issue in made if issue.frequency == "monthly")
    assert (monthly.period_start, monthly.period_end) == (date(2026, 5, 1), date(2026, 6, 1))


def test_a_bad_or_old_link_is_refused(client):
    assert client.get("/nyhetsbrev/bekreft/ugyldig/").status_code == 404
    assert client.post("/nyhetsbrev/avmeld/ugyldig/").status_code == 404
