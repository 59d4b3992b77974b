"""The open data: public needs, decisions and publications, never a submitter's personal data,
described column by column."""

import csv
import io
import json

from kunnskap.insights.opendata import DATASETS
from kunnskap.library import services as library
from kunnskap.proposals.models import Proposal


def rows(client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )


def items(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["items"]


def test_needs_are_listed_only_when_public_and_without_personal_data(client, journey):
    public = set(Proposal.objects.public().values_list("public_id", flat=True))
    assert journey["waiting"].public_id not in public
    assert journey["out_of_scope"].public_id not in public  # out of scope is not accepted
    for records in (
        rows(client, "/innsikt/apne-data/kunnskapsbehov.csv"),
        items(client, "/innsikt/apne-data/kunnskapsbehov.json"),
    ):
        assert {record["id"] for record in records} == public
        assert set(records[0]) == {column.name for column in DATASETS["kunnskapsbehov"].columns}
        text = json.dumps(records, ensure_ascii=False)
        assert "Frida" not in text and "frida@bergen.kommune.no" not in text
        ordered = next(r for r in records if r["id"] == journey["ordered"].public_id)
        assert ordered["municipality_number"] == "4601"
        assert ordered["status"] == "commissioned"
        assert ordered["region"] == "KSF Vest"


def test_decisions_and_publications_are_open(client, journey, berit):
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Honning og sårbehandling",
            kind="short_summary",
            summary="Kort oppsummert.",
            proposals=[journey["ordered"], journey["waiting"]],
        ),
        actor=None,  # an import: the test is about what open data shows
    )
    decisions = items(client, "/innsikt/apne-data/vedtak.json")
    assert sorted((d["need"], d["decision"]) for d in decisions) == sorted(
        [
            (journey["ordered"].public_id, "commissioned"),
            (journey["not_recommended"].public_id, "not_commissioned"),
        ]
    )
    assert {d["recommended"] for d in decisions} == {True, False}
    assert rows(client, "/innsikt/apne-data/vedtak.csv")[0]["round"] == "Pilot 2.0"
    [listed] = rows(client, "/innsikt/apne-data/publikasjoner.csv")
    assert listed["id"] == str(publication.pk)
    # The need still waiting for screening is not public, so it is not named.
    assert listed["needs"] == journey["ordered"].public_id


def test_the_column_descriptions_are_public(client):
    response = client.get("/innsikt/apne-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert "Behovets offentlige id, for eksempel KB2026-014." in html
    assert client.get("/innsikt/apne-data/personer.csv").status_code == 404
