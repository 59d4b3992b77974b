"""Seed 003's Pilot 2.0 round: 66 proposals imported with `kunnskap import-proposals` give
exactly the pilot's three tables on the round report, in the CSV and Excel exports and in the API.

The seed's tables ("Analyse – forslag fra kommunene", "Analyse – etat / forvaltningsområde",
"Analyse – tema / formål") are written below as the pilot printed them. Two of the 2019
municipalities no longer exist: Meland is part of Alver and Os part of Bjørnafjorden since 2020,
so their proposals are imported as units of those municipalities, named as they were then.
(The seed's service-area table prints "Totalsum 22"; its rows add up to 66, the round's total.)
"""

import csv
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kunnskap.organisations.models import Unit
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Proposal
from kunnskap.rounds import services as rounds
from kunnskap.taxonomy.models import ServiceArea, Theme

SEED_ORGANISATIONS = [
    ("Bergen kommune", 38),
    ("Meland kommune", 8),
    ("Os Kommune", 1),
    ("Osterøy Kommune", 9),
    ("Vaksdal kommune", 5),
    ("USHT Hordaland", 5),
]
SEED_SERVICE_AREAS = [
    ("barn og unge", 22),
    ("sykehjem", 10),
    ("hjemmetjenester", 9),
    ("eldre", 6),
    ("forvaltning/ organisasjon", 6),
    ("utviklingshemming", 5),
    ("psykisk helse", 5),
    ("folkehelse / befolkning", 2),
    ("samhandling spesialisthelsetjeneste", 1),
]
SEED_THEMES = [
    ("forebygging / helsefremming", 13),
    ("kvalitetsarbeid / tjenesteutvikling", 12),
    ("demens -behandling", 6),
    ("brukere med sammensatte behov", 6),
    ("barnevern", 6),
    ("vanlige tilstander og behandling for hjemmeboende som mottar helsetjenester", 4),
    ("psykisk helse", 4),
    ("vanlige tilstander og behandling i sykehjem", 3),
    ("velferdsteknologi", 3),
    ("ernæring", 3),
    ("brukermedvirkning", 2),
    ("palliasjon", 1),
    ("ME", 1),
    ("søvn", 1),
    ("rehabilitering", 1),
]
SEED_TOTAL = 66

# Where each of the seed's submitting organisations is in today's register: (municipality, unit).
WHERE = {
    "Bergen kommune": ("4601", ""),
    "Meland kommune": ("4631", "Meland kommune"),
    "Os Kommune": ("4624", "Os kommune"),
    "Osterøy Kommune": ("4630", ""),
    "Vaksdal kommune": ("4628", ""),
    "USHT Hordaland": ("4601", "USHT Hordaland"),
}
# What became of the 66 (the pilot ordered three short summaries); order follows the rows.
STATUSES = (
    ["commissioned"] * 3
    + ["not_commissioned"] * 4
    + ["not_recommended"] * 8
    + ["answered"] * 12
    + ["partly_answered"] * 6
    + ["duplicate"] * 7
    + ["out_of_scope"] * 6
    + ["research_gap"] * 5
    + ["eligible"] * 15
)


def normal(label: str) -> str:
    """The seed's and the system's spelling of one name: case, "kommune", spaces, dashes."""
    text = label.casefold().replace("–", "-").replace(" kommune", "")
    return re.sub(r"\s+", "", text)


def normalised(rows) -> list[tuple[str, int]]:
    return [(normal(label), int(count)) for label, count in rows]


def term_key(model, seed_label: str) -> str:
    matches = [term.key for term in model.objects.all() if normal(term.label) == normal(seed_label)]
    assert len(matches) == 1, seed_label
    return matches[0]


def spread(table) -> list[str]:
    return [label for label, count in table for _ in range(count)]


@pytest.fixture
def pilot_file(tmp_path, hov_hub):
    """The 66 proposals as a CSV for `kunnskap import-proposals`, plus three that are not the
    round's: one after its deadline, one before it opened, one to another secretariat."""
    for number, name in {
        ("4631", "Meland kommune"),
        ("4624", "Os kommune"),
        ("4601", "USHT Hordaland"),
    }:
        Unit.objects.create(municipality_id=number, name=name)
    organisations = spread(SEED_ORGANISATIONS)
    areas = spread(SEED_SERVICE_AREAS)
    # Pair themes with organisations in another order, so no column simply follows another.
    themes = spread(SEED_THEMES)[7:] + spread(SEED_THEMES)[:7]
    assert len(organisations) == len(areas) == len(themes) == len(STATUSES) == SEED_TOTAL
    path = tmp_path / "pilot-2.0.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "title",
                "question",
                "municipality",
                "unit",
                "service_area",
                "theme",
                "status",
                "submitted",
            ]
        )
        for index, (organisation, area, theme, status) in enumerate(
            zip(organisations, areas, themes, STATUSES, strict=True)
        ):
            municipality, unit = WHERE[organisation]
            submitted = date(2019, 8, 15) + timedelta(days=index % 43)  # up to 26 September
            writer.writerow(
                [
                    f"Forslag {index + 1} fra {organisation}",
                    "Hva vet vi om effekten av tiltaket?",
                    municipality,
                    unit,
                    term_key(ServiceArea, area),
                    term_key(Theme, theme),
                    status,
                    submitted.isoformat(),
                ]
            )
        for municipality, status, submitted in [
            ("4601", "eligible", "2019-10-15"),  # after the deadline
            ("4630", "answered", "2019-08-01"),  # before the round opened
            ("0301", "eligible", "2019-09-20"),  # Oslo: another secretariat's need
        ]:
            writer.writerow(
                ["Utenfor runden", "Spørsmål?", municipality, "", "", "", status, submitted]
            )
    return path


