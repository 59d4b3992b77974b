"""Signing in with ID-porten and Entra ID, end to end against a real OpenID provider.

The provider (node-oidc-provider, tests/oidc_provider/) runs in its own process; the app finds it
through discovery, redirects to it, exchanges the code over HTTP and checks the signed ID token.
The test plays the browser: Django's test client for our pages, `requests` at the provider.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client
from django.urls import reverse

from kunnskap.accounts.models import (
    EntraGroupRole,
    EntraTenant,
    Role,
    RoleAssignment,
    RoleSource,
    User,
)
from kunnskap.accounts.oidc import IDPORTEN_LEVELS
from kunnskap.accounts.oidc_config import providers_from_environment
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

BERGEN_TENANT = "5c1d3d6e-3a0b-4d6e-9d3f-6a4e1c2b7f10"
STRANGER_TENANT = "0f0e0d0c-0b0a-4909-8807-060504030201"
SCREENERS_GROUP = "a1b2c3d4-0000-4000-8000-000000000001"


def start(client: Client, provider: str, **query: str) -> str:
    """Press the provider's button; return the address the app sends the browser to."""
    url = reverse("oidc_login", kwargs={"provider_id": provider})
    response = client.post(url, query)
    assert response.status_code == 302, response.content
    return response["Location"]


def sign_in(
    client: Client,
    oidc: Any,
    provider: str,
    person: str,
    browser: requests.Session | None = None,
    **query: str,
) -> Any:
    """The whole round trip: our button, the provider's sign-in, back to our callback."""
    browser = browser or requests.Session()
    back = oidc.sign_in(browser, start(client, provider, **query), person)
    assert back.startswith("http://testserver/"), back
    parsed = urlparse(back)
    return client.get(f"{parsed.path}?{parsed.query}")


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def bergen_tenant(db) -> EntraTenant:
    return EntraTenant.objects.create(
        tenant_id=BERGEN_TENANT, name="Bergen kommune", municipality=municipality("4601")
    )


# --- configuration and the sign-in page ---


def test_the_providers_come_from_the_environment_only_when_configured() -> None:
    assert providers_from_environment({}) == {}
    configured = providers_from_environment(
        {"IDPORTEN_ISSUER": "https://idporten.no/", "IDPORTEN_CLIENT_ID": "abc"}
    )
    assert list(configured) == ["idporten"]
    app = configured["idporten"]["APPS"][0]
    assert app["settings"]["server_url"] == "https://idporten.no"
    assert app["settings"]["acr"] == "idporten-loa-substantial"


def test_the_sign_in_page_shows_no_provider_when_none_is_configured(client, settings) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(reverse("accounts:login")).content.decode()
    assert "ID-porten" not in page
    assert "Entra" not in page
    assert 'name="password"' in page


def test_the_sign_in_page_shows_a_button_per_provider_above_the_password_form(client, oidc) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    idporten = page.index(reverse("oidc_login", kwargs={"provider_id": "idporten"}))
    entra = page.index(reverse("oidc_login", kwargs={"provider_id": "entra"}))
    assert max(idporten, entra) < page.index('name="password"')


def test_a_provider_that_does_not_answer_gets_a_page_not_an_error(client, settings) -> None:
    from tests.processes import free_port

    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        {"IDPORTEN_ISSUER": f"http://127.0.0.1:{free_port()}/idporten", "IDPORTEN_CLIENT_ID": "x"}
    )
    response = client.post(reverse("oidc_login", kwargs={"provider_id": "idporten"}))
    assert response.status_code == 401
    assert "Innloggingen lyktes ikke" in response.content.decode()


# --- ID-porten ---


def test_the_redirect_to_id_porten_carries_pkce_state_nonce_and_the_acr(client, oidc) -> None:
    authorize = urlparse(start(client, "idporten"))
    query = {key: values[0] for key, values in parse_qs(authorize.query).items()}
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}".startswith(
        oidc.idporten_issuer
    )
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"]
    assert query["acr_values"] == "idporten-loa-substantial"
    assert set(query["scope"].split()) == {"openid", "profile"}


def test_a_caller_cannot_ask_for_a_lower_acr_or_other_scopes(client, oidc) -> None:
    authorize = start(client, "idporten", auth_params="acr_values=idporten-loa-low", scope="email")
    query = parse_qs(urlparse(authorize).query)
    assert query["acr_values"] == ["idporten-loa-substantial"]
    assert set(query["scope"][0].split()) == {"openid", "profile"}


