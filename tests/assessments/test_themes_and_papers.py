"""A mini-HTA has themes of its own, which its library entry carries (so theme feeds and
newsletters find it); its status path is a stepper with the current step marked; once
published, its papers name the version, never "working text"."""

import io

from docx import Document

from kunnskap.assessments import services
from kunnskap.assessments.example import example_load
from kunnskap.assessments.models import Status
from kunnskap.taxonomy.models import Theme


def test_the_themes_of_a_mini_hta_go_to_its_library_entry(lead, client_for):
    welfare = Theme.objects.get(key="velferdsteknologi")
    assessment = services.assessment_start(
        title="Digitalt nattilsyn",
        municipality=lead.municipality,
        actor=lead,
        themes=[welfare],
    )
    assert list(assessment.publication.themes.all()) == [welfare]
    dementia = Theme.objects.get(key="demens-behandling")
    response = client_for(lead).post(
        f"/mmv/{assessment.pk}/endre/",
        {"title": "Digitalt nattilsyn", "summary": "", "themes": [welfare.pk, dementia.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment.refresh_from_db()
    assert set(assessment.publication.themes.all()) == {welfare, dementia}
    page = client_for(lead).get(f"/mmv/{assessment.pk}/").content.decode()
    assert "Velferdsteknologi" in page


def test_the_stepper_marks_the_current_step(lead, client_for):
    assessment = services.assessment_start(
        title="Digitalt nattilsyn", municipality=lead.municipality, actor=lead
    )
    html = client_for(lead).get(f"/mmv/{assessment.pk}/").content.decode()
    assert '<ol class="stepper"' in html
    current = html.split('aria-current="step"', 1)[1].split("</li>", 1)[0]
    assert str(Status.DRAFT.label) in current or "Utkast" in current
    assert html.count('data-state="todo"') == len(Status.choices) - 1


def test_a_published_mini_hta_s_papers_name_its_version(lead, member, reviewer, client_for):
    """The demo's worked example, written and published by its group."""
    published = example_load(lead=lead, method=member, reviewer=reviewer)
    assert published.status == Status.PUBLISHED
    body = client_for(lead).get(f"/mmv/{published.pk}/mmv.docx").content
    text = " ".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "Arbeidstekst" not in text and "Working text" not in text
    assert "Versjon 1" in text
    printed = client_for(lead).get(f"/mmv/{published.pk}/utskrift/").content.decode()
    assert "Arbeidstekst" not in printed
