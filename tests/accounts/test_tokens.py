"""API tokens: hashed at rest, shown once, refused when wrong or revoked."""

from django.core.management import call_command

from kunnskap.accounts import services
from kunnskap.accounts.models import ApiToken
from kunnskap.lib.tokens import hash_token


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_only_the_hash_of_a_token_is_stored(berit):
    token, raw = services.token_create(user=berit, name="integrasjon")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("ks_")
    assert stored.key_hash == hash_token(raw)
    assert raw not in {stored.key_hash, stored.hint, stored.name}


def test_a_token_identifies_its_user_and_roles(client, berit, hov_hub):
    _token, raw = services.token_create(user=berit, name="integrasjon")
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json() == {
        "email": "berit@bibliotek.example",
        "full_name": "Berit Bibliotekar",
        "is_admin": False,
        "roles": [{"role": "screener", "hub": hov_hub.name}],
    }
    assert ApiToken.objects.get().last_used_at is not None


def test_a_wrong_token_is_refused_even_on_public_endpoints(client, db):
    assert client.get("/api/v1/me", headers=bearer("ks_wrong")).status_code == 401
    response = client.get("/api/v1/municipalities", headers=bearer("ks_wrong"))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_token_stops_working(client, berit):
    token, raw = services.token_create(user=berit, name="integrasjon")
    services.token_revoke(token=token)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_token_of_a_deactivated_user_stops_working(client, berit):
    _token, raw = services.token_create(user=berit, name="integrasjon")
    berit.is_active = False
    berit.save()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_me_without_credentials_is_a_401(client, db):
    assert client.get("/api/v1/me").status_code == 401


def test_the_browser_session_works_for_the_api(client_for, berit):
    assert client_for(berit).get("/api/v1/me").json()["email"] == berit.email


def test_kunnskap_token_create_prints_a_working_token(client, berit, capsys):
    call_command("token", "create", "berit@bibliotek.example", "--name", "skript")
    raw = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    assert ApiToken.objects.get().name == "skript"


def test_a_signed_in_browser_must_send_the_csrf_token_for_unsafe_requests(berit):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(berit)
    response = browser.post("/api/v1/proposals", {}, content_type="application/json")
    assert response.status_code == 403


def test_an_anonymous_program_posts_without_csrf(db):
    from django.test import Client

    program = Client(enforce_csrf_checks=True)
    response = program.post("/api/v1/proposals", {}, content_type="application/json")
    assert response.status_code == 422  # judged on its body, not refused as a forgery