def test_a_new_id_porten_person_gives_her_address_once_and_confirms_it(client, oidc) -> None:
    person = oidc.add_person("idporten-sub-kari", pid="01017012345")
    response = sign_in(client, oidc, "idporten", person)
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    # The pending sign-up in the session holds neither `pid` nor a token that carries it.
    pending = json.dumps(dict(client.session))
    assert "01017012345" not in pending
    stashed = client.session["socialaccount_sociallogin"]
    assert stashed["token"]["token"] == stashed["token"]["token_secret"] == ""

    form = client.get(reverse("socialaccount_signup"))
    assert form.status_code == 200
    response = client.post(reverse("socialaccount_signup"), {"email": "kari@askoy.kommune.no"})
    assert response.status_code == 302

    kari = User.objects.get(email="kari@askoy.kommune.no")
    account = SocialAccount.objects.get(user=kari)
    assert (account.provider, account.uid) == ("idporten", "idporten-sub-kari")
    # The national identity number is nowhere: not in the account's data, not in the session.
    assert "01017012345" not in json.dumps(account.extra_data)
    assert "pid" not in account.extra_data["id_token"]
    assert "01017012345" not in json.dumps(dict(client.session))
    assert account.extra_data["id_token"]["acr"] == "idporten-loa-substantial"
    # Not signed in before the address is confirmed by the mailed link.
    assert signed_in_user(client) is None
    assert not EmailAddress.objects.get(user=kari).verified
    elsewhere = Client()
    sign_in(elsewhere, oidc, "idporten", person)
    assert signed_in_user(elsewhere) is None  # nor through ID-porten again, before the link
    client.post(confirmation_link("kari@askoy.kommune.no"))
    assert EmailAddress.objects.get(user=kari).verified
    assert signed_in_user(client) == kari  # confirmed in the browser that asked: signed in

    # The next time she comes straight in, found by `sub`; nothing is asked.
    again = Client()
    response = sign_in(again, oidc, "idporten", person)
    assert response.status_code == 302
    assert signed_in_user(again) == kari
    assert User.objects.filter(email="kari@askoy.kommune.no").count() == 1


def confirmation_link(address: str) -> str:
    """The confirmation link in the last message to the address (the path only)."""
    words = confirmation_message(address).split()
    return urlparse(next(word for word in words if "/konto/e-post/bekreft/" in word)).path


def confirmation_message(address: str) -> str:
    from kunnskap.operations.models import OutboxMessage

    found = [m.body for m in mail.outbox if address in m.to]
    found += [m.text for m in OutboxMessage.objects.order_by("pk") if address in m.to]
    assert found, "no confirmation mail"
    return found[-1]


@pytest.mark.parametrize("acr", ["idporten-loa-low", "Level3"])
def test_a_sign_in_below_the_required_acr_is_refused(client, oidc, acr) -> None:
    person = oidc.add_person(f"idporten-low-{acr}", pid="02027012345", acr=acr)
    response = sign_in(client, oidc, "idporten", person)
    assert response.status_code == 403
    assert "ikke sikker nok" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_a_higher_acr_than_required_is_accepted(client, oidc, frida) -> None:
    SocialAccount.objects.create(user=frida, provider="idporten", uid="idporten-high")
    EmailAddress.objects.create(user=frida, email=frida.email, verified=True, primary=True)
    person = oidc.add_person("idporten-high", pid="03037012345", acr=IDPORTEN_LEVELS[-1])
    response = sign_in(client, oidc, "idporten", person)
    assert response.status_code == 302
    assert signed_in_user(client) == frida


@pytest.mark.parametrize("forge", ["signature", "nonce"])
def test_an_id_token_with_a_wrong_signature_or_nonce_is_refused(client, oidc, frida, forge) -> None:
    SocialAccount.objects.create(user=frida, provider="idporten", uid=f"idporten-{forge}")
    person = oidc.add_person(f"idporten-{forge}", pid="04047012345", forge=forge)
    response = sign_in(client, oidc, "idporten", person)
    assert response.status_code == 401
    assert "Innloggingen lyktes ikke" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_callback_without_the_state_it_was_given_is_refused(client, oidc, frida) -> None:
    SocialAccount.objects.create(user=frida, provider="idporten", uid="idporten-state")
    person = oidc.add_person("idporten-state", pid="05057012345")
    back = oidc.sign_in(requests.Session(), start(Client(), "idporten"), person)
    parsed = urlparse(back)
    response = client.get(f"{parsed.path}?{parsed.query}")  # another browser
    assert signed_in_user(client) is None
    assert response.status_code == 401


