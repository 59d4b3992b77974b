"""The open data sets: the non-personal fields of public needs, decisions and publications.

Each column is declared once with its description, which the column-description page shows;
the CSV and JSON exports read the same list. No submitter's name, e-mail or position is ever a
column, and only needs screening has accepted (public ones) appear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import selectors


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    columns: list[Column]
    rows: Callable[[], QuerySet[Any]]

    def records(self) -> Iterator[dict[str, Any]]:
        for obj in self.rows().iterator(chunk_size=500):
            yield {column.name: column.value(obj) for column in self.columns}


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.isoformat()


PROPOSALS = Dataset(
    slug="kunnskapsbehov",
    title=_("Knowledge needs"),
    description=_("Every need screening has accepted as public, with its classification."),
    columns=[
        Column("id", _("The need's public id, like KB2026-014."), lambda p: p.public_id),
        Column("title", _("The title, as screening accepted it."), lambda p: p.title),
        Column("question", _("The question the municipality asked."), lambda p: p.question),
        Column("status", _("Status code on the need's path (see the API)."), lambda p: p.status),
        Column(
            "status_label",
            _("The status in words (Norwegian)."),
            lambda p: str(p.get_status_display()),
        ),
        Column(
            "municipality_number",
            _("Statistics Norway's four-digit number of the submitting municipality."),
            lambda p: p.municipality.number,
        ),
        Column("municipality", _("The submitting municipality."), lambda p: p.municipality.name),
        Column(
            "region",
            _("The KSF region of the municipality."),
            lambda p: p.municipality.county.region.name if p.municipality.county.region else "",
        ),
        Column(
            "unit",
            _("The submitting unit, when one submitted (an organisation, never a person)."),
            lambda p: p.unit.name if p.unit else "",
        ),
        Column(
            "service_area",
            _("Service area key (etat / forvaltningsområde), see /api/v1/taxonomy."),
            lambda p: p.service_area.key if p.service_area else "",
        ),
        Column(
            "theme",
            _("Theme key (tema / formål), see /api/v1/taxonomy."),
            lambda p: p.theme.key if p.theme else "",
        ),
        Column(
            "endorsing_municipalities",
            _("How many municipalities share the need, the submitter's own included."),
            lambda p: p.endorsing_municipalities,
        ),
        Column(
            "submitted",
            _("The date it was submitted, YYYY-MM-DD."),
            lambda p: _date(p.submitted_at),
        ),
        Column(
            "accepted",
            _("The date screening accepted it as public, YYYY-MM-DD."),
            lambda p: _date(p.accepted_at),
        ),
    ],
    rows=selectors.open_proposals,
)

DECISIONS = Dataset(
    slug="vedtak",
    title=_("Decisions"),
    description=_("The steering groups' decisions on needs in their rounds."),
    columns=[
        Column("round", _("The round's name."), lambda e: e.round.name),
        Column("hub", _("The secretariat that ran the round."), lambda e: e.round.hub.name),
        Column("need", _("The need's public id."), lambda e: e.proposal.public_id),
        Column("title", _("The need's title."), lambda e: e.proposal.title),
        Column("rank", _("The committee's rank, when it was ranked."), lambda e: e.rank),
        Column(
            "recommended",
            _("Whether the committee recommended it (true, false or empty)."),
            lambda e: e.recommended,
        ),
        Column(
            "decision",
            _("commissioned, not_commissioned or deferred."),
            lambda e: e.decision,
        ),
        Column("product_kind", _("The kind of product considered."), lambda e: e.product_kind),
        Column("rationale", _("The steering group's reasons."), lambda e: e.rationale),
        Column("decided_on", _("The meeting date, YYYY-MM-DD."), lambda e: _date(e.decided_on)),
        Column(
            "deferred_to",
            _("The round a deferred need went to."),
            lambda e: e.deferred_to.name if e.deferred_to else "",
        ),
    ],
    rows=selectors.open_decisions,
)

PUBLICATIONS = Dataset(
    slug="publikasjoner",
    title=_("Publications"),
    description=_("The library's ongoing and published knowledge products."),
    columns=[
        Column("id", _("The publication's number in the library."), lambda p: p.pk),
        Column("title", _("The title."), lambda p: p.title),
        Column("kind", _("Product kind code, like short_summary."), lambda p: p.kind),
        Column("status", _("ongoing or published."), lambda p: p.status),
        Column("summary", _("The plain-language summary."), lambda p: p.summary),
        Column(
            "producer",
            _("Who made it (an institution)."),
            lambda p: p.producer.name if p.producer else "",
        ),
        Column(
            "municipality",
            _("The municipality of a mini-HTA."),
            lambda p: p.municipality.name if p.municipality else "",
        ),
        Column("published_on", _("Publication date, YYYY-MM-DD."), lambda p: _date(p.published_on)),
        Column("url", _("A link to the product."), lambda p: p.url),
        Column(
            "themes",
            _("Theme keys, separated by semicolons."),
            lambda p: ";".join(theme.key for theme in p.themes.all()),
        ),
        Column(
            "service_areas",
            _("Service area keys, separated by semicolons."),
            lambda p: ";".join(area.key for area in p.service_areas.all()),
        ),
        Column(
            "needs",
            _("Public ids of the needs it answers, separated by semicolons."),
            lambda p: ";".join(need.public_id for need in p.proposals.all()),
        ),
    ],
    rows=selectors.open_publications,
)

ADOPTIONS = Dataset(
    slug="implementeringer",
    title=_("Products put to use"),
    description=_(
        "What each municipality (or unit) did with a product of the library, and what its last "
        "evaluation found. No notes and no names."
    ),
    columns=[
        Column("id", _("The record's id."), lambda a: a.pk),
        Column(
            "publication", _("The product's number in the library."), lambda a: a.publication_id
        ),
        Column("publication_title", _("The product's title."), lambda a: a.publication.title),
        Column(
            "municipality_number",
            _("Statistics Norway's four-digit number of the municipality."),
            lambda a: a.municipality_id,
        ),
        Column("municipality", _("The municipality."), lambda a: a.municipality.name),
        Column(
            "unit", _("The unit, when a unit recorded it."), lambda a: a.unit.name if a.unit else ""
        ),
        Column(
            "status",
            _("considering, decided_to_adopt, in_use, evaluated or not_adopted."),
            lambda a: a.status,
        ),
        Column("reason", _("Why it was not adopted, when it was not."), lambda a: a.reason),
        Column(
            "decided_on", _("The date of the last step, YYYY-MM-DD."), lambda a: _date(a.decided_on)
        ),
        Column(
            "first_adopted_on",
            _("When it was first decided on or put to use, YYYY-MM-DD."),
            lambda a: _date(a.first_adopted_on),
        ),
        Column(
            "verdict",
            _("The last evaluation's verdict: worked, partly, did_not_work or too_early."),
            lambda a: a.last_verdict or "",
        ),
    ],
    rows=selectors.open_adoptions,
)

PILOTS = Dataset(
    slug="piloter",
    title=_("Pilots"),
    description=_("The register of measures municipalities try: no person's name is in it."),
    columns=[
        Column("id", _("The pilot's id."), lambda p: p.pk),
        Column("title", _("The title."), lambda p: p.title),
        Column("description", _("What is tried."), lambda p: p.description),
        Column(
            "municipality_number",
            _("Statistics Norway's four-digit number of the municipality."),
            lambda p: p.municipality_id,
        ),
        Column("municipality", _("The municipality."), lambda p: p.municipality.name),
        Column(
            "service_area",
            _("Service area key."),
            lambda p: p.service_area.key if p.service_area else "",
        ),
        Column("theme", _("Theme key."), lambda p: p.theme.key if p.theme else ""),
        Column("started_on", _("Start, YYYY-MM-DD."), lambda p: _date(p.started_on)),
        Column(
            "evaluation_due",
            _("Planned evaluation, YYYY-MM-DD."),
            lambda p: _date(p.evaluation_due),
        ),
        Column(
            "contact_role",
            _("The role to ask (through the secretariat)."),
            lambda p: p.contact_role,
        ),
        Column("findings", _("What they found."), lambda p: p.findings),
    ],
    rows=selectors.open_pilots,
)

DATASETS = {
    dataset.slug: dataset for dataset in (PROPOSALS, DECISIONS, PUBLICATIONS, ADOPTIONS, PILOTS)
}
