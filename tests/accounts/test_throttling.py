"""Failed sign-ins are throttled per account and per client, and resets per address: after five
wrong passwords the right one is refused from any client, and fifty reset requests for one
address send at most three mails, also when they come at once."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test import Client

from kunnskap.limits.models import Counter
from kunnskap.operations.models import OutboxMessage
from tests.conftest import PASSWORD


def english() -> Client:
    """A browser reading the pages in English, whose words the assertions use."""
    client = Client()
    client.cookies["kunnskap_language"] = "en"
    return client


def sign_in(client: Client, email: str, password: str, remote: str = "192.0.2.1"):
    return client.post(
        "/konto/logg-inn/", {"login": email, "password": password}, REMOTE_ADDR=remote
    )


def signed_in(client: Client) -> bool:
    return client.get("/konto/min-side/").status_code == 200


def mails_to(address: str) -> list[OutboxMessage]:
    return [row for row in OutboxMessage.objects.all() if row.to == [address]]


def form_errors(response) -> str:
    """The error summary of the sign-in form, as the page shows it."""
    assert response.status_code == 200
    alert = re.search(
        r'<div class="ds-alert" data-color="danger" role="alert">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    return alert.group(1) if alert else ""


def let_the_pause_pass(minutes: int = 30) -> None:
    """Move every counter back in time, as if half an hour had passed."""
    for counter in Counter.objects.all():
        counter.window_start -= timedelta(minutes=minutes)
        counter.expires_at -= timedelta(minutes=minutes)
        counter.save()


@pytest.fixture
def password_checks():
    """How many times a backend checked a password and found it wrong."""
    failures: list[str] = []

    def count(sender, credentials, **kwargs):
        failures.append(credentials.get("email", ""))

    user_login_failed.connect(count)
    yield failures
    user_login_failed.disconnect(count)


def test_after_five_wrong_passwords_the_right_one_is_refused_from_any_client(frida):
    for number in range(5):
        response = sign_in(english(), frida.email, "feil-passord", remote=f"198.51.100.{number}")
        assert "The e-mail address or the password is wrong" in form_errors(response)

    # The right password, from a client that never failed: refused, with a clear message.
    elsewhere = english()
    response = sign_in(elsewhere, frida.email, PASSWORD, remote="203.0.113.50")
    assert response.status_code == 200
    assert "Too many failed sign-ins with this e-mail address" in form_errors(response)
    assert not signed_in(elsewhere)

    # Once the pause is over, the right password works again.
    let_the_pause_pass()
    response = sign_in(elsewhere, frida.email, PASSWORD, remote="203.0.113.50")
    assert response.status_code == 302
    assert signed_in(elsewhere)


def test_the_pause_reads_the_same_whether_the_account_exists_or_not(frida):
    for _ in range(6):
        known = sign_in(english(), frida.email, "feil-passord")
        unknown = sign_in(english(), "finst-ikkje@example.no", "feil-passord")
    assert form_errors(known) == form_errors(unknown)
    assert "Too many failed sign-ins with this e-mail address" in form_errors(known)


def test_a_right_password_does_not_count_as_a_failure(frida):
    for _ in range(4):
        sign_in(english(), frida.email, "feil-passord")
    for _ in range(3):
        browser = english()
        assert sign_in(browser, frida.email, PASSWORD).status_code == 302
        browser.post("/konto/logg-ut/")
    # Four failures so far: the fifth is still a failure, not a pause ...
    assert "is wrong" in form_errors(sign_in(english(), frida.email, "feil-passord"))
    # ... and now the right password waits.
    assert "Too many failed" in form_errors(sign_in(english(), frida.email, PASSWORD))


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_guessers_get_five_password_checks_in_all(frida, password_checks):
    def guess(number: int) -> int:
        try:
            remote = f"198.51.100.{number % 8}"
            return sign_in(english(), frida.email, f"gjett-{number}", remote=remote).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(48)))

    assert statuses == [200] * 48
    assert len(password_checks) == 5
    browser = english()
    assert "Too many failed" in form_errors(sign_in(browser, frida.email, PASSWORD))
    assert not signed_in(browser)


def test_one_client_is_paused_after_failing_on_many_addresses(settings, frida):
    settings.SIGN_IN_FAILURES_PER_CLIENT = 3
    for number in range(3):
        sign_in(english(), f"gjett{number}@example.no", "feil-passord", remote="192.0.2.66")

    response = sign_in(english(), frida.email, PASSWORD, remote="192.0.2.66")
    assert "Too many failed sign-ins from your network" in form_errors(response)
    # Frida herself, from her own network, is not held up, and her account counted nothing.
    assert sign_in(english(), frida.email, PASSWORD, remote="203.0.113.9").status_code == 302


def test_the_owner_gets_one_mail_in_her_language_when_signing_in_is_paused(frida):
    frida.language = "nn"
    frida.save(update_fields=["language"])
    for _ in range(4):
        sign_in(english(), frida.email, "feil-passord")
    assert mails_to(frida.email) == []

    for _ in range(10):
        sign_in(english(), frida.email, "feil-passord")
        sign_in(english(), "finst-ikkje@example.no", "feil-passord")

    [message] = mails_to(frida.email)
    assert message.subject == "Innlogginga til Kunnskapsstøtte er sett på pause for kontoen din"
    assert "5 gonger" in message.text and "15 minutt" in message.text
    assert "/konto/glemt-passord/" in message.text
    assert mails_to("finst-ikkje@example.no") == []


def test_a_new_password_through_the_mailed_link_ends_the_pause(client, frida):
    for _ in range(6):
        sign_in(english(), frida.email, "feil-passord")
    client.post("/konto/glemt-passord/", {"email": frida.email})
    [reset] = [m for m in mails_to(frida.email) if "/konto/nytt-passord/" in m.text]
    link = re.search(r"https?://[^/]+(/konto/nytt-passord/\S+)", reset.text).group(1)
    form = client.get(link, follow=True)
    new = "nytt-langt-passord-42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302

    assert sign_in(english(), frida.email, new).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_fifty_reset_requests_at_once_for_one_address_send_at_most_three_mails(frida):
    def ask(number: int) -> int:
        try:
            response = english().post(
                "/konto/glemt-passord/",
                {"email": frida.email},
                REMOTE_ADDR=f"198.51.100.{number}",
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(ask, range(50)))

    # Every request gets the same answer; only three mails go out.
    assert statuses == [302] * 50
    assert len(mails_to(frida.email)) == 3
