"""Output is safe in every format: feeds carry plain text, Word and spreadsheets survive
characters XML forbids, CSV cells never run as formulas, search snippets have one rule."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from kunnskap.assessments.models import Assessment
from kunnskap.lib.csv import cell
from kunnskap.lib.text import xml_safe
from tests.assessments.conftest import assessment, lead  # noqa: F401 (fixtures)
from tests.library.conftest import publish, rita  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ATTACK = '<img src=x onerror="alert(1)">'
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_summaries_are_plain_text(client, publish):  # noqa: F811
    publish(title="Feed \x05 tittel", summary=f"Før {ATTACK} etter \x0b.")
    response = client.get("/bibliotek/feed/")
    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == f"Før {ATTACK} etter ."
    assert entry.find(f"{ATOM}title").text.startswith("Feed  tittel")


def test_a_control_character_in_a_title_does_not_break_the_word_export(
    client_for,
    lead,  # noqa: F811
    assessment,  # noqa: F811
):
    # The middleware refuses such text at the door; data from before, or an import, may hold it.
    Assessment.objects.filter(pk=assessment.pk).update(title="Nattilsyn \x05 med sensorer")
    response = client_for(lead).get(f"/mmv/{assessment.pk}/mmv.docx")
    assert response.status_code == 200
    from docx import Document

    document = Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert document.paragraphs[0].text == "Nattilsyn  med sensorer"


def test_csv_cells_never_start_a_formula(client, submit, accept):
    proposal, _token = submit(title='=HYPERLINK("https://example.com","Klikk")')
    accept(proposal)
    body = client.get("/kunnskapsbehov/kunnskapsbehov.csv").getvalue().decode("utf-8-sig")
    titles = [row[1] for row in csv.reader(io.StringIO(body))]
    assert '\'=HYPERLINK("https://example.com","Klikk")' in titles


def test_cells_and_xml_text_lose_what_the_format_forbids():
    assert cell("+47 999") == "'+47 999"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(-5) == -5
    assert cell("Ok\x05") == "Ok"
    assert xml_safe("a\x00b\ufffec\td") == "abc\td"


def test_search_snippets_are_escaped_html_with_or_without_a_query(client, publish):  # noqa: F811
    publish(title="Søvn og skjermbruk", summary=f"Søvn {ATTACK} hos eldre.")
    without = client.get("/api/v1/publications/search").json()["items"][0]["snippet"]
    with_query = client.get("/api/v1/publications/search?q=søvn").json()["items"][0]["snippet"]
    assert without.startswith("Søvn &lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
    assert "<img" not in with_query
    assert "&lt;img" in with_query
    assert "<mark>" in with_query
