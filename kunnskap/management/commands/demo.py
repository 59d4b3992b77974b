"""`kunnskap demo`: a realistic Norwegian setting to try the service in; idempotent.

Kunnskapskommunen Helse Omsorg Vest (the cluster of the pilots in seeds 000 and 003) with its
municipalities and units, hubs for the cluster, KSF Vest and the nation, and one user per role.
Later capabilities add their own demo content; this command owns only the frame.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import Role, User
from kunnskap.assessments.example import example_load
from kunnskap.assessments.models import Assessment
from kunnskap.followup.example import example_load as followup_example_load
from kunnskap.followup.models import Adoption
from kunnskap.learning import demo as learning_demo
from kunnskap.learning.models import Team
from kunnskap.library import testset as library_testset
from kunnskap.library.models import Publication
from kunnskap.organisations import services as organisations
from kunnskap.organisations.models import Cluster, Hub, Municipality, Region, Unit
from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import AWAITING_SCREENING, Status
from kunnskap.proposals.models import Proposal
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Round
from kunnskap.taxonomy.models import ServiceArea, Theme

DEMO_PASSWORD = "kunnskap-demo"
CLUSTER = "Kunnskapskommunen Helse Omsorg Vest"
# Bergen is the motor; Meland and Lindås are Alver since 2020, Os is Bjørnafjorden.
CLUSTER_MUNICIPALITIES = ["4601", "4631", "4624", "4630", "4628"]
UNITS = [
    ("4601", "USHT Hordaland"),
    ("4601", "Etat for sykehjem"),
    ("4601", "Etat for hjemmebaserte tjenester"),
    ("4601", "Etat for barn og familie"),
    ("4630", "Helse og omsorg"),
    ("4631", "Helse og velferd"),
    ("4624", "Helse og mestring"),
    ("4628", "Omsorgstenesta"),
]
# Needs like those of the pilots (seed 003): (title, question, municipality, unit, service area,
# theme, status, days ago).
NEEDS = [
    (
        "Miljøterapeutiske tiltak mot uro ved demens",
        "Har sansehage, musikkterapi eller lysterapi bedre effekt enn legemidler mot uro og "
        "agitasjon hos sykehjemsbeboere med demens?",
        "4601",
        "Etat for sykehjem",
        "sykehjem",
        "demens-behandling",
        Status.ELIGIBLE,
        60,
    ),
    (
        "Økonomiske gevinster av velferdsteknologi",
        "Hvilke økonomiske gevinster gir velferdsteknologi sammenlignet med ordinære "
        "hjemmetjenester?",
        "4630",
        "",
        "hjemmetjenester",
        "velferdsteknologi",
        Status.ELIGIBLE,
        55,
    ),
    (
        "Honning på sår",
        "Gir behandling med honning raskere tilheling av kroniske sår enn vanlige bandasjer?",
        "4601",
        "USHT Hordaland",
        "hjemmetjenester",
        "hjemmeboende-vanlige-tilstander",
        Status.ELIGIBLE,
        50,
    ),
    (
        "Fallforebygging for hjemmeboende eldre",
        "Hvilke tiltak forebygger fall hos eldre som bor hjemme og har falt før?",
        "4624",
        "",
        "eldre",
        "forebygging-helsefremming",
        Status.ANSWERED,
        40,
    ),
    (
        "Underernæring i sykehjem",
        "Hvordan kan sykehjem oppdage og forebygge underernæring hos beboerne?",
        "4631",
        "",
        "sykehjem",
        "ernaering",
        Status.SCREENING,
        12,
    ),
    (
        "Oppfølging av unge med psykiske plager",
        "Hvilke lavterskeltilbud hjelper ungdom med lette psykiske plager?",
        "4628",
        "",
        "barn-og-unge",
        "psykisk-helse",
        Status.SUBMITTED,
        3,
    ),
]
PEOPLE: list[tuple[str, str, Role | None, str | None, str | None]] = [
    # e-mail, name, role, hub ("cluster", "region", "national"), municipality
    ("admin@demo.example", "Ada Administrator", None, None, None),
    ("forslag@demo.example", "Frida Forslagsstiller", Role.SUBMITTER, "cluster", "4601"),
    ("bibliotekar@demo.example", "Berit Bibliotekar", Role.SCREENER, "cluster", "4601"),
    ("utvalg1@demo.example", "Ulf Utvalg", Role.COMMITTEE, "cluster", "4630"),
    ("utvalg2@demo.example", "Unni Utvalg", Role.COMMITTEE, "cluster", "4631"),
    ("styring@demo.example", "Sigrid Styringsgruppe", Role.STEERING, "cluster", "4601"),
    ("produsent@demo.example", "Per Produsent", Role.PRODUCER, "cluster", None),
    ("redaktor@demo.example", "Rita Redaktør", Role.EDITOR, "national", None),
    ("fou@demo.example", "Farid FoU-kontakt", Role.COORDINATOR, "cluster", "4624"),
    ("vest@demo.example", "Vilde Vest", Role.SCREENER, "region", "4601"),
]


class Command(BaseCommand):
    help = "Create demo hubs, units and one user per role (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any user exists already."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (known passwords!)."
        )

    def handle(self, *args: Any, if_empty: bool, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have a published password: run with DEBUG=1 or --force.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database has users already; no demo data added.")
            return
        with transaction.atomic():
            hubs = self._hubs()
            for number, name in UNITS:
                municipality = Municipality.objects.get(number=number)
                if not Unit.objects.filter(municipality=municipality, name=name).exists():
                    organisations.unit_create(municipality=municipality, name=name)
            for email, name, role, hub_key, home in PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = accounts.user_create(
                        email=email,
                        full_name=name,
                        password=DEMO_PASSWORD,
                        municipality=Municipality.objects.filter(number=home).first(),
                        is_admin=role is None,
                    )
                if role is not None and hub_key is not None:
                    accounts.role_grant(user=user, role=role, hub=hubs[hub_key])
            if not Proposal.objects.exists():
                self._needs()
            if not Round.objects.exists():
                self._round(hubs["cluster"])
            if not Publication.objects.exists():
                self._library()
            if not Assessment.objects.exists():
                example_load(
                    lead=User.objects.get(email="fou@demo.example"),
                    method=User.objects.get(email="bibliotekar@demo.example"),
                    reviewer=User.objects.get(email="utvalg2@demo.example"),
                )
            example = Assessment.objects.filter(publication__isnull=False).first()
            if example is not None and not Adoption.objects.exists():
                assert example.publication is not None
                followup_example_load(
                    publication=example.publication,
                    editor=User.objects.get(email="redaktor@demo.example"),
                    lead=User.objects.get(email="fou@demo.example"),
                    bergen=User.objects.get(email="forslag@demo.example"),
                    alver=User.objects.get(email="utvalg2@demo.example"),
                )
            if not Team.objects.exists():
                learning_demo.load(password=DEMO_PASSWORD)
        self._report()

    def _needs(self) -> None:
        now = timezone.now()
        for title, question, number, unit, area, theme, status, days in NEEDS:
            municipality = Municipality.objects.get(number=number)
            submitted_at = now - timedelta(days=days)
            proposals.proposal_import(
                data=proposals.ProposalInput(
                    title=title,
                    question=question,
                    municipality=municipality,
                    unit=Unit.objects.filter(municipality=municipality, name=unit).first(),
                    service_area=ServiceArea.objects.get(key=area),
                    theme=Theme.objects.get(key=theme),
                    submitter_name="Frida Forslagsstiller",
                    submitter_email="forslag@demo.example",
                ),
                public_id=f"KB{submitted_at.year}-{Proposal.objects.count() + 1:03d}",
                status=status,
                submitted_at=submitted_at,
                accepted=status not in AWAITING_SCREENING,
            )

    def _library(self) -> None:
        """The publications of the library's test set, and the people at the demo producer."""
        call_command("import_publications", str(library_testset.PUBLICATIONS), verbosity=0)
        answered = Proposal.objects.filter(status=Status.ANSWERED).first()
        publication = Publication.objects.filter(source_id="musikk-demens").first()
        if answered is not None and publication is not None:
            publication.proposals.add(answered)

    def _round(self, hub: Hub) -> None:
        """A round of the cluster with its eligible needs, scoring open for Ulf and Unni."""
        today = timezone.localdate()
        secretariat = User.objects.get(email="bibliotekar@demo.example")
        round_ = rounds.round_create(
            hub=hub,
            name=f"Pilot 2.0 – {today.year}",
            actor=secretariat,
            capacity=3,
            proposals_close=today - timedelta(days=30),
            screening_deadline=today - timedelta(days=10),
            committee_meeting=today + timedelta(days=14),
            decision_meeting=today + timedelta(days=30),
            delivery=today + timedelta(days=120),
        )
        for email, chair in (("utvalg1@demo.example", True), ("utvalg2@demo.example", False)):
            rounds.member_add(
                round_=round_, user=User.objects.get(email=email), actor=secretariat, is_chair=chair
            )
        for proposal in Proposal.objects.filter(hub=hub, status=Status.ELIGIBLE):
            rounds.entry_add(round_=round_, proposal=proposal, actor=secretariat)
        if round_.entries.exists():
            rounds.scoring_open(round_=round_, actor=secretariat)

    def _hubs(self) -> dict[str, Hub]:
        cluster = Cluster.objects.filter(name=CLUSTER).first()
        if cluster is None:
            municipalities = Municipality.objects.filter(number__in=CLUSTER_MUNICIPALITIES)
            cluster = organisations.cluster_create(
                name=CLUSTER,
                motor=Municipality.objects.get(number="4601"),
                municipalities=municipalities,
            )
        cluster_hub = Hub.objects.filter(cluster=cluster).first() or organisations.hub_create(
            name=CLUSTER, cluster=cluster
        )
        region = Region.objects.get(name="KSF Vest")
        region_hub = Hub.objects.filter(region=region).first() or organisations.hub_create(
            name=region.name, region=region
        )
        national = Hub.objects.get(level="national")
        return {"cluster": cluster_hub, "region": region_hub, "national": national}

    def _report(self) -> None:
        self.stdout.write(
            self.style.SUCCESS("Demo data is in place. Sign in at /konto/logg-inn/ as:")
        )
        width = max(len(email) for email, *_ in PEOPLE)
        for email, _name, role, hub_key, _number in PEOPLE:
            label = Role(role).label if role else "administrator"
            self.stdout.write(f"  {email:<{width}}  {label} ({hub_key or 'all hubs'})")
        for email, name, _number in learning_demo.PEOPLE:
            self.stdout.write(f"  {email:<{width}}  {name} (Kunnskapsbroen)")
        self.stdout.write(f"Password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(
            "The administrator, screeners, steering group members and editors set up two-step "
            "sign-in (an authenticator app) the first time they sign in."
        )