def test_an_address_that_has_an_account_is_connected_only_after_a_password_sign_in(
    client, oidc, frida
) -> None:
    from tests.conftest import PASSWORD

    person = oidc.add_person("idporten-sub-frida", pid="07077012345")
    sign_in(client, oidc, "idporten", person)
    response = client.post(reverse("socialaccount_signup"), {"email": frida.email})
    assert response.status_code == 200
    assert "Logg inn med passordet ditt først" in response.content.decode()
    assert not SocialAccount.objects.exists()

    # Signed in with her password, she connects ID-porten on her page; next time it is enough.
    assert client.post(reverse("accounts:login"), {"login": frida.email, "password": PASSWORD})
    page = client.get(reverse("accounts:me")).content.decode()
    assert "Koble til ID-porten" in page
    authorize = start(client, "idporten", process="connect")
    back = urlparse(oidc.sign_in(requests.Session(), authorize, person))
    response = client.get(f"{back.path}?{back.query}")
    assert response["Location"] == reverse("accounts:me")
    assert SocialAccount.objects.get(provider="idporten").user == frida
    assert "ID-porten: koblet til" in client.get(reverse("accounts:me")).content.decode()
    again = Client()
    sign_in(again, oidc, "idporten", person)
    assert signed_in_user(again) == frida


# --- Entra ID ---


def test_a_new_entra_person_lands_in_her_municipality(client, oidc, bergen_tenant) -> None:
    person = oidc.add_person(
        "entra-sub-per",
        tid=BERGEN_TENANT,
        name="Per Pleier",
        email="per@bergen.kommune.no",
        xms_edov=True,
    )
    response = sign_in(client, oidc, "entra", person)
    assert response.status_code == 302
    per = signed_in_user(client)
    assert per is not None
    assert (per.email, per.full_name) == ("per@bergen.kommune.no", "Per Pleier")
    assert per.municipality == municipality("4601")
    assert SocialAccount.objects.get(user=per).uid == "entra-sub-per"
    assert EmailAddress.objects.get(user=per).verified


def test_a_person_of_an_unknown_tenant_is_refused(client, oidc, bergen_tenant) -> None:
    person = oidc.add_person(
        "entra-stranger", tid=STRANGER_TENANT, email="eve@stranger.example", xms_edov=True
    )
    response = sign_in(client, oidc, "entra", person)
    assert response.status_code == 403
    assert "kan ikke logge inn her ennå" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="eve@stranger.example").exists()


def test_an_existing_person_with_the_same_verified_address_is_linked_not_duplicated(
    client, oidc, frida, bergen_tenant
) -> None:
    EmailAddress.objects.create(user=frida, email=frida.email, verified=True, primary=True)
    users = User.objects.count()
    person = oidc.add_person("entra-frida", tid=BERGEN_TENANT, email=frida.email, xms_edov=True)
    response = sign_in(client, oidc, "entra", person)
    assert response.status_code == 302
    assert signed_in_user(client) == frida
    assert SocialAccount.objects.get(provider="entra").user == frida
    assert User.objects.count() == users


def test_an_address_entra_does_not_vouch_for_is_not_linked(
    client, oidc, frida, bergen_tenant
) -> None:
    EmailAddress.objects.create(user=frida, email=frida.email, verified=True, primary=True)
    person = oidc.add_person("entra-mallory", tid=BERGEN_TENANT, email=frida.email)
    sign_in(client, oidc, "entra", person)
    assert signed_in_user(client) != frida
    assert not SocialAccount.objects.filter(user=frida).exists()


def test_group_roles_follow_the_groups_and_roles_granted_in_the_system_stay(
    client, oidc, frida, hov_hub, vest_hub, bergen_tenant
) -> None:
    EmailAddress.objects.create(user=frida, email=frida.email, verified=True, primary=True)
    EntraGroupRole.objects.create(
        tenant=bergen_tenant, group_id=SCREENERS_GROUP, role=Role.SCREENER, hub=vest_hub
    )
    claims = {"tid": BERGEN_TENANT, "email": frida.email, "xms_edov": True}
    person = oidc.add_person("entra-frida-groups", groups=[SCREENERS_GROUP.upper()], **claims)
    sign_in(client, oidc, "entra", person)
    roles = {(a.role, a.hub, a.source) for a in RoleAssignment.objects.filter(user=frida)}
    assert roles == {
        (Role.SUBMITTER, hov_hub, RoleSource.SYSTEM),
        (Role.SCREENER, vest_hub, RoleSource.ENTRA_GROUP),
    }

    # Out of the group: the group's role goes, the one granted in the system stays.
    oidc.add_person("entra-frida-groups", groups=[], **claims)
    sign_in(Client(), oidc, "entra", person)
    roles = {(a.role, a.hub) for a in RoleAssignment.objects.filter(user=frida)}
    assert roles == {(Role.SUBMITTER, hov_hub)}


