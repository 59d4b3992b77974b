"""Personas shared by every test: people of Kunnskapskommunen Helse Omsorg Vest and beyond.

Frida submits needs from Bergen; Berit screens them for the cluster's hub; Ulf (Osterøy) and
Unni (Alver) sit on the committee; Sigrid is in the steering group; Vilde screens for KSF Vest;
Tor (Askøy) is the third committee member of the round fixtures;
Otto has an account and no role at all; Ada is the administrator.
"""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import Role, User
from kunnskap.organisations import services as organisations
from kunnskap.organisations.models import Hub, HubLevel, Municipality, Region, Unit
from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import Source, Status
from kunnskap.proposals.models import Proposal
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Member, Round
from kunnskap.screening.services import proposal_screen

PASSWORD = "riktig-hest-batteri-stift"


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


REFERENCE_ROWS = pytest.StashKey[list[tuple[str, list[str], list[tuple]]]]()
# Tables that Django recreates itself after a flush (post_migrate), with new keys.
RECREATED_AFTER_FLUSH = {"django_content_type", "auth_permission"}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher() -> None:
    """Hash test passwords with MD5: PBKDF2 costs most of a second per persona."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(scope="session")
def reference_rows(django_db_setup, django_db_blocker) -> list[tuple[str, list[str], list[tuple]]]:
    """Every row the migrations left in the new test database: reference data, read once."""
    from django.db import connection

    snapshot = []
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table in RECREATED_AFTER_FLUSH:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            rows = cursor.fetchall()
            if rows:
                columns = [column[0] for column in cursor.description]
                snapshot.append((table, columns, rows))
    return snapshot


def restore_reference_rows(snapshot: list[tuple[str, list[str], list[tuple]]]) -> None:
    from django.db import connection, transaction

    if Municipality.objects.exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in snapshot:
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})", rows
            )


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Read the reference rows before the first transactional test can flush them."""
    if is_transactional(request.node):
        request.config.stash[REFERENCE_ROWS] = request.getfixturevalue("reference_rows")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Put back the rows of the data migrations after a transactional test's flush removed them.

    Ordinary tests roll back and keep the migrated rows; transactional ones (the worker, the
    browser) end with a flush of every table, after every fixture's teardown. The rows are copied
    back as they were read after migrating, not migrated again, so the next test finds them
    whatever its kind: pytest-xdist does not run the ordinary tests first.
    """
    result = yield
    snapshot = item.config.stash.get(REFERENCE_ROWS, None)
    # After the last test the test database is gone: nothing to put back.
    if snapshot is not None and nextitem is not None and is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_reference_rows(snapshot)
    return result


@pytest.fixture
def bergen(db) -> Municipality:
    return municipality("4601")


@pytest.fixture
def national_hub(db) -> Hub:
    return Hub.objects.get(level=HubLevel.NATIONAL)


@pytest.fixture
def hov_hub(db, bergen) -> Hub:
    """The hub of Kunnskapskommunen Helse Omsorg Vest, the cluster of the pilots."""
    cluster = organisations.cluster_create(
        name="Kunnskapskommunen Helse Omsorg Vest",
        motor=bergen,
        municipalities=Municipality.objects.filter(number__in=["4631", "4624", "4630", "4628"]),
    )
    return organisations.hub_create(name=cluster.name, cluster=cluster)


@pytest.fixture
def vest_hub(db) -> Hub:
    return organisations.hub_create(name="KSF Vest", region=Region.objects.get(name="KSF Vest"))


def make_person(
    email: str, name: str, number: str | None, role: Role | None = None, hub: Hub | None = None
) -> User:
    user = accounts.user_create(
        email=email,
        full_name=name,
        password=PASSWORD,
        municipality=municipality(number) if number else None,
    )
    if role is not None and hub is not None:
        accounts.role_grant(user=user, role=role, hub=hub)
    return user


@pytest.fixture
def frida(db, hov_hub) -> User:
    return make_person(
        "frida@bergen.kommune.no", "Frida Forslagsstiller", "4601", Role.SUBMITTER, hov_hub
    )


@pytest.fixture
def berit(db, hov_hub) -> User:
    return make_person(
        "berit@bibliotek.example", "Berit Bibliotekar", "4601", Role.SCREENER, hov_hub
    )


@pytest.fixture
def ulf(db, hov_hub) -> User:
    return make_person("ulf@osteroy.kommune.no", "Ulf Utvalg", "4630", Role.COMMITTEE, hov_hub)


@pytest.fixture
def unni(db, hov_hub) -> User:
    return make_person("unni@alver.kommune.no", "Unni Utvalg", "4631", Role.COMMITTEE, hov_hub)


@pytest.fixture
def sigrid(db, hov_hub) -> User:
    return make_person(
        "sigrid@bergen.kommune.no", "Sigrid Styringsgruppe", "4601", Role.STEERING, hov_hub
    )


@pytest.fixture
def vilde(db, vest_hub) -> User:
    return make_person("vilde@ksf-vest.example", "Vilde Vest", "4601", Role.SCREENER, vest_hub)


@pytest.fixture
def rita(db, national_hub) -> User:
    """Rita, an editor of the national hub (no municipality): she publishes every hub's products."""
    return make_person("rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, national_hub)


@pytest.fixture
def otto(db) -> User:
    return make_person("otto@example.no", "Otto Outsider", "0301")


@pytest.fixture
def ada(db) -> User:
    return accounts.user_create(
        email="ada@kunnskap.example",
        full_name="Ada Administrator",
        password=PASSWORD,
        is_admin=True,
    )


def two_step_secret(user: User) -> str:
    """The secret of her authenticator app, set up now (with recovery codes) if she has none,
    as the setup page would."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import decrypt

    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if found is not None:
        return decrypt(found.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


_TOTP_STEPS_USED: dict[str, set[int]] = {}


def totp_code(secret: str) -> str:
    """The code her app shows, computed from the secret as the app does (RFC 6238). A code is
    accepted once; the next call gives the neighbouring step's code, which the one step of
    tolerance (MFA_TOTP_TOLERANCE) also accepts."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.conf import settings

    now = int(time.time()) // settings.MFA_TOTP_PERIOD
    used = _TOTP_STEPS_USED.setdefault(secret, set())
    step = next((s for s in (now, now + 1, now - 1) if s not in used), now)
    used.add(step)
    return format_hotp_value(hotp_value(secret, step))


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A browser session signed in as the given person."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def run_worker() -> Callable[[], None]:
    """Run the real task worker until the queue holds nothing that is due."""

    def run() -> None:
        call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)

    return run


