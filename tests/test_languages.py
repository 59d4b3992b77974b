"""Bokmål, nynorsk and English: the switch, the choice kept on the account, mails in the
recipient's language."""

import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from kunnskap import mail
from kunnskap.newsletter import services as newsletter
from kunnskap.newsletter.models import Subscriber
from kunnskap.operations.models import OutboxMessage
from kunnskap.screening import services as screening
from tests.conftest import PASSWORD


def last_mail() -> OutboxMessage:
    """The message last put in the outbox, rendered as it will be sent."""
    return OutboxMessage.objects.order_by("-pk").first()


def nynorsk_client() -> Client:
    client = Client()
    client.post("/sprak/", {"language": "nn", "next": "/"})
    return client


def test_the_switch_offers_the_two_other_languages_on_every_page(client, db):
    page = client.get("/").content.decode()
    assert 'name="language" value="nn" lang="nn">Nynorsk<' in page
    assert 'name="language" value="en" lang="en">English<' in page
    assert 'value="nb"' not in page

    page = nynorsk_client().get("/").content.decode()
    assert '<html lang="nn"' in page
    assert "Kunnskapsstøtte for kommunane" in page
    assert 'value="nb" lang="nb">Bokmål<' in page
    assert 'value="nn"' not in page


def test_nynorsk_pages_say_so_in_the_header_too(db):
    response = nynorsk_client().get("/kommuner/")
    assert response["Content-Language"] == "nn"
    assert "Alle kommunar i Noreg" in response.content.decode()


def test_a_signed_in_person_s_choice_is_kept_on_her_account(client_for, berit):
    assert berit.language == ""
    client_for(berit).post("/sprak/", {"language": "nn", "next": "/"})
    berit.refresh_from_db()
    assert berit.language == "nn"
    assert berit.history.first().language == "nn"


def test_an_unknown_language_changes_nothing(client_for, berit):
    client_for(berit).post("/sprak/", {"language": "sv", "next": "/"})
    berit.refresh_from_db()
    assert berit.language == ""


def test_signing_in_brings_back_the_language_she_chose(client, frida):
    frida.language = "nn"
    frida.save(update_fields=["language"])

    response = client.post("/konto/logg-inn/", {"login": frida.email, "password": PASSWORD})

    assert response.cookies["kunnskap_language"].value == "nn"
    assert '<html lang="nn"' in client.get("/konto/min-side/").content.decode()


def test_signing_in_without_a_choice_keeps_the_page_s_language(client, frida):
    response = client.post("/konto/logg-inn/", {"login": frida.email, "password": PASSWORD})
    assert "kunnskap_language" not in response.cookies


def test_a_mail_to_a_user_who_chose_nynorsk_is_in_nynorsk(berit):
    berit.language = "nn"
    berit.save(update_fields=["language"])
    with translation.override("en"):  # the page that caused the mail was English
        mail.welcome(email=berit.email, context={"name": "Berit", "url": "https://x/"})
    message = last_mail()
    assert message.subject == "Velkomen til Kunnskapsstøtte"
    assert "Vel passord" in message.text
    assert 'lang="nn"' in message.html


def test_each_of_the_secretariat_reads_the_overdue_milestones_in_her_own_language(berit, vilde):
    berit.language = "nn"
    berit.save(update_fields=["language"])
    with translation.override("nb"):
        mail.milestones_overdue(emails=[berit.email, vilde.email], milestones=[], today=None)

    sent = sorted((message.to, message.subject) for message in OutboxMessage.objects.all())
    assert sent == sorted(
        [([berit.email], "0 milepålar er forseinka"), ([vilde.email], "0 milepæler er forsinket")]
    )


def test_a_submitter_hears_from_screening_in_the_language_she_wrote_in(submit, berit):
    with translation.override("nn"):
        proposal, _token = submit()
    assert proposal.submitter_language == "nn"
    assert last_mail().subject.startswith("Vi har motteke kunnskapsbehovet ditt")

    with translation.override("nb"):  # the librarian works in bokmål
        screening.proposal_screen(proposal=proposal, actor=berit, outcome="eligible")

    message = last_mail()
    assert message.to == ["frida@bergen.kommune.no"]
    assert "Behovet ditt er klart for prioritering" in message.text
    assert "ikke" not in message.text


def test_a_subscriber_gets_the_confirmation_in_the_language_she_subscribed_in(db):
    with translation.override("nn"):
        newsletter.subscribe(
            email="frida@bergen.kommune.no", frequency="monthly", themes=[], kinds=[]
        )
    assert Subscriber.objects.get().language == "nn"
    with translation.override("en"):
        assert last_mail().subject == "Stadfest abonnementet ditt på Kunnskapsstøtte"


def test_a_change_of_subscription_speaks_the_page_s_language_and_keeps_it_once_confirmed(db):
    subscriber = Subscriber.objects.create(
        email="frida@bergen.kommune.no",
        frequency="monthly",
        language="nb",
        confirmed_at=timezone.now(),
    )
    with translation.override("nn"):
        newsletter.subscribe(
            email="frida@bergen.kommune.no", frequency="weekly", themes=[], kinds=[]
        )

    message = last_mail()
    assert message.subject == "Stadfest endringa av abonnementet ditt på Kunnskapsstøtte"
    subscriber.refresh_from_db()
    assert (subscriber.frequency, subscriber.language) == ("monthly", "nb")  # not yet confirmed

    token = re.search(r"/bekreft/([^/]+)/", message.text).group(1)
    newsletter.subscription_confirm(subscriber=subscriber, choices=newsletter.choices_from(token))

    subscriber.refresh_from_db()
    assert (subscriber.frequency, subscriber.language) == ("weekly", "nn")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_api_s_errors_follow_the_language(client, db, language):
    client.post("/sprak/", {"language": language, "next": "/"})
    response = client.post("/api/v1/proposals", {}, content_type="application/json")
    assert response.status_code in (400, 422)
    expected = {"nb": "Dette feltet må fylles ut.", "nn": "Dette feltet må fyllast ut."}
    messages = {error["message"] for error in response.json()["errors"]}
    assert messages == {expected.get(language, "This field is required.")}
