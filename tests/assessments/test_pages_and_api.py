"""The mini-HTA pages and API: start, write with and without htmx, conflicts shown in the page,
invitations, exports (Word with every heading and the cost table), and who sees what."""

import io
import json
import re

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from kunnskap.accounts import services as accounts
from kunnskap.assessments import services
from kunnskap.assessments.models import Assessment, SectionText
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

COSTS = [
    {"item": "Sensorer og oppsett", "category": "Investering", "amounts": [450000, 0, 0, 0, 0]},
    {"item": "Lisens", "category": "Lisens", "amounts": [0, 60000, 60000, 60000, 60000]},
    {"item": "Færre nattevakter", "category": "Personell", "amounts": [0, -400000, -400000]},
]


def client_for(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_start_page_makes_an_assessment_and_the_library_lists_it(lead):
    client = client_for(lead)
    page = client.get("/mmv/ny/")
    assert page.status_code == 200
    empty = client.post("/mmv/ny/", {"title": "", "municipality": "4601"})
    assert empty.status_code == 422 and "title" in empty.context["form"].errors
    response = client.post(
        "/mmv/ny/",
        {"title": "Digitalt nattilsyn", "municipality": "4601", "expected_on": "2027-06-01"},
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mmv/{assessment.pk}/"
    library = Client().get("/bibliotek/?q=nattilsyn")
    assert "Digitalt nattilsyn" in library.content.decode()
    other = Client().get(f"/mmv/{assessment.pk}/")
    assert other.status_code == 200 and "Frøydis FoU" in other.content.decode()
    assert "working text" not in other.content.decode()


def test_someone_without_a_municipality_cannot_start(db):
    user = accounts.user_create(email="x@example.no", password=PASSWORD)
    assert client_for(user).get("/mmv/ny/").status_code == 403


def test_a_section_saves_without_javascript_and_with_htmx(group, lead, member):
    client = client_for(lead)
    url = f"/mmv/{group.pk}/seksjon/tiltaket/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "save", "revision": "0", "measure": "Sensorer"})
    assert response.status_code == 302
    assert SectionText.objects.get(assessment=group).data["measure"] == "Sensorer"
    htmx = client_for(member).post(
        url,
        {"action": "save", "revision": "1", "measure": "Sensorer", "practice": "Tilsyn"},
        headers={"HX-Request": "true"},
    )
    body = htmx.content.decode()
    assert htmx.status_code == 200 and 'id="revision" value="2"' in body
    assert 'id="save-status"' in body


def test_a_conflict_in_the_page_shows_both_texts(group, lead, member):
    url = f"/mmv/{group.pk}/seksjon/tiltaket/"
    client_for(lead).post(url, {"action": "save", "revision": "0", "measure": "Sensorer i rommet"})
    response = client_for(member).post(
        url,
        {"action": "save", "revision": "0", "measure": "Kamera i gangen"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response["HX-Retarget"] == "#editor"
    assert "Sensorer i rommet" in body and "Kamera i gangen" in body
    assert 'id="revision" value="1"' in body
    assert SectionText.objects.get(assessment=group).data["measure"] == "Sensorer i rommet"


def test_bad_numbers_are_named_at_the_field_and_nothing_is_lost(group, lead):
    url = f"/mmv/{group.pk}/seksjon/okonomi/"
    response = client_for(lead).post(
        url,
        {
            "action": "save",
            "revision": "0",
            "costs-rows": "3",
            "costs-0-item": "Sensorer",
            "costs-0-y0": "mange",
            "uncertainty": "Prisene kan endre seg",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "f-costs-error" in body and "Prisene kan endre seg" in body and "mange" in body


def test_strangers_neither_read_nor_write_the_working_text(group, ulf):
    client = client_for(ulf)
    assert client.get(f"/mmv/{group.pk}/seksjon/tiltaket/").status_code == 403
    assert (
        client.post(
            f"/mmv/{group.pk}/seksjon/tiltaket/", {"revision": "0", "measure": "x"}
        ).status_code
        == 403
    )
    assert Client().get(f"/api/v1/assessments/{group.pk}/export.docx").status_code == 404


def test_invite_from_the_page(assessment, lead, reviewer):
    client = client_for(lead)
    response = client.post(
        f"/mmv/{assessment.pk}/",
        {"action": "invite", "email": reviewer.email, "role": "reviewer"},
    )
    assert response.status_code == 302
    assert assessment.participants.filter(user=reviewer, role="reviewer").exists()
    again = client.post(
        f"/mmv/{assessment.pk}/", {"action": "invite", "email": reviewer.email, "role": "member"}
    )
    assert again.status_code == 422 and "email" in again.context["invite_form"].errors


def write_everything(assessment, lead):
    for section in assessment.template.sections.all():
        values = {}
        for question in section.questions.all():
            values[question.key] = {
                "text": f"Svar på {question.label}",
                "number": 1234,
                "choice": (question.config.get("choices") or [""])[0],
                "ynu": {"answer": "uncertain", "explanation": "Vi vet ikke ennå"},
                "pico": {
                    "population": "Beboere",
                    "intervention": "Sensorer",
                    "comparison": "Fysisk tilsyn",
                    "outcome": "Søvn, fall",
                },
                "table": [
                    {
                        c["key"]: (c.get("choices") or ["Celle"])[0]
                        for c in question.config.get("columns", [])
                    }
                ],
                "refs": [
                    {
                        "reference": "Cochrane 2024",
                        "type": "review",
                        "relevance": "Høy",
                        "appraisal": "Middels tillit",
                    }
                ],
                "costs": COSTS,
            }[question.kind]
        services.section_save(
            assessment=assessment, section=section, values=values, base_revision=0, actor=lead
        )


def test_the_word_file_has_every_section_heading_and_the_cost_table(group, lead):
    from docx import Document

    write_everything(group, lead)
    response = client_for(lead).get(f"/mmv/{group.pk}/mmv.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for section in group.template.sections.all():
        assert section.title in headings
        for question in section.questions.all():
            assert question.label in headings
    cost_table = next(t for t in document.tables if t.rows[0].cells[0].text == _("Cost item"))
    rows = [[c.text for c in row.cells] for row in cost_table.rows]
    assert [row[0] for row in rows[1:]] == [*(c["item"] for c in COSTS), _("Total")]
    digits = [re.sub(r"[^\d\-−]", "", cell).replace("−", "-") for cell in rows[-1][2:]]
    # Per year: 450 000, then 60 000 − 400 000 twice, 60 000 twice; the sum of all years last.
    assert digits == ["450000", "-340000", "-340000", "60000", "60000", "-110000"]
    api = client_for(lead).get(f"/api/v1/assessments/{group.pk}/export.docx")
    assert api.status_code == 200 and api.content[:2] == b"PK"


def test_the_printable_page_shows_every_section(group, lead):
    write_everything(group, lead)
    body = client_for(lead).get(f"/mmv/{group.pk}/utskrift/").content.decode()
    for section in group.template.sections.all():
        assert section.title in body
    assert "Sensorer og oppsett" in body and "Cochrane 2024" in body


def test_api_create_read_save_and_conflict(lead, member, bergen):
    client = client_for(lead)
    created = client.post(
        "/api/v1/assessments",
        {"title": "Nattilsyn", "municipality": "4601"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["publication"] is not None
    publication = Client().get(f"/api/v1/publications/{body['publication']}").json()
    assert (publication["kind"], publication["status"]) == ("mini_hta", "ongoing")
    assessment_id = body["id"]
    url = f"/api/v1/assessments/{assessment_id}/sections/tiltaket"
    first = client.put(
        url, {"revision": 0, "answers": {"measure": "Sensorer"}}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["revision"] == 1
    clash = client.put(
        url, {"revision": 0, "answers": {"measure": "Kamera"}}, content_type="application/json"
    )
    assert clash.status_code == 409
    assert (
        clash.json()["conflicting"] == ["measure"]
        and clash.json()["current"]["measure"] == "Sensorer"
    )
    bad = client.put(url, {"revision": 1, "answers": {"nope": 1}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "answers"
    read = client.get(f"/api/v1/assessments/{assessment_id}").json()
    section = next(s for s in read["sections"] if s["key"] == "tiltaket")
    assert section["revision"] == 1
    assert Client().get(f"/api/v1/assessments/{assessment_id}").json()["sections"] is None
    foreign = client.post(
        "/api/v1/assessments",
        {"title": "x", "municipality": "0301"},
        content_type="application/json",
    )
    assert foreign.status_code == 403
    unknown = client.post(
        "/api/v1/assessments",
        {"title": "x", "municipality": "9999"},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "municipality"
    assert (
        Client()
        .post(
            "/api/v1/assessments",
            json.dumps({"title": "x", "municipality": "4601"}),
            content_type="application/json",
        )
        .status_code
        == 401
    )


def test_an_administrator_copies_and_publishes_a_template_version_in_the_admin(ada):
    from kunnskap.assessments.models import Template

    client = client_for(ada)
    current = Template.objects.current()
    assert client.get("/admin/assessments/template/").status_code == 200
    copied = client.post(
        "/admin/assessments/template/",
        {"action": "copy_as_draft", "_selected_action": [current.pk]},
    )
    assert copied.status_code == 302
    draft = Template.objects.get(published_at__isnull=True)
    assert draft.sections.count() == current.sections.count()
    assert client.get(f"/admin/assessments/template/{draft.pk}/change/").status_code == 200
    client.post(
        "/admin/assessments/template/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert Template.objects.current() == draft
