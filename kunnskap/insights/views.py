"""Insights pages: the statistics with their filters, the printable round report, exports of
every table (CSV, Excel) and the open data sets (CSV, JSON) with their column descriptions."""

import io
import json
import re
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kunnskap.accounts.policy import may_view_insights
from kunnskap.lib.csv import cell, csv_response
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.rounds.models import Round

from .cache import cached_html, cached_tables
from .forms import FilterForm, PublicFilterForm
from .opendata import DATASETS
from .selectors import Filters, round_window
from .tables import BUILDERS, PAGE_ORDER, REPORT_ORDER, Table, tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request: HttpRequest) -> None:
    if not may_view_insights(request.user):
        raise PermissionDenied(_("The statistics are for the secretariat."))


@login_required
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every statistic for the chosen filters, each as a chart beside its table."""
    _check(request)
    form = FilterForm(request.GET)
    filters, query = form.filters(), request.GET.urlencode()
    found = cached_tables(PAGE_ORDER, filters, tables)
    return render(
        request,
        "insights/statistics.html",
        {
            "form": form,
            "tables": found,
            "statistics_html": _statistics_html("staff", filters, query, found, exports=True),
        },
    )


def _statistics_html(
    name: str, filters: Filters, query: str, found: list[Table], *, exports: bool
) -> str:
    # Rendered from the tables alone (no request): the same for every reader of the page.
    return mark_safe(  # our own rendering, escaped when it was made
        cached_html(
            name,
            filters,
            query,
            lambda: render_to_string(
                "insights/includes/statistics_list.html",
                {"tables": found, "exports": exports, "query": query},
            ),
        )
    )


# Seed 003's "Analyse – forslag fra kommunene": the funnel, then needs per unit, service area,
# theme and municipality. Counts only: no names, e-mail addresses or texts of needs.
PUBLIC_ORDER = ["funnel", "organisation", "service_area", "theme", "municipality"]


def public_statistics(request: HtmxHttpRequest) -> HttpResponse:
    """Seed 003's tables for everyone, per hub and round, with the staff page's numbers."""
    form = PublicFilterForm(request.GET)
    filters = form.filters()
    found = cached_tables(PUBLIC_ORDER, filters, tables)
    return render(
        request,
        "insights/public.html",
        {
            "form": form,
            "filters": filters,
            "tables": found,
            "statistics_html": _statistics_html("public", filters, "", found, exports=False),
            "may_view_insights": may_view_insights(request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
def round_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Seed 003's three tables for one round, printable."""
    _check(request)
    round_ = get_object_or_404(Round.objects.select_related("hub"), pk=pk)
    first, last = round_window(round_)
    return render(
        request,
        "insights/round_report.html",
        {
            "round": round_,
            "first": first,
            "last": last,
            "tables": cached_tables(REPORT_ORDER, Filters(round=round_), tables),
            "query": f"round={round_.pk}",
        },
    )


def _table(request: HttpRequest, slug: str) -> Table:
    _check(request)
    if slug not in BUILDERS:
        raise Http404
    return BUILDERS[slug](FilterForm(request.GET).filters())


@login_required
def table_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    table = _table(request, slug)
    rows = ([value if value is not None else "" for value in row] for row in table.export_rows())
    return csv_response(rows, f"innsikt-{slug}")


@login_required
def table_xlsx(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    table = _table(request, slug)
    workbook = Workbook()
    sheet = workbook.active
    # Excel refuses / \ ? * [ ] : in sheet names and more than 31 characters.
    sheet.title = re.sub(r"[\\/?*\[\]:]", "-", table.title)[:31]
    for row in table.export_rows():
        sheet.append([cell(value) for value in row])
    for header in sheet[1]:
        header.font = Font(bold=True)
    if table.total:
        for total in sheet[sheet.max_row]:
            total.font = Font(bold=True)
    sheet.column_dimensions["A"].width = max(
        [len(str(row[0])) for row in table.export_rows()] + [12]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="innsikt-{slug}.xlsx"'
    return response


def open_data(request: HtmxHttpRequest) -> HttpResponse:
    """The open data sets and what each column holds (public: nothing personal is in them)."""
    return render(request, "insights/open_data.html", {"datasets": DATASETS.values()})


def open_data_csv(request: HtmxHttpRequest, slug: str) -> StreamingHttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404

    def rows() -> Iterator[list[object]]:
        yield [column.name for column in dataset.columns]
        for record in dataset.records():
            yield ["" if value is None else value for value in record.values()]

    return csv_response(rows(), slug)


def open_data_json(request: HtmxHttpRequest, slug: str) -> StreamingHttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404

    def chunks() -> Iterator[str]:
        yield '{"items": ['
        for index, record in enumerate(dataset.records()):
            yield ("," if index else "") + json.dumps(
                record, cls=DjangoJSONEncoder, ensure_ascii=False
            )
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response
