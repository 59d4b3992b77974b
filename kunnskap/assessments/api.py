"""Mini-HTAs in the API: start one, read it, save a section, export it as Word or PDF."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kunnskap.accounts import policy
from kunnskap.accounts.api_auth import ANYONE, SIGNED_IN
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.lib.pdf import PdfUnavailable, pdf_response
from kunnskap.organisations.models import Municipality

from . import documents, selectors, services
from .models import TITLE_MAX, Assessment

router = Router(tags=["assessments"], auth=ANYONE)


class AssessmentIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    municipality: str = Field(description="Municipality number, for example 4601.")
    expected_on: date | None = None
    summary: str = Field("", max_length=4000)


class QuestionOut(Schema):
    key: str
    label: str
    kind: str
    value: Any


class SectionOut(Schema):
    key: str
    title: str
    revision: int | None = None
    questions: list[QuestionOut]


class AssessmentOut(Schema):
    id: int
    title: str
    status: str
    version: int
    municipality: str
    lead: str
    expected_on: date | None
    summary: str
    template_version: int
    publication: int | None
    page: str
    sections: list[SectionOut] | None = Field(
        None, description="The working text for the group; the last published text for others."
    )


class SectionIn(Schema):
    revision: int = Field(ge=0, description="The section's revision the answers were written on.")
    answers: dict[str, Any] = Field(description="Question key → value; left-out keys stay.")


class SavedOut(Schema):
    revision: int
    changed: list[str]
    merged: bool


class ConflictOut(Schema):
    detail: str
    conflicting: list[str]
    current_revision: int
    current: dict[str, Any]


def _out(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    sections: list[dict[str, Any]] | None = None
    readable = selectors.readable_content(request.user, assessment)
    if readable is not None:
        sections, version = readable
        if version is None:  # the working text: with the revision a save must name
            revisions = dict(assessment.texts.values_list("section__key", "revision"))
            sections = [{**s, "revision": revisions.get(s["key"], 0)} for s in sections]
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "status": assessment.status,
        "version": assessment.version,
        "municipality": assessment.municipality_id,
        "lead": assessment.lead.full_name or assessment.lead.email,
        "expected_on": assessment.expected_on,
        "summary": assessment.summary,
        "template_version": assessment.template.version,
        "publication": assessment.publication_id,
        "page": request.build_absolute_uri(assessment.get_absolute_url()),
        "sections": sections,
    }


def _get(assessment_id: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("lead", "template", "municipality"), pk=assessment_id
    )


@router.post("/assessments", response={201: AssessmentOut}, auth=SIGNED_IN)
def assessment_create(request: SignedInApiRequest, payload: AssessmentIn):
    """Start a mini-HTA; the library lists it as an ongoing `mini_hta` at once."""
    municipality = Municipality.objects.filter(number=payload.municipality).first()
    if municipality is None:
        raise FieldError("municipality", _("No municipality has this number."))
    if not policy.may_start_assessment(request.user, municipality.pk):
        raise HttpError(403, _("You start mini-HTAs for your own municipality only."))
    assessment = services.assessment_start(
        title=payload.title,
        municipality=municipality,
        actor=request.user,
        expected_on=payload.expected_on,
        summary=payload.summary,
    )
    return Status(201, _out(request, _get(assessment.pk)))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def assessment_read(request: HttpRequest, assessment_id: int):
    return _out(request, _get(assessment_id))


@router.put(
    "/assessments/{assessment_id}/sections/{key}",
    response={200: SavedOut, 409: ConflictOut},
    auth=SIGNED_IN,
)
def section_put(request: SignedInApiRequest, assessment_id: int, key: str, payload: SectionIn):
    """Save a section's answers written on `revision`. Changes to other questions saved since
    are merged; a clash on the same question answers 409 with the current text, and nothing
    is overwritten."""
    assessment = _get(assessment_id)
    section = get_object_or_404(assessment.template.sections, key=key)
    unknown = set(payload.answers) - set(section.questions.values_list("key", flat=True))
    if unknown:
        raise FieldError(
            "answers", _("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    saved = services.section_save(
        assessment=assessment,
        section=section,
        values=payload.answers,
        base_revision=payload.revision,
        actor=request.user,
    )
    if saved.conflict is not None:
        return Status(
            409,
            {
                "detail": _("Someone else changed the same answers; nothing was overwritten."),
                "conflicting": saved.conflicting,
                "current_revision": saved.text.revision,
                "current": saved.text.data,
            },
        )
    return {"revision": saved.text.revision, "changed": saved.changed, "merged": saved.merged}


def _content(request: HttpRequest, assessment: Assessment) -> tuple[list[dict[str, Any]], Any]:
    readable = selectors.readable_content(request.user, assessment)
    if readable is None:
        raise HttpError(404, _("This mini-HTA is not published yet."))
    return readable


@router.get("/assessments/{assessment_id}/export.docx", response={200: None})
def export_docx(request: HttpRequest, assessment_id: int):
    assessment = _get(assessment_id)
    content, version = _content(request, assessment)
    response = HttpResponse(
        documents.assessment_docx(assessment, content, version),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.filename(assessment)}.docx"'
    )
    return response


@router.get("/assessments/{assessment_id}/export.pdf", response={200: None})
def export_pdf(request: HttpRequest, assessment_id: int):
    assessment = _get(assessment_id)
    content, version = _content(request, assessment)
    try:
        pdf = documents.assessment_pdf(assessment, content, version)
    except PdfUnavailable as error:
        raise HttpError(
            503, _("PDF is not available on this server; use the Word export.")
        ) from error
    return pdf_response(pdf, documents.filename(assessment))