@pytest.fixture
def pilot_round(pilot_file, hov_hub, berit):
    round_ = rounds.round_create(
        hub=hov_hub,
        name="Pilot 2.0",
        actor=berit,
        proposals_open=date(2019, 8, 15),
        proposals_close=date(2019, 9, 26),
        committee_meeting=date(2019, 10, 22),
        decision_meeting=date(2019, 11, 7),
    )
    call_command("import_proposals", str(pilot_file), stdout=io.StringIO())
    assert Proposal.objects.count() == SEED_TOTAL + 3
    return round_


class Tables(HTMLParser):
    """The rows of each <table> of a page, by its caption: header cells and data cells alike."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.rows: list[list[str]] = []
        self.text: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows, self.caption = [], ""
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.text = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.text is not None:
            self.rows[-1].append(" ".join("".join(self.text).split()))
            self.text = None
        elif tag == "table":
            self.tables[self.caption.strip()] = self.rows

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.text is not None:
            self.text.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def body(rows: list[list[str]]) -> list[tuple[str, int]]:
    """The data rows of a table (header and total row left out)."""
    return [(row[0], int(row[1])) for row in rows[1:-1]]


def by_label(rows):
    return sorted(normalised(rows))


def test_the_round_report_reproduces_the_seeds_three_tables(pilot_round, berit, client_for):
    response = client_for(berit).get(f"/innsikt/runde/{pilot_round.pk}/")
    assert response.status_code == 200
    found = page_tables(response.content.decode())
    organisations = found["Forslag per innsendende enhet"]
    areas = found["Forslag per etat / forvaltningsområde"]
    themes = found["Forslag per tema / formål"]
    # The organisations' table of the seed is in no particular order; the other two are by size.
    assert by_label(body(organisations)) == by_label(SEED_ORGANISATIONS)
    assert normalised(body(areas)) == normalised(SEED_SERVICE_AREAS)
    assert normalised(body(themes)) == normalised(SEED_THEMES)
    for table in (organisations, areas, themes):
        assert table[-1] == ["Totalt", str(SEED_TOTAL)]
    # Each table has its chart, with a caption and a text alternative.
    html = response.content.decode()
    assert html.count("<figure") == 3 and html.count("<figcaption>") == 3
    assert html.count('role="img"') == 3


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("slug", "seed", "ordered"),
    [
        ("organisation", SEED_ORGANISATIONS, False),
        ("service_area", SEED_SERVICE_AREAS, True),
        ("theme", SEED_THEMES, True),
    ],
)
def test_the_csv_and_excel_exports_give_the_same_tables(
    pilot_round, berit, client_for, slug, seed, ordered
):
    client = client_for(berit)
    rows = csv_rows(client.get(f"/innsikt/tabell/{slug}.csv?round={pilot_round.pk}"))
    assert rows[-1][1] == str(SEED_TOTAL)
    exported = body(rows)
    if ordered:
        assert normalised(exported) == normalised(seed)
    else:
        assert by_label(exported) == by_label(seed)

    response = client.get(f"/innsikt/tabell/{slug}.xlsx?round={pilot_round.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[-1] == ["Totalt", SEED_TOTAL]
    assert [(label, count) for label, count in cells[1:-1]] == exported


@pytest.mark.parametrize(
    ("by", "seed", "ordered"),
    [
        ("organisation", SEED_ORGANISATIONS, False),
        ("service_area", SEED_SERVICE_AREAS, True),
        ("theme", SEED_THEMES, True),
    ],
)
def test_the_api_gives_the_same_tables(pilot_round, berit, client_for, by, seed, ordered):
    response = client_for(berit).get(f"/api/v1/stats/proposals?by={by}&round={pilot_round.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == SEED_TOTAL
    assert set(data["items"][0]) == {"key", "label", "count"}
    items = [(item["label"], item["count"]) for item in data["items"]]
    if ordered:
        assert normalised(items) == normalised(seed)
    else:
        assert by_label(items) == by_label(seed)


def test_the_round_counts_only_its_own_needs_and_the_status_table_follows_the_import(
    pilot_round, berit, client_for
):
    client = client_for(berit)
    data = client.get(f"/api/v1/stats/proposals?by=status&round={pilot_round.pk}").json()
    expected = {status: STATUSES.count(status) for status in set(STATUSES)}
    assert {item["key"]: item["count"] for item in data["items"]} == expected
    # Statuses come in the order of the path, labelled in Norwegian.
    keys = [item["key"] for item in data["items"]]
    assert keys == sorted(keys, key=Status.values.index)
    assert {item["key"]: item["label"] for item in data["items"]}["answered"] == (
        "Besvart med eksisterende kunnskap"
    )
    everything = client.get("/api/v1/stats/proposals?by=municipality").json()
    assert everything["total"] == SEED_TOTAL + 3
    oslo = [item for item in everything["items"] if item["key"] == "0301"]
    assert oslo == [{"key": "0301", "label": "Oslo", "count": 1}]