def need(**overrides: Any) -> proposals.ProposalInput:
    values: dict[str, Any] = {
        "title": "Musikkterapi mot uro ved demens",
        "question": "Reduserer musikkterapi uro hos sykehjemsbeboere med demens?",
        "municipality": Municipality.objects.get(number="4601"),
        "submitter_name": "Frida Forslagsstiller",
        "submitter_email": "frida@bergen.kommune.no",
    }
    values.update(overrides)
    return proposals.ProposalInput(**values)


@pytest.fixture
def submit(hov_hub):
    """Submit a need through the real service; returns (proposal, raw status token)."""

    def make(**overrides: Any) -> tuple[Proposal, str]:
        return proposals.proposal_submit(data=need(**overrides), source=Source.WEB)

    return make


@pytest.fixture
def accept():
    """Mark a need's text as accepted by screening (the screening app's job, not yet built)."""

    def make(proposal: Proposal) -> Proposal:
        from django.utils import timezone

        proposal.accepted_at = timezone.now()
        proposal.status = "eligible"
        proposal.save(update_fields=["accepted_at", "status"])  # a save, as the services do
        proposal.refresh_from_db()
        proposals.proposal_index(proposal)
        return proposal

    return make


@pytest.fixture
def usht(db) -> Unit:
    return Unit.objects.create(name="USHT Hordaland", municipality_id="4601")


# A round of the HOV cluster: three committee members, eligible needs, default criteria.


@pytest.fixture
def tor(db, hov_hub) -> User:
    return make_person("tor@askoy.kommune.no", "Tor Utvalg", "4627", Role.COMMITTEE, hov_hub)


@pytest.fixture
def eligible(submit, berit):
    """Submit a need and screen it as eligible, as the librarian would."""

    def make(**overrides: Any) -> Proposal:
        proposal, _token = submit(**overrides)
        proposal = proposal_screen(proposal=proposal, actor=berit, outcome=Status.ELIGIBLE)
        return proposal

    return make


@pytest.fixture
def the_round(hov_hub, berit) -> Round:
    return rounds.round_create(
        hub=hov_hub,
        name="Pilot 2.0",
        actor=berit,
        capacity=3,
        proposals_close=date(2026, 9, 26),
        committee_meeting=date(2026, 10, 22),
        decision_meeting=date(2026, 11, 7),
    )


@pytest.fixture
def committee(the_round, berit, ulf, unni, tor) -> dict[str, Member]:
    return {
        "ulf": rounds.member_add(round_=the_round, user=ulf, actor=berit, is_chair=True),
        "unni": rounds.member_add(round_=the_round, user=unni, actor=berit),
        "tor": rounds.member_add(round_=the_round, user=tor, actor=berit),
    }


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: a test database starts its counters anew."""
    from django.core.cache import cache

    cache.clear()


# --- Signing in with OpenID Connect: a real provider (tests/oidc_provider/) ---
OIDC_CLIENTS = {
    "idporten": ("kunnskap-idporten", "idporten-test-secret"),
    "entra": ("kunnskap-entra", "entra-test-secret"),
}


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """node-oidc-provider with an ID-porten-like and an Entra-like issuer, for this test process.
    It never skips: without Node or its packages the tests fail and say why."""
    from django.urls import reverse

    from tests import oidc_provider

    clients = {
        name: {
            "client_id": client_id,
            "client_secret": secret,
            "redirect_uris": [
                "http://testserver" + reverse("oidc_callback", kwargs={"provider_id": name})
            ],
            "post_logout_redirect_uris": ["http://testserver/"],
            "token_endpoint_auth_method": "client_secret_post",
        }
        for name, (client_id, secret) in OIDC_CLIENTS.items()
    }
    provider = oidc_provider.start(
        clients=clients, log=tmp_path_factory.mktemp("oidc") / "provider.log"
    )
    yield provider
    provider.stop()


@pytest.fixture
def oidc(settings, oidc_provider) -> Any:
    """The app configured for both providers, as IDPORTEN_* and ENTRA_* would configure it."""
    from django.core.cache import cache

    from kunnskap.accounts.oidc_config import provider_origins, providers_from_environment

    environ = {
        "IDPORTEN_ISSUER": oidc_provider.idporten_issuer,
        "ENTRA_ISSUER": oidc_provider.entra_issuer,
    }
    for name, (client_id, secret) in OIDC_CLIENTS.items():
        environ[f"{name.upper()}_CLIENT_ID"] = client_id
        environ[f"{name.upper()}_CLIENT_SECRET"] = secret
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(environ)
    csp = {**settings.SECURE_CSP}
    csp["form-action"] = [*csp["form-action"], *provider_origins(settings.SOCIALACCOUNT_PROVIDERS)]
    settings.SECURE_CSP = csp
    cache.clear()
    return oidc_provider
