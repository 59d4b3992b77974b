"""Synthetic national-scale data for benchmarks and demonstrations (`kunnskap generate`).

Realistic Norwegian knowledge needs spread over every municipality, service area, theme, status
and year since 2019, with endorsements, history, rounds with committees and scores, decisions
and commissions, and a library of publications of every kind. The same seed gives the same
data. Rows go in with bulk inserts in batches, and the search index with `documents_add`, so
100,000 needs take minutes, not hours.

The generated rows use the public-id year range 2019–2026 and the e-mail domain
`generert.example`; run it on an empty database (a benchmark or demo database), not beside real
data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate, batched

from django.db import connection, transaction
from django.utils import timezone

from kunnskap.accounts.models import Role, RoleAssignment, User
from kunnskap.commissions.models import Commission, Milestone, MilestoneKind, Producer
from kunnskap.insights import cache as statistics_cache
from kunnskap.library import cache as library_cache
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.organisations.models import Hub, HubLevel, Municipality, Region
from kunnskap.proposals import cache as proposal_cache
from kunnskap.proposals.choices import UNSCREENED_STATUSES, Source, Status
from kunnskap.proposals.models import Endorsement, Proposal, ProposalCounter, ProposalEvent
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry, Member, Outcome, Round, Score, Scorecard, Stage
from kunnskap.search.services import NewDocument, documents_add
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme

BATCH = 5_000
YEARS = range(2019, 2027)
DOMAIN = "generert.example"

INTERVENTIONS = [
    "musikkterapi",
    "sansehage",
    "lysterapi",
    "velferdsteknologi",
    "digitalt nattilsyn",
    "fallforebyggende trening",
    "hverdagsrehabilitering",
    "ernæringskartlegging",
    "trykksårforebygging",
    "kognitiv atferdsterapi",
    "gruppebasert styrketrening",
    "e-læring for ansatte",
    "GPS-sporing",
    "medisindispenser",
    "honning på sår",
    "videokonsultasjon",
    "familieråd",
    "foreldreveiledning",
    "aktivitetsvenn",
    "samtalegrupper",
    "tverrfaglige team",
    "oppfølging etter utskrivning",
    "ACP-samtaler",
    "miljøterapi",
    "munnstell",
]
POPULATIONS = [
    "sykehjemsbeboere med demens",
    "hjemmeboende eldre",
    "barn i barnevernet",
    "ungdom med angst",
    "personer med utviklingshemming",
    "pårørende til personer med demens",
    "brukere med sammensatte behov",
    "gravide i kommunal svangerskapsomsorg",
    "personer med rusproblemer",
    "eldre etter hoftebrudd",
    "barn med overvekt",
    "personer med KOLS",
    "ansatte i hjemmetjenesten",
    "flyktninger med traumer",
    "personer i livets sluttfase",
]
OUTCOMES = [
    "uro og agitasjon",
    "fall",
    "ensomhet",
    "livskvalitet",
    "sykehusinnleggelser",
    "trykksår",
    "underernæring",
    "søvnkvalitet",
    "funksjonsnivå",
    "bruk av tvang",
    "sykefravær",
    "skolefravær",
    "tilbakefall",
    "legemiddelbruk",
    "mestring i hverdagen",
]
# A longer tail of words, as real text has: compounds of a first part and a head
# ("fall" + "forebygging"), groups with conditions, settings, and a second sentence. Every list
# is drawn with Zipf weights (the first item often, the last rarely), so some words are in a
# tenth of the documents and most in a few hundredths of a percent.
ZIPF = 0.7
# fmt: off
FIRST_PARTS = [
    "fall", "sår", "demens", "rus", "søvn", "ernærings", "legemiddel", "smerte", "hjerte",
    "diabetes", "slag", "hørsels", "syns", "munn", "tann", "hud", "kreft", "lunge", "nyre",
    "angst", "depresjons", "traume", "overvekts", "aktivitets", "mestrings", "bevegelses",
    "hukommelses", "inkontinens", "trykksår", "infeksjons", "smittevern", "vaksinasjons",
    "væske", "rehabiliterings", "kommunikasjons", "språk", "lese", "skole", "foreldre",
    "familie", "pårørende", "bolig", "arbeids", "tvangs", "selvmords", "vold", "ensomhets",
    "kosthold", "tobakk", "alkohol",
]
HEADS = [
    "forebygging", "behandling", "kartlegging", "oppfølging", "veiledning", "opplæring",
    "screening", "trening", "samtaler", "team", "rutiner", "plan", "koordinator", "vurdering",
    "tiltak", "program", "gruppe", "kurs", "verktøy", "sjekkliste", "registrering", "støtte",
    "tilbud", "observasjon", "dokumentasjon",
]
GROUPS = [
    "eldre", "barn", "ungdom", "voksne", "gravide", "sykehjemsbeboere", "hjemmeboende eldre",
    "pasienter", "brukere", "innvandrere", "studenter", "ansatte", "kvinner", "menn",
    "flyktninger", "pårørende",
]
CONDITIONS = [
    "med demens", "med diabetes type 2", "med KOLS", "etter hjerneslag", "med hørselstap",
    "med nedsatt syn", "med angst", "med depresjon", "med rusproblemer", "med overvekt",
    "med kreft", "med kroniske smerter", "med utviklingshemming", "med autisme", "med ADHD",
    "etter hoftebrudd", "med hjertesvikt", "med epilepsi", "med psykoselidelser",
    "med spiseforstyrrelser", "med multippel sklerose", "med Parkinsons sykdom",
    "i livets sluttfase", "med langvarig utmattelse", "med urinlekkasje",
    "med sammensatte behov",
]
SETTINGS = [
    "på sykehjem", "i hjemmetjenesten", "på helsestasjonen", "i skolehelsetjenesten",
    "på legevakten", "i barnevernet", "i NAV", "hos fastlegen", "i omsorgsboliger",
    "på korttidsavdelingen", "i dagaktivitetstilbudet", "i rustjenesten",
    "i psykisk helsetjeneste", "i frisklivssentralen", "i barnehagen",
    "i fengselshelsetjenesten",
]
MORE_OUTCOMES = [
    "smerte", "angst", "depresjon", "hørsel", "tannhelse", "munnhelse", "vektendring",
    "medisineringsfeil", "infeksjoner", "reinnleggelser", "pårørendebelastning",
    "brukertilfredshet", "arbeidsdeltakelse", "kostnader", "ventetid", "selvmordsforsøk",
    "skader", "fysisk aktivitet", "kognitiv funksjon", "gjennomføring av skole",
]
QUESTIONS = [
    "Har {intervention} effekt på {outcome} hos {population} {setting}?",
    "Hvilken virkning har {intervention} på {outcome} for {population} {setting}?",
    "Hva vet vi om {intervention} og {outcome} hos {population}?",
    "Bør vi tilby {intervention} til {population} {setting} for å bedre {outcome}?",
]
REASONS = [
    "og trenger å vite hva forskningen sier om {outcome}.",
    "og lurer på om det finnes kunnskap om {outcome}.",
    "men vet lite om virkningen på {outcome}.",
    "og ønsker en oppsummering av studier om {outcome}.",
]
SECOND_SENTENCES = [
    "Ansatte melder om økende behov for {compound}.",
    "Tjenesten mangler gode rutiner for {compound}.",
    "Vi har erfaring med {compound}, men ikke med {intervention}.",
    "Mange {group} venter i dag på {compound}.",
    "Kommunen har fått midler til {compound} {setting}.",
    "Det er uenighet i fagmiljøet om {compound} virker.",
    "",
]
# fmt: on

# How the generated needs are spread over the statuses (weights, not shares).
STATUSES = {
    Status.SUBMITTED: 3,
    Status.SCREENING: 3,
    Status.NEEDS_CLARIFICATION: 1,
    Status.ANSWERED: 16,
    Status.PARTLY_ANSWERED: 6,
    Status.DUPLICATE: 5,
    Status.OUT_OF_SCOPE: 3,
    Status.ELIGIBLE: 10,
    Status.RESEARCH_GAP: 5,
    Status.IN_ROUND: 4,
    Status.NOT_RECOMMENDED: 8,
    Status.NOT_COMMISSIONED: 10,
    Status.DEFERRED: 2,
    Status.COMMISSIONED: 4,
    Status.IN_PRODUCTION: 4,
    Status.DELIVERED: 3,
    Status.PUBLISHED: 13,
}
IN_ROUND = {Status.IN_ROUND}
DECIDED = {
    Status.NOT_COMMISSIONED: Outcome.NOT_COMMISSIONED,
    Status.DEFERRED: Outcome.DEFERRED,
    Status.COMMISSIONED: Outcome.COMMISSIONED,
    Status.IN_PRODUCTION: Outcome.COMMISSIONED,
    Status.DELIVERED: Outcome.COMMISSIONED,
    Status.PUBLISHED: Outcome.COMMISSIONED,
}
RECOMMENDED_ONLY = {Status.NOT_RECOMMENDED}
COMMISSION_STATUS: dict[Status, str] = {
    Status.IN_PRODUCTION: "in_production",
    Status.DELIVERED: "delivered",
    Status.PUBLISHED: "delivered",
}
COMMITTEE_SIZE = 6


@dataclass
class Report:
    proposals: int = 0
    endorsements: int = 0
    events: int = 0
    rounds: int = 0
    entries: int = 0
    scores: int = 0
    commissions: int = 0
    users: int = 0
    publications: int = 0
    indexed: int = 0
    adoptions: int = 0
    evaluations: int = 0
    pilots: int = 0


def _in_batches[T](rows: Iterator[T], make: Callable[[list[T]], object]) -> int:
    count = 0
    for batch in batched(rows, BATCH):
        make(list(batch))
        count += len(batch)
    return count


class Generator:
    def __init__(self, *, seed: int, progress: Callable[[str], None] = lambda _: None) -> None:
        self.rng = random.Random(seed)
        self.progress = progress
        self.report = Report()
        self._weights: dict[int, list[float]] = {}  # Zipf's cumulative weights by list length

    # -- The frame: region hubs, users, committees.

    def hubs(self) -> dict[int, Hub]:
        """Every KSF region runs a hub (the proposals of its municipalities go there)."""
        by_region = {}
        for region in Region.objects.order_by("pk"):
            hub = Hub.objects.filter(region=region).first() or Hub.objects.create(
                name=region.name, level=HubLevel.REGION, region=region
            )
            by_region[region.pk] = hub
        return by_region

    def users(self, hubs: list[Hub], municipalities: list[Municipality]) -> dict[int, list[User]]:
        """A committee pool per hub: ten municipal representatives each, plus a secretariat."""
        people = []
        for hub in hubs:
            for n in range(10):
                people.append(
                    User(
                        email=f"utvalg{n}.hub{hub.pk}@{DOMAIN}",
                        full_name=f"Utvalgsmedlem {n + 1} {hub.name}",
                        municipality=self.rng.choice(municipalities),
                        password="!",  # unusable
                    )
                )
            people.append(
                User(
                    email=f"sekretariat.hub{hub.pk}@{DOMAIN}",
                    full_name=f"Sekretariat {hub.name}",
                    password="!",
                )
            )
        created = User.objects.bulk_create(people)
        self.report.users += len(created)
        pools: dict[int, list[User]] = defaultdict(list)
        roles = []
        for user in created:
            hub_id = int(user.email.split(".hub")[1].split("@")[0])
            role = Role.SCREENER if user.email.startswith("sekretariat") else Role.COMMITTEE
            roles.append(RoleAssignment(user=user, role=role, hub_id=hub_id))
            if role == Role.COMMITTEE:
                pools[hub_id].append(user)
        RoleAssignment.objects.bulk_create(roles)
        return pools

    # -- Needs.

    def _zipf(self, items: list[str]) -> str:
        weights = self._weights.get(len(items))
        if weights is None:
            weights = self._weights[len(items)] = list(
                accumulate(rank**-ZIPF for rank in range(1, len(items) + 1))
            )
        return self.rng.choices(items, cum_weights=weights)[0]

    def _compound(self) -> str:
        return self._zipf(FIRST_PARTS) + self._zipf(HEADS)

    def _text(self, place: str = "") -> tuple[str, str, str]:
        """A title, a question and a background, in words of a long-tailed vocabulary."""
        intervention = self.rng.choice(INTERVENTIONS) if self.rng.random() < 0.5 else None
        intervention = intervention or self._compound()
        if self.rng.random() < 0.5:
            population = self.rng.choice(POPULATIONS)
        else:
            population = f"{self._zipf(GROUPS)} {self._zipf(CONDITIONS)}"
        outcome = self._zipf(OUTCOMES + MORE_OUTCOMES)
        setting = self._zipf(SETTINGS)
        title = f"{intervention[0].upper()}{intervention[1:]} for {population}"
        question = self.rng.choice(QUESTIONS).format(
            intervention=intervention, outcome=outcome, population=population, setting=setting
        )
        who = f"Vi i {place}" if place else "Tjenestene"
        second = self.rng.choice(SECOND_SENTENCES).format(
            compound=self._compound(),
            intervention=intervention,
            group=self._zipf(GROUPS),
            setting=self._zipf(SETTINGS),
        )
        reason = self.rng.choice(REASONS).format(outcome=outcome)
        background = f"{who} vurderer å innføre {intervention} {reason} {second}".strip()
        return title, question, background

    def proposals(self, n: int, hubs: dict[int, Hub]) -> list[Proposal]:
        municipalities = list(Municipality.objects.select_related("county"))
        areas = list(ServiceArea.objects.all())
        themes = list(Theme.objects.all())
        statuses = list(STATUSES)
        weights = list(STATUSES.values())
        per_year: dict[int, int] = defaultdict(int)
        national = Hub.objects.get(level=HubLevel.NATIONAL)
        rows = []
        for _ in range(n):
            year = self.rng.choice(YEARS)
            per_year[year] += 1
            municipality = self.rng.choice(municipalities)
            status = self.rng.choices(statuses, weights)[0]
            submitted = timezone.make_aware(
                datetime(year, 1, 1) + timedelta(days=self.rng.randrange(0, 360))
            )
            title, question, background = self._text(municipality.name)
            rows.append(
                Proposal(
                    public_id=f"KB{year}-{per_year[year]:05d}",
                    year=year,
                    number=per_year[year],
                    hub=hubs.get(municipality.county.region_id or 0) or national,
                    status=status,
                    title=title,
                    question=question,
                    background=background,
                    municipality=municipality,
                    service_area=self.rng.choice(areas),
                    theme=self.rng.choice(themes),
                    submitter_name="Generert forslagsstiller",
                    submitter_email=f"forslag{self.rng.randrange(10_000)}@{DOMAIN}",
                    source=Source.IMPORT,
                    submitted_at=submitted,
                    accepted_at=None
                    if status in UNSCREENED_STATUSES or status == Status.OUT_OF_SCOPE
                    else submitted + timedelta(days=self.rng.randrange(3, 40)),
                )
            )
        created: list[Proposal] = []
        self.report.proposals += _in_batches(
            iter(rows), lambda batch: created.extend(Proposal.objects.bulk_create(batch))
        )
        ProposalCounter.objects.bulk_create(
            [ProposalCounter(year=year, last_number=last) for year, last in per_year.items()],
            update_conflicts=True,
            unique_fields=["year"],
            update_fields=["last_number"],
        )
        return created

    def endorsements(self, proposals: list[Proposal], municipalities: list[Municipality]) -> None:
        def rows() -> Iterator[Endorsement]:
            for proposal in proposals:
                yield Endorsement(
                    proposal=proposal,
                    municipality_id=proposal.municipality_id,
                    is_original=True,
                    name=proposal.submitter_name,
                    email=proposal.submitter_email,
                )
                if proposal.accepted_at is None:
                    continue
                extra = min(int(self.rng.expovariate(0.7)), 12)
                for other in self.rng.sample(municipalities, extra):
                    if other.pk != proposal.municipality_id:
                        yield Endorsement(proposal=proposal, municipality=other)

        self.report.endorsements += _in_batches(
            rows(), lambda batch: Endorsement.objects.bulk_create(batch, ignore_conflicts=True)
        )

    def events(self, proposals: list[Proposal]) -> None:
        """The submission and the latest step, with dates, for each need's timeline."""

        def rows() -> Iterator[ProposalEvent]:
            for proposal in proposals:
                yield ProposalEvent(
                    proposal=proposal,
                    at=proposal.submitted_at,
                    to_status=Status.SUBMITTED,
                    actor_label="Import",
                )
                if proposal.status != Status.SUBMITTED:
                    yield ProposalEvent(
                        proposal=proposal,
                        at=(proposal.accepted_at or proposal.submitted_at)
                        + timedelta(days=self.rng.randrange(0, 200)),
                        from_status=Status.SUBMITTED,
                        to_status=proposal.status,
                        actor_label="Import",
                    )

        self.report.events += _in_batches(rows(), ProposalEvent.objects.bulk_create)

    def index(self, proposals: list[Proposal]) -> None:
        self.report.indexed += documents_add(
            NewDocument(
                kind="proposal",
                key=p.public_id,
                title=p.title,
                body="\n".join([p.question, p.background]),
                public=p.accepted_at is not None,
            )
            for p in proposals
        )

    # -- Rounds, scores, decisions, commissions.

    def rounds(self, proposals: list[Proposal], pools: dict[int, list[User]]) -> None:
        """Two rounds a year per hub; each takes the needs of its hub and half-year that got as
        far as a round, with a committee of six that scored every one of them."""
        grouped: dict[tuple[int, int, int], list[Proposal]] = defaultdict(list)
        for proposal in proposals:
            if proposal.status in IN_ROUND | RECOMMENDED_ONLY or proposal.status in DECIDED:
                half = 0 if proposal.submitted_at.month <= 6 else 1
                grouped[(proposal.hub_id, proposal.year, half)].append(proposal)
        hubs = {hub.pk: hub for hub in Hub.objects.filter(pk__in={k[0] for k in grouped})}
        producer = Producer.objects.order_by("pk").first()
        secretariat = {
            hub_id: User.objects.get(email=f"sekretariat.hub{hub_id}@{DOMAIN}") for hub_id in hubs
        }
        for (hub_id, year, half), needs in sorted(grouped.items()):
            meeting = date(year, 10 if half else 4, 22)
            open_round = year == max(YEARS) and half == 1
            round_ = rounds.round_create(
                hub=hubs[hub_id],
                name=f"{hubs[hub_id].name} {'høst' if half else 'vår'} {year}",
                actor=secretariat[hub_id],
                capacity=max(3, len(needs) // 4),
                committee_meeting=meeting,
                decision_meeting=meeting + timedelta(days=16),
            )
            self.report.rounds += 1
            members = Member.objects.bulk_create(
                Member(
                    round=round_,
                    user=user,
                    is_chair=n == 0,
                    submitted_at=timezone.make_aware(
                        datetime.combine(meeting, datetime.min.time())
                    ),
                )
                for n, user in enumerate(self.rng.sample(pools[hub_id], COMMITTEE_SIZE))
            )
            entries = Entry.objects.bulk_create(
                self._entry(round_, proposal, rank, meeting)
                for rank, proposal in enumerate(needs, start=1)
            )
            self.report.entries += len(entries)
            criteria = list(round_.criteria.all())
            cards = Scorecard.objects.bulk_create(
                Scorecard(entry=entry, member=member, recused=self.rng.random() < 0.03)
                for entry in entries
                for member in members
            )
            self._scores([card for card in cards if not card.recused], criteria)
            round_.stage = Stage.SCORING if open_round else Stage.DECIDED
            round_.scoring_closed_at = None if open_round else round_.created_at
            round_.recommended_at = None if open_round else round_.created_at
            round_.save(update_fields=["stage", "scoring_closed_at", "recommended_at"])
            commissions = [
                Commission(
                    entry=entry,
                    proposal_id=entry.proposal_id,
                    hub_id=hub_id,
                    producer=producer,
                    question=f"Oppsummert forskning: {entry.proposal_id}",
                    product_kind=entry.product_kind,
                    due_on=meeting + timedelta(days=150),
                    status=COMMISSION_STATUS.get(Status(entry.proposal.status), "ordered"),
                    delivered_on=meeting + timedelta(days=140)
                    if entry.proposal.status in (Status.DELIVERED, Status.PUBLISHED)
                    else None,
                )
                for entry in entries
                if entry.decision == Outcome.COMMISSIONED
            ]
            created = Commission.objects.bulk_create(commissions)
            Milestone.objects.bulk_create(
                Milestone(
                    commission=commission,
                    kind=MilestoneKind.DELIVERED,
                    due_on=commission.due_on,
                    done_on=commission.delivered_on,
                )
                for commission in created
            )
            self.report.commissions += len(created)

    def _entry(self, round_: Round, proposal: Proposal, rank: int, meeting: date) -> Entry:
        decision = DECIDED.get(Status(proposal.status), "")
        recommended = None if proposal.status in IN_ROUND else decision == Outcome.COMMISSIONED
        return Entry(
            round=round_,
            proposal=proposal,
            product_kind=self.rng.choice(
                [PublicationKind.SHORT_SUMMARY] * 4 + [PublicationKind.SYSTEMATIC_REVIEW]
            ),
            rank=None if proposal.status in IN_ROUND else rank,
            recommended=recommended,
            decision=decision,
            rationale="Vedtatt i styringsgruppen." if decision else "",
            decided_on=meeting + timedelta(days=16) if decision else None,
            decided_at=timezone.make_aware(datetime.combine(meeting, datetime.min.time()))
            if decision
            else None,
        )

    def _scores(self, scorecards: list[Scorecard], criteria: list) -> None:
        leans: dict[int, int] = {}

        def rows() -> Iterator[Score]:
            for card in scorecards:
                # Members lean the same way on a need: a shared tendency plus their own noise.
                lean = leans.setdefault(card.entry_id, self.rng.randint(1, 5))
                for criterion in criteria:
                    value = min(5, max(1, lean + self.rng.choice((-1, 0, 0, 1))))
                    yield Score(
                        scorecard=card,
                        criterion=criterion,
                        value=None if self.rng.random() < 0.04 else value,
                    )

        self.report.scores += _in_batches(rows(), Score.objects.bulk_create)

    # -- The library.

    def publications(self, n: int, needs: list[Proposal]) -> None:
        """Products of every kind: most published, some ongoing; the published needs get theirs."""
        producers = list(Producer.objects.all())
        themes = list(Theme.objects.all())
        areas = list(ServiceArea.objects.all())
        municipalities = list(Municipality.objects.all())
        answered = [p for p in needs if p.status == Status.PUBLISHED]
        kinds = list(PublicationKind.values)
        rows = []
        for number in range(n):
            title, question, background = self._text()
            kind = self.rng.choice(kinds)
            year = self.rng.choice(YEARS)
            ongoing = self.rng.random() < 0.08
            rows.append(
                Publication(
                    title=title,
                    kind=kind,
                    status=PublicationStatus.ONGOING if ongoing else PublicationStatus.PUBLISHED,
                    summary=f"{question} {background} Oppsummeringen samler studier fra Norden.",
                    question=question,
                    producer=self.rng.choice(producers),
                    published_on=None if ongoing else date(year, self.rng.randint(1, 12), 15),
                    expected_on=date(max(YEARS) + 1, 6, 1) if ongoing else None,
                    municipality=self.rng.choice(municipalities)
                    if kind == PublicationKind.MINI_HTA
                    else None,
                    source_id=f"generert-{number}",
                )
            )
        created: list[Publication] = []
        self.report.publications += _in_batches(
            iter(rows), lambda batch: created.extend(Publication.objects.bulk_create(batch))
        )
        Through = Publication.themes.through
        _in_batches(
            (Through(publication_id=p.pk, theme_id=self.rng.choice(themes).pk) for p in created),
            Through.objects.bulk_create,
        )
        AreaThrough = Publication.service_areas.through
        _in_batches(
            (
                AreaThrough(publication_id=p.pk, servicearea_id=self.rng.choice(areas).pk)
                for p in created
            ),
            AreaThrough.objects.bulk_create,
        )
        NeedThrough = Publication.proposals.through
        _in_batches(
            (
                NeedThrough(publication_id=publication.pk, proposal_id=need.pk)
                for publication, need in zip(created, answered, strict=False)
            ),
            NeedThrough.objects.bulk_create,
        )
        self.report.indexed += documents_add(
            NewDocument(
                kind="publication",
                key=str(p.pk),
                title=p.title,
                body="\n".join([p.summary, p.question]),
            )
            for p in created
        )

    # -- Follow-up: what the municipalities did with the products, and their pilots.

    def followup(self, needs: list[Proposal]) -> None:
        """Adoptions of about a third of the published products by one to six municipalities
        each, along the real path (steps with dates after publication), evaluations of some,
        and a pilot register of one pilot per twenty needs, indexed for search."""
        from kunnskap.followup.models import (
            Adoption,
            AdoptionStatus,
            AdoptionStep,
            Evaluation,
            Measure,
            NotAdoptedReason,
            OldPractice,
            Pilot,
            Verdict,
        )
        from kunnskap.followup.services import PILOT_KIND, default_evaluation_due

        today = timezone.localdate()
        municipalities = list(Municipality.objects.order_by("number"))
        themes = list(Theme.objects.order_by("pk"))
        areas = list(ServiceArea.objects.order_by("pk"))
        # A product made to order belongs to its commission (the accountability chain).
        commission_of = dict(Commission.objects.values_list("proposal_id", "pk"))
        linked = []
        for publication_id, proposal_id in Publication.proposals.through.objects.filter(
            publication__commission__isnull=True
        ).values_list("publication_id", "proposal_id"):
            if proposal_id in commission_of:
                linked.append(
                    Publication(pk=publication_id, commission_id=commission_of.pop(proposal_id))
                )
        Publication.objects.bulk_update(linked, ["commission"], batch_size=BATCH)
        published = list(
            Publication.objects.filter(status=PublicationStatus.PUBLISHED, published_on__lte=today)
            .order_by("pk")
            .values_list("pk", "published_on")
        )
        paths = [
            [AdoptionStatus.CONSIDERING],
            [AdoptionStatus.CONSIDERING, AdoptionStatus.DECIDED_TO_ADOPT],
            [AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE],
            [AdoptionStatus.CONSIDERING, AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE],
            [AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE, AdoptionStatus.EVALUATED],
            [AdoptionStatus.CONSIDERING, AdoptionStatus.NOT_ADOPTED],
        ]
        adoptions: list[Adoption] = []
        walks: list[list[tuple[str, date]]] = []
        for publication_id, published_on in published:
            if published_on is None or self.rng.random() > 0.33:
                continue
            for municipality in self.rng.sample(municipalities, self.rng.randint(1, 6)):
                path = self.rng.choice(paths)
                day: date = published_on
                walk: list[tuple[str, date]] = []
                for status in path:
                    day = min(day + timedelta(days=self.rng.randint(20, 200)), today)
                    walk.append((status, day))
                last, on = walk[-1]
                started = next((d for s, d in walk if s == AdoptionStatus.IN_USE), None)
                adopted = next(
                    (
                        d
                        for s, d in walk
                        if s in (AdoptionStatus.DECIDED_TO_ADOPT, AdoptionStatus.IN_USE)
                    ),
                    None,
                )
                adoptions.append(
                    Adoption(
                        publication_id=publication_id,
                        municipality=municipality,
                        status=last,
                        reason=self.rng.choice(NotAdoptedReason.values)
                        if last == AdoptionStatus.NOT_ADOPTED
                        else "",
                        decided_on=on,
                        first_adopted_on=adopted,
                        evaluation_due=default_evaluation_due(started)
                        if last == AdoptionStatus.IN_USE and started
                        else None,
                    )
                )
                walks.append(walk)
        created: list[Adoption] = []
        self.report.adoptions += _in_batches(
            iter(adoptions), lambda batch: created.extend(Adoption.objects.bulk_create(batch))
        )
        _in_batches(
            (
                AdoptionStep(adoption=adoption, status=status, on=day)
                for adoption, walk in zip(created, walks, strict=True)
                for status, day in walk
            ),
            AdoptionStep.objects.bulk_create,
        )
        evaluations = [
            Evaluation(
                adoption=adoption,
                evaluated_on=adoption.decided_on,
                verdict=self.rng.choice(Verdict.values),
                old_practice=self.rng.choice(OldPractice.values),
                cost=f"{self.rng.randint(1, 40) * 10_000} kroner",
                note="Evaluert etter ett år i bruk.",
            )
            for adoption in created
            if adoption.status == AdoptionStatus.EVALUATED
        ]
        made: list[Evaluation] = []
        self.report.evaluations += _in_batches(
            iter(evaluations), lambda batch: made.extend(Evaluation.objects.bulk_create(batch))
        )
        _in_batches(
            (
                Measure(
                    evaluation=evaluation,
                    what="Fall om natten",
                    before=(before := self.rng.randint(5, 40)),
                    after=max(before - self.rng.randint(-3, 15), 0),
                    unit="per år",
                )
                for evaluation in made
            ),
            Measure.objects.bulk_create,
        )
        pilots = []
        for _number in range(len(needs) // 20):
            title, question, background = self._text()
            started = date(self.rng.choice(YEARS), self.rng.randint(1, 12), 1)
            pilots.append(
                Pilot(
                    title=f"Utprøving: {title}",
                    description=f"{question} {background}",
                    municipality=self.rng.choice(municipalities),
                    service_area=self.rng.choice(areas) if areas else None,
                    theme=self.rng.choice(themes) if themes else None,
                    started_on=started,
                    evaluation_due=started + timedelta(days=365),
                    contact_role="FoU-kontakt",
                    findings="Færre fall og roligere netter." if self.rng.random() < 0.3 else "",
                )
            )
        new_pilots: list[Pilot] = []
        self.report.pilots += _in_batches(
            iter(pilots), lambda batch: new_pilots.extend(Pilot.objects.bulk_create(batch))
        )
        self.report.indexed += documents_add(
            NewDocument(
                kind=PILOT_KIND,
                key=str(p.pk),
                title=p.title,
                body=f"{p.description}\n{p.findings}",
            )
            for p in new_pilots
        )

    # -- Everything.

    def run(self, *, proposals: int, publications: int = 0) -> Report:
        hubs = self.hubs()
        municipalities = list(Municipality.objects.all())
        with transaction.atomic():
            self.progress("users and committees")
            pools = self.users(list(hubs.values()), municipalities)
            self.progress(f"{proposals} knowledge needs")
            needs = self.proposals(proposals, hubs)
            self.progress("endorsements and history")
            self.endorsements(needs, municipalities)
            self.events(needs)
            self.progress("rounds, scores, decisions and commissions")
            self.rounds(needs, pools)
        self.progress("the search index")
        self.index(needs)
        if publications:
            self.progress(f"{publications} publications")
            self.publications(publications, needs)
        self.progress("adoptions, evaluations and pilots")
        with transaction.atomic():
            self.followup(needs)
        library_cache.results.bump()  # bulk inserts send no signals
        proposal_cache.lists.bump()
        statistics_cache.statistics.bump()
        if connection.vendor == "postgresql":
            # What a DBA does after a bulk load. ANALYZE: with the statistics of an empty table
            # the planner picks plans that read whole tables (a facet count took 6.7 ms instead
            # of 1.7 at 100,000). VACUUM: otherwise the first reads of each page write its hint
            # bits, and autovacuum does the same later, both while the benchmarks measure
            # (library search p95 101 ms before, 50 ms after, at 100,000).
            # (VACUUM cannot run in a transaction, as in the tests.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.report
