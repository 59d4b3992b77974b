"""Signing in with e-mail, My page, tokens in the browser, and choosing a new password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail as outbox

from kunnskap.accounts.models import ApiToken
from tests.conftest import PASSWORD

# The worker runs outside the test's transaction, as it does in production.
with_worker = pytest.mark.django_db(transaction=True)


def test_sign_in_with_e_mail_address(client, frida):
    # Frida has no role that requires two-step sign-in (tests/accounts/test_two_step.py).
    response = client.post(
        "/konto/logg-inn/", {"login": "Frida@Bergen.Kommune.no", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mine-oppgaver/"
    assert client.get("/konto/min-side/").context["user"] == frida


def test_a_wrong_password_shows_an_error_and_keeps_the_address(client, berit):
    response = client.post("/konto/logg-inn/", {"login": berit.email, "password": "feil"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert berit.email in response.content.decode()


def test_my_page_lists_roles_per_hub(client_for, berit, hov_hub):
    page = client_for(berit).get("/konto/min-side/").content.decode()
    assert hov_hub.name in page


def test_my_page_requires_signing_in(client, db):
    response = client.get("/konto/min-side/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def test_a_token_made_in_the_browser_is_shown_once_and_then_revoked(client_for, berit):
    browser = client_for(berit)
    page = browser.post("/konto/min-side/", {"name": "Excel-rapport"}).content.decode()
    raw = re.search(r'id="new-token">(ks_[^<]+)<', page).group(1)
    assert browser.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert raw not in browser.get("/konto/min-side/").content.decode()

    token = ApiToken.objects.get()
    browser.post(f"/konto/min-side/tokens/{token.pk}/trekk-tilbake/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_persons_token(client_for, berit, otto):
    from kunnskap.accounts import services

    token, _raw = services.token_create(user=berit, name="hers")
    response = client_for(otto).post(f"/konto/min-side/tokens/{token.pk}/trekk-tilbake/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@with_worker
def test_password_reset_mail_goes_through_the_worker(client, berit, run_worker):
    client.post("/konto/glemt-passord/", {"email": berit.email})
    assert outbox.outbox == []

    run_worker()

    assert len(outbox.outbox) == 1
    link = re.search(r"http://\S+/nytt-passord/\S+/", outbox.outbox[0].body).group(0)
    path = link.split("8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "et-nytt-langt-passord", "new_password2": "et-nytt-langt-passord"},
    )
    assert get_user_model().objects.get(pk=berit.pk).check_password("et-nytt-langt-passord")


@with_worker
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, db, run_worker
):
    response = client.post("/konto/glemt-passord/", {"email": "nobody@example.no"})
    assert response.status_code == 302
    run_worker()
    assert outbox.outbox == []


def test_nobody_signs_up_herself(client, db):
    """Administrators create the accounts: allauth's sign-up is closed and has no address."""
    from django.test import RequestFactory
    from django.urls import NoReverseMatch, reverse

    from kunnskap.accounts.adapters import AccountAdapter

    assert AccountAdapter().is_open_for_signup(RequestFactory().get("/")) is False
    with pytest.raises(NoReverseMatch):
        reverse("account_signup")
    assert client.get("/konto/signup/").status_code == 404
    assert client.get("/accounts/signup/").status_code == 404
