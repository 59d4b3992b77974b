"""Sessions are Django's database sessions, read in plain SQL: the same rows, the same rules."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from kunnskap.accounts.sessions import SessionStore


def test_the_engine_in_use_is_ours():
    assert settings.SESSION_ENGINE == "kunnskap.accounts.sessions"


def test_a_saved_session_reads_back_and_an_expired_or_unknown_one_does_not(db):
    session = SessionStore()
    session["_auth_user_id"] = "42"
    session.create()
    assert SessionStore(session.session_key).load() == {"_auth_user_id": "42"}

    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is made on save, never the old one reused

    assert SessionStore("x" * 32).load() == {}
    assert SessionStore("short").load() == {}


def test_signing_in_and_out_goes_through_it(client, frida):
    from tests.conftest import PASSWORD

    assert (
        client.post("/konto/logg-inn/", {"login": frida.email, "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/konto/min-side/").status_code == 200
    client.post("/konto/logg-ut/")
    assert client.get("/konto/min-side/").status_code == 302  # signed out: sent to sign in


def test_the_user_of_a_session_is_read_again_on_every_request(client_for, berit):
    """The backend reads the user in plain SQL; a deactivated user is signed out at once."""
    assert settings.AUTHENTICATION_BACKENDS == ["kunnskap.accounts.backends.ModelBackend"]
    browser = client_for(berit)
    assert browser.get("/konto/min-side/").status_code == 200
    berit.is_active = False
    berit.save()
    assert browser.get("/konto/min-side/").status_code == 302
