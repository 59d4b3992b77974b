"""Kunnskapsbroen in the cluster of the pilots: Lena leads a KBP team in Bergen's home care,
Rune is a researcher in the hub's researcher team, Berit (screener) organises courses."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kunnskap.accounts.models import User
from kunnskap.learning import services
from kunnskap.learning.models import Event, MemberRole, Team, TeamKind
from kunnskap.organisations.models import Municipality
from tests.conftest import make_person


@pytest.fixture
def lena(db) -> User:
    return make_person("lena@bergen.kommune.no", "Lena Lagleder", "4601")


@pytest.fixture
def rune(db) -> User:
    return make_person("rune@uib.example", "Rune Forsker", None)


@pytest.fixture
def researchers(hov_hub, berit, rune) -> Team:
    team = services.team_create(
        hub=hov_hub,
        actor=berit,
        data=services.TeamInput(name="Forskerlaget HOV", kind=TeamKind.RESEARCHER),
    )
    services.member_add(team=team, email=rune.email, role=MemberRole.RESEARCHER, actor=berit)
    return team


@pytest.fixture
def kbp_team(hov_hub, berit, lena, researchers) -> Team:
    team = services.team_create(
        hub=hov_hub,
        actor=berit,
        data=services.TeamInput(
            name="KBP-lag hjemmetjenesten Bergen",
            municipality=Municipality.objects.get(number="4601"),
            researcher_team=researchers,
        ),
    )
    services.member_add(team=team, email=lena.email, role=MemberRole.LEADER, actor=berit)
    return team


@pytest.fixture
def make_event(hov_hub, berit):
    def make(capacity: int = 20, kind: str = "course", **overrides: Any) -> Event:
        start = timezone.now() + timedelta(days=30)
        values: dict[str, Any] = {
            "hub": hov_hub,
            "actor": berit,
            "kind": kind,
            "title": "Kurs i mini-metodevurdering",
            "capacity": capacity,
            "registration_deadline": start - timedelta(days=7),
            "sessions": [
                services.SessionInput(start, start + timedelta(hours=6), "UiA, Kristiansand"),
                services.SessionInput(
                    start + timedelta(days=30),
                    start + timedelta(days=30, hours=2),
                    "https://video.example/mmv",
                ),
            ],
        }
        values.update(overrides)
        return services.event_create(**values)

    return make


def register(event: Event, number: int, **overrides: Any) -> services.Placed:
    values: dict[str, Any] = {
        "event": event,
        "name": f"Deltaker {number}",
        "email": f"deltaker{number}@bergen.kommune.no",
        "municipality": Municipality.objects.get(number="4601"),
    }
    values.update(overrides)
    return services.registration_create(**values)
