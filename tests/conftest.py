"""Personas shared by every test: people of Kunnskapskommunen Helse Omsorg Vest and beyond.

Frida submits needs from Bergen; Berit screens them for the cluster's hub; Ulf (Osterøy) and
Unni (Alver) sit on the committee; Sigrid is in the steering group; Vilde screens for KSF Vest;
Tor (Askøy) is the third committee member of the round fixtures;
Otto has an account and no role at all; Ada is the administrator.
"""

import importlib
from collections.abc import Callable
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
from kunnskap.proposals.screening import proposal_screen
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Member, Round

PASSWORD = "riktig-hest-batteri-stift"


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


DATA_MIGRATIONS = [
    "kunnskap.organisations.migrations.0002_reference_data",
    "kunnskap.taxonomy.migrations.0002_seed_terms",
    "kunnskap.proposals.migrations.0002_literature_sources",
    "kunnskap.commissions.migrations.0002_producers",
    "kunnskap.assessments.migrations.0002_default_template",
]


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Put back what the data migrations load, after a transactional test's flush removed it.

    Ordinary tests roll back and keep the migrated rows; transactional ones (the worker, the
    browser) end with a flush of every table.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    if not Municipality.objects.exists():
        from django.apps import apps

        for module in DATA_MIGRATIONS:
            importlib.import_module(module).forwards(apps, None)


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
        proposals._index(proposal)
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
