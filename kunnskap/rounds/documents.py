"""The frozen recommendation as papers for the steering group: Word (python-docx) and PDF
(WeasyPrint, from the same HTML as the printable page)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kunnskap.lib.languages import word_language
from kunnskap.lib.numbers import number
from kunnskap.lib.pdf import html_to_pdf
from kunnskap.lib.text import xml_safe

from .models import Entry, Round
from .selectors import entries

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import Endorsed


def frozen_entries(round_: Round) -> QuerySet[WithAnnotations[Entry, Endorsed]]:
    return entries(round_).select_related("deferred_to").order_by("rank", "pk")


def filename(round_: Round) -> str:
    return slugify(f"innstilling {round_.name}") or f"innstilling-{round_.pk}"


def _number(value: float | None, digits: int = 1) -> str:
    return number(value, digits)


def _summary(entry: Entry) -> str:
    """What the screening said of the need: the librarian's working question, else the text."""
    proposal = entry.proposal
    parts = [proposal.working_question or proposal.question]
    if proposal.outcome_summary:
        parts.append(proposal.outcome_summary)
    return "\n".join(parts)


def recommendation_docx(round_: Round) -> bytes:
    from docx import Document
    from docx.shared import Pt

    criteria = list(round_.criteria.all())
    rows = list(frozen_entries(round_))
    document = Document()
    document.core_properties.title = xml_safe(_("Recommendation: %(name)s") % {"name": round_.name})
    document.core_properties.language = word_language()
    document.add_heading(xml_safe(_("Recommendation: %(name)s") % {"name": round_.name}), level=0)
    document.add_paragraph(
        xml_safe(
            ngettext(
                "%(hub)s. Frozen on %(date)s. Capacity: %(capacity)s unit.",
                "%(hub)s. Frozen on %(date)s. Capacity: %(capacity)s units.",
                round_.capacity,
            )
            % {
                "hub": round_.hub,
                "date": (
                    formats.date_format(round_.recommended_at, "DATE_FORMAT")
                    if round_.recommended_at
                    else ""
                ),
                "capacity": round_.capacity,
            }
        )
    )
    if round_.recommendation_note:
        document.add_paragraph(xml_safe(round_.recommendation_note))

    document.add_heading(_("Ranked list"), level=1)
    headers = [
        _("Rank"),
        _("Need"),
        _("Title"),
        *[criterion.label for criterion in criteria],
        _("Total (0–100)"),
        _("Agreement"),
        _("Raters"),
        _("Recommended"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for entry in rows:
        cells = table.add_row().cells
        values = [
            str(entry.rank or "–"),
            entry.proposal.public_id,
            entry.proposal.title,
            *[_number(entry.criterion_means.get(c.key), 2) for c in criteria],
            _number(entry.total),
            _number(entry.agreement, 2),
            str(entry.raters or 0),
            _("Yes") if entry.recommended else _("No"),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = xml_safe(text)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)

    document.add_heading(_("The needs"), level=1)
    for entry in rows:
        document.add_heading(
            xml_safe(f"{entry.rank}. {entry.proposal.public_id} {entry.proposal.title}"), level=2
        )
        document.add_paragraph(
            xml_safe(
                ngettext(
                    "%(municipality)s. Product: %(kind)s (%(cost)s unit). "
                    "Endorsing municipalities: %(n)s.",
                    "%(municipality)s. Product: %(kind)s (%(cost)s units). "
                    "Endorsing municipalities: %(n)s.",
                    entry.cost,
                )
                % {
                    "municipality": entry.proposal.municipality,
                    "kind": entry.get_product_kind_display(),
                    "cost": entry.cost,
                    "n": entry.endorsing_municipalities,
                }
            )
        )
        document.add_paragraph(xml_safe(_summary(entry)))
        if entry.flagged:
            document.add_paragraph(_("Flagged for discussion: the committee's scores diverge."))
        if entry.deviation_reason:
            document.add_paragraph(
                xml_safe(
                    _("Deviation from the ranking: %(reason)s") % {"reason": entry.deviation_reason}
                )
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def recommendation_html(round_: Round, request: HttpRequest | None = None) -> str:
    context: dict[str, Any] = {
        "round": round_,
        "entries": frozen_entries(round_),
        "criteria": round_.criteria.all(),
        "summaries": True,
    }
    return render_to_string("rounds/recommendation_print.html", context, request=request)


def recommendation_pdf(round_: Round, request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(recommendation_html(round_, request))
