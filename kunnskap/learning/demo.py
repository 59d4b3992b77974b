"""Kunnskapsbroen in `kunnskap demo` (seed 000): the cluster of Sør-Rogaland with KBP teams, a
researcher team and a method team, a closed case of each kind, and KSF Agder's mini-HTA course
with its five sessions (two physical, three digital, February to June) and 23 participants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import Role, User
from kunnskap.assessments.models import Assessment
from kunnskap.library.models import Publication
from kunnskap.organisations import services as organisations
from kunnskap.organisations.models import Cluster, Hub, Municipality, Region
from kunnskap.screening.models import LiteratureSource

from . import services
from .models import MemberRole, ResourceKind, TeamKind

CLUSTER = "Klyngen i Sør-Rogaland"
CLUSTER_MUNICIPALITIES = ["1103", "1108", "1124", "1127", "1119", "1120", "1121", "1122"]
AGDER = ["4204", "4203", "4202", "4205", "4215", "4223", "4225", "4213", "4201", "4206"]
PEOPLE = [
    ("sor-rogaland@demo.example", "Solveig Sekretariat", "1103"),
    ("lagleder@demo.example", "Lars Lagleder", "1103"),
    ("kbp@demo.example", "Kari KBP-medlem", "1103"),
    ("forsker@demo.example", "Frode Forsker", None),
    ("ksf-agder@demo.example", "Aud Agder", "4204"),
]
RESOURCES = [
    (
        ResourceKind.ELEARNING,
        "Helsebiblioteket: kurs i kunnskapsbasert praksis",
        "https://www.helsebiblioteket.no/",
    ),
    (ResourceKind.TEMPLATE, "Mal for mini-metodevurdering", "https://www.fhi.no/"),
    (
        ResourceKind.GUIDE,
        "Kunnskapsbasert praksis: steg for steg",
        "https://www.kunnskapsbasertpraksis.no/",
    ),
]


def _person(email: str, name: str, number: str | None, password: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or accounts.user_create(
        email=email,
        full_name=name,
        password=password,
        municipality=Municipality.objects.filter(number=number).first(),
    )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(*, password: str) -> None:
    """Create the demo's Kunnskapsbroen (called once, when no team exists)."""
    people = {email: _person(email, name, number, password) for email, name, number in PEOPLE}
    cluster = Cluster.objects.filter(name=CLUSTER).first() or organisations.cluster_create(
        name=CLUSTER,
        motor=Municipality.objects.get(number="1103"),
        municipalities=Municipality.objects.filter(number__in=CLUSTER_MUNICIPALITIES),
    )
    hub = Hub.objects.filter(cluster=cluster).first() or organisations.hub_create(
        name=CLUSTER, cluster=cluster
    )
    secretariat = people["sor-rogaland@demo.example"]
    accounts.role_grant(user=secretariat, role=Role.SCREENER, hub=hub)
    researchers = services.team_create(
        hub=hub,
        actor=secretariat,
        data=services.TeamInput(
            name="Forskerlaget i Sør-Rogaland",
            kind=TeamKind.RESEARCHER,
            description="Forskere fra UiS og VID og praktikere som veileder hverandre.",
        ),
    )
    services.member_add(
        team=researchers,
        email="forsker@demo.example",
        role=MemberRole.RESEARCHER,
        actor=secretariat,
    )
    method = services.team_create(
        hub=hub,
        actor=secretariat,
        data=services.TeamInput(
            name="Metodelaget",
            kind=TeamKind.METHOD,
            description="Utvikler verktøy og veileder gjennom hele prosessen.",
        ),
    )
    services.member_add(
        team=method, email=secretariat.email, role=MemberRole.LEADER, actor=secretariat
    )
    for kind, title, url in RESOURCES:
        services.resource_add(hub=hub, actor=secretariat, kind=kind, title=title, url=url)
    stavanger = services.team_create(
        hub=hub,
        actor=secretariat,
        data=services.TeamInput(
            name="KBP-lag hjemmetjenesten Stavanger",
            municipality=Municipality.objects.get(number="1103"),
            researcher_team=researchers,
        ),
    )
    services.team_create(
        hub=hub,
        actor=secretariat,
        data=services.TeamInput(
            name="KBP-lag sykehjem Sandnes",
            municipality=Municipality.objects.get(number="1108"),
            researcher_team=researchers,
        ),
    )
    leader = people["lagleder@demo.example"]
    researcher = people["forsker@demo.example"]
    services.member_add(
        team=stavanger, email=leader.email, role=MemberRole.LEADER, actor=secretariat
    )
    services.member_add(
        team=stavanger, email="kbp@demo.example", role=MemberRole.MEMBER, actor=leader
    )
    _cases(stavanger, leader, researcher)
    _course(people["ksf-agder@demo.example"])


