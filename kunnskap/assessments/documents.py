"""A mini-HTA as papers: Word (python-docx), which municipalities edit and file, and PDF
(WeasyPrint, from the same HTML as the printable page). Both show every section, table and
reference, from live text or from a published version."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kunnskap.lib.languages import word_language
from kunnskap.lib.numbers import number
from kunnskap.lib.pdf import html_to_pdf
from kunnskap.lib.text import xml_safe

from .models import Assessment, AssessmentVersion, QuestionKind
from .selectors import QuestionView, document


def filename(assessment: Assessment) -> str:
    return slugify(f"mmv {assessment.title}")[:80] or f"mmv-{assessment.pk}"


def _amount(value: Any) -> str:
    return number(value, 0, grouping=True, empty="")


def print_context(
    assessment: Assessment, content: list[dict[str, Any]], version: AssessmentVersion | None
) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "version": version,
        "sections": document(content),
        "participants": assessment.participants.select_related("user"),
        "printed_at": timezone.now(),
    }


def _meta_line(assessment: Assessment, version: AssessmentVersion | None) -> str:
    parts = [
        _("Mini-HTA from %(municipality)s") % {"municipality": assessment.municipality},
        _("Lead: %(name)s") % {"name": assessment.lead.full_name or assessment.lead.email},
    ]
    if version is not None:
        parts.append(
            _("Version %(n)s, published %(date)s")
            % {
                "n": version.version,
                "date": formats.date_format(version.published_at, "DATE_FORMAT"),
            }
        )
    else:
        parts.append(
            _("Working text, status: %(status)s") % {"status": assessment.get_status_display()}
        )
    return ". ".join(parts) + "."


def _table(doc: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = xml_safe(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = xml_safe(text)


def _answer(doc: Any, question: QuestionView) -> None:
    if not question.answered:
        doc.add_paragraph(_("Not answered."))
        return
    if question.kind in (QuestionKind.TABLE, QuestionKind.REFERENCES):
        _table(doc, [c.label for c in question.columns], question.table)
    elif question.kind == QuestionKind.COSTS:
        headers = [
            _("Cost item"),
            _("Category"),
            *[label for _y, label in question.years],
            _("Sum"),
        ]
        rows = [
            [
                row["item"],
                row["category"],
                *[_amount(a) for a in row["amounts"]],
                _amount(sum(a for a in row["amounts"] if a is not None)),
            ]
            for row in question.value
        ]
        rows.append([_("Total"), "", *[_amount(t) for t in question.totals]])
        _table(doc, headers, rows)
    else:
        for line in question.text.split("\n"):
            doc.add_paragraph(xml_safe(line))


def assessment_docx(
    assessment: Assessment, content: list[dict[str, Any]], version: AssessmentVersion | None
) -> bytes:
    from docx import Document

    doc = Document()
    title = version.title if version else assessment.title
    doc.core_properties.title = xml_safe(title)
    doc.core_properties.language = word_language()
    doc.add_heading(xml_safe(title), level=0)
    doc.add_paragraph(xml_safe(_meta_line(assessment, version)))
    summary = version.summary if version else assessment.summary
    if summary:
        doc.add_heading(_("Summary"), level=1)
        doc.add_paragraph(xml_safe(summary))
    for section in document(content):
        doc.add_heading(xml_safe(section.title), level=1)
        for question in section.questions:
            doc.add_heading(xml_safe(question.label), level=2)
            _answer(doc, question)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def assessment_html(
    assessment: Assessment, content: list[dict[str, Any]], version: AssessmentVersion | None
) -> str:
    return render_to_string(
        "assessments/print_pdf.html", print_context(assessment, content, version)
    )


def assessment_pdf(
    assessment: Assessment, content: list[dict[str, Any]], version: AssessmentVersion | None
) -> bytes:
    return html_to_pdf(assessment_html(assessment, content, version))