# --- signing out ---


def test_signing_out_ends_the_session_here_and_at_the_provider(client, oidc, bergen_tenant) -> None:
    person = oidc.add_person(
        "entra-sub-siv", tid=BERGEN_TENANT, email="siv@bergen.kommune.no", xms_edov=True
    )
    browser = requests.Session()
    sign_in(client, oidc, "entra", person, browser)
    assert signed_in_user(client) is not None

    response = client.post(reverse("accounts:logout"))
    assert signed_in_user(client) is None
    end_session = urlparse(response["Location"])
    assert response["Location"].startswith(f"{oidc.entra_issuer}/session/end")
    query = {key: values[0] for key, values in parse_qs(end_session.query).items()}
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert query["client_id"] == "kunnskap-entra"
    # The provider accepts the ID token it issued, asks, ends its session, and sends her back.
    answer = browser.get(response["Location"], timeout=10)
    assert "Sign out of entra?" in answer.text
    confirm = re.search(r'action="([^"]+)"', answer.text)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', answer.text)
    assert confirm and xsrf
    done = browser.post(
        confirm.group(1).replace("&amp;", "&"),
        data={"xsrf": xsrf.group(1), "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.headers.get("Location") == "http://testserver/", (done.status_code, done.text)
    # Signed out there too: the next sign-in asks who she is again.
    again = browser.get(start(Client(), "entra"), allow_redirects=True, timeout=10)
    assert "Test person" in again.text


def test_signing_out_after_a_password_sign_in_stays_here(client, frida) -> None:
    from tests.conftest import PASSWORD

    client.post(reverse("accounts:login"), {"login": frida.email, "password": PASSWORD})
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- administration ---


def test_an_administrator_maps_a_tenant_to_a_municipality_and_a_group_to_a_role(
    client_for, ada, vest_hub
) -> None:
    client = client_for(ada)
    response = client.post(
        reverse("admin:accounts_entratenant_add"),
        {
            "tenant_id": BERGEN_TENANT,
            "name": "Bergen kommune",
            "municipality": "4601",
            "group_roles-TOTAL_FORMS": "1",
            "group_roles-INITIAL_FORMS": "0",
            "group_roles-0-group_id": SCREENERS_GROUP,
            "group_roles-0-role": Role.SCREENER,
            "group_roles-0-hub": vest_hub.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant = EntraTenant.objects.get(tenant_id=BERGEN_TENANT)
    assert tenant.municipality == municipality("4601")
    mapping = tenant.group_roles.get()
    assert (str(mapping.group_id), mapping.role, mapping.hub) == (
        SCREENERS_GROUP,
        Role.SCREENER,
        vest_hub,
    )
    assert tenant.history.count() == 1
    for name in ("accounts_entratenant_changelist", "accounts_entragrouprole_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_a_tenant_id_must_be_a_directory_id(client_for, ada) -> None:
    response = client_for(ada).post(
        reverse("admin:accounts_entratenant_add"),
        {
            "tenant_id": "bergen",
            "name": "Bergen kommune",
            "municipality": "4601",
            "group_roles-TOTAL_FORMS": "0",
            "group_roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "tenant_id" in response.context["adminform"].form.errors
    assert not EntraTenant.objects.exists()


def test_a_provider_sign_in_asks_for_no_app_code(client, oidc, bergen_tenant) -> None:
    from tests.conftest import make_person, two_step_secret

    hilde = make_person("hilde@bergen.kommune.no", "Hilde Hjemmetjeneste", "4601")
    EmailAddress.objects.create(user=hilde, email=hilde.email, verified=True, primary=True)
    two_step_secret(hilde)
    person = oidc.add_person("entra-hilde", tid=BERGEN_TENANT, email=hilde.email, xms_edov=True)
    response = sign_in(client, oidc, "entra", person)
    assert response["Location"] != reverse("mfa_authenticate")
    assert signed_in_user(client) == hilde