def _cases(team: Any, leader: User, researcher: User) -> None:
    source = LiteratureSource.objects.filter(is_active=True).first()
    found = services.case_open(
        team=team,
        actor=leader,
        title="Musikk mot uro hos hjemmeboende med demens",
        question="Reduserer musikk i hverdagen uro hos hjemmeboende personer med demens?",
        population="Hjemmeboende personer med demens",
        intervention="Musikkbasert miljøbehandling",
    )
    services.case_mentor_assign(case=found, actor=researcher, mentor=researcher)
    if source is not None:
        services.case_search_add(
            case=found,
            actor=researcher,
            source=source,
            query="music AND dementia AND agitation",
            searched_on=timezone.localdate() - timedelta(days=20),
            results=14,
        )
    publication = Publication.objects.filter(status="published").order_by("pk").first()
    services.case_finding_add(
        case=found,
        actor=leader,
        title="Musikkbasert miljøbehandling for personer med demens",
        kind="systematic_review",
        note="Reduserer trolig uro",
    )
    services.case_close_found(
        case=found,
        actor=leader,
        conclusion="Forskningen viser at musikk trolig reduserer uro; laget prøver det ut.",
        publications=[publication] if publication else [],
    )
    need = services.case_open(
        team=team,
        actor=leader,
        title="Digitale tilsyn om natten i hjemmetjenesten",
        question="Gir digitalt nattilsyn like trygge netter som fysisk tilsyn for hjemmeboende?",
        population="Hjemmeboende eldre med nattlige tilsyn",
        intervention="Kamera- og sensorbasert tilsyn",
        comparison="Fysisk tilsyn",
        outcome="Fall, uønskede hendelser, søvn",
    )
    if source is not None:
        services.case_search_add(
            case=need,
            actor=leader,
            source=source,
            query="remote monitoring AND night AND home care",
            searched_on=timezone.localdate() - timedelta(days=7),
            results=3,
        )
    services.case_note_add(
        case=need,
        actor=leader,
        text="Ingen studier fra hjemmetjenesten; tas videre.",
        decision=True,
    )
    services.case_submit_as_need(
        case=need,
        actor=leader,
        conclusion="Ingen studier sammenligner digitalt og fysisk nattilsyn.",
    )


def _course(organiser: User) -> None:
    region = Region.objects.get(name="KSF Sør")
    hub = Hub.objects.filter(region=region).first() or organisations.hub_create(
        name=region.name, region=region
    )
    accounts.role_grant(user=organiser, role=Role.COORDINATOR, hub=hub)
    today = timezone.localdate()
    year = today.year + 1
    days = [
        date(year, 2, 10),
        date(year, 3, 10),
        date(year, 4, 14),
        date(year, 5, 12),
        date(year, 6, 9),
    ]
    sessions = [
        services.SessionInput(
            _at(day, 9),
            _at(day, 15 if day in (days[0], days[-1]) else 11),
            "Universitetet i Agder, Kristiansand"
            if day in (days[0], days[-1])
            else "Teams (lenke i e-posten)",
        )
        for day in days
    ]
    course = services.event_create(
        hub=hub,
        actor=organiser,
        kind="course",
        title="Kurs i mini-metodevurdering i KSF Agder",
        description=(
            "For FoU-kontakter i kommunene i Agder. Bibliotekarer og forskere ved UiA er med. "
            "Målet er at hver deltaker gjør en mini-metodevurdering og publiserer den."
        ),
        capacity=25,
        registration_deadline=_at(days[0] - timedelta(days=14), 12),
        sessions=sessions,
        municipalities=Municipality.objects.filter(number__in=AGDER),
    )
    municipalities = list(Municipality.objects.filter(number__in=AGDER).order_by("number"))
    for number in range(1, 24):
        services.registration_create(
            event=course,
            name=f"FoU-kontakt {number}",
            email=f"fou{number}@agder.demo.example",
            municipality=municipalities[number % len(municipalities)],
        )
    for kind, title, url in RESOURCES:
        services.resource_add(
            hub=hub, actor=organiser, kind=kind, title=title, url=url, event=course
        )
    published = Assessment.objects.filter(status="published").first()
    if published is not None:
        admin = User.objects.filter(is_superuser=True).first() or organiser
        services.course_assessment_link(event=course, assessment=published, actor=admin)
