"""The statistics as tables with a bar chart each: one definition for the page, the round
report, and the CSV and Excel exports, so they always show the same numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import SupportsFloat, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunnskap.lib.numbers import number, round_float

from . import selectors
from .selectors import Filters

CHART_WIDTH = 640
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 12
BAR_MAX = 520  # room is left to the right of the longest bar for its number


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: int

    @property
    def label_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_HEIGHT

    @property
    def text_x(self) -> int:
        return self.width + 6

    @property
    def text_y(self) -> int:
        return self.bar_y + 14


@dataclass
class Table:
    """One statistic: a heading, columns and rows, an optional total row, and a bar chart of
    one numeric column."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    total: list[object] | None = None
    note: str = ""
    chart_column: int = 1
    bars: list[Bar] = field(default_factory=list)

    def __post_init__(self) -> None:
        values = [_number(row[self.chart_column]) for row in self.rows]
        top = max(values, default=0) or 1
        self.bars = [
            Bar(
                label=str(row[0]),
                value=value,
                text=_text(row[self.chart_column]),
                y=index * ROW_HEIGHT,
                width=round(BAR_MAX * value / top),
            )
            for index, (row, value) in enumerate(zip(self.rows, values, strict=True))
        ]

    @property
    def chart_height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def chart_summary(self) -> str:
        """What the chart shows, in one sentence, for people who do not see it."""
        return _("Bar chart: %(title)s. The same numbers are in the table.") % {"title": self.title}

    def export_rows(self) -> list[Sequence[object]]:
        return [self.columns, *self.rows, *([self.total] if self.total else [])]


def _number(value: object) -> float:
    """A bar's length: the cell's number, 0 where the cell is empty."""
    return float(value) if isinstance(value, SupportsFloat) else 0.0


def _text(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number(value, 1)
    return str(value)


def _breakdown_titles() -> dict[str, str]:
    return {
        "organisation": _("Needs by submitting organisation"),
        "municipality": _("Needs by municipality"),
        "region": _("Needs by KSF region"),
        "service_area": _("Needs by service area"),
        "theme": _("Needs by theme"),
        "status": _("Needs by status"),
    }


def breakdown_table(by: str, filters: Filters) -> Table:
    result = selectors.proposals_by(by, filters)
    return Table(
        slug=by,
        title=_breakdown_titles()[by],
        columns=[str(selectors.DIMENSIONS[by]), _("Number of needs")],
        rows=[[row.label, row.count] for row in result.rows],
        total=[_("Total"), result.total],
    )


def funnel_table(filters: Filters) -> Table:
    steps = selectors.funnel(filters)
    return Table(
        slug="funnel",
        title=_("How far the needs got"),
        columns=[_("Stage"), _("Number of needs"), _("Share of those received (%)")],
        rows=[[step.label, step.count, step.percent] for step in steps],
        note=_(
            "A need counts at every stage it has reached: its status is that stage or a later "
            "one, or its history shows it passed through the stage."
        ),
    )


def answered_table(filters: Filters) -> Table:
    share = selectors.answered_share(selectors.funnel(filters, keys=("screened", "answered")))
    rest = share.of - share.count
    rest_percent = round_float(100 - share.percent, 1) if share.of else 0.0
    return Table(
        slug="answered",
        title=_("Needs answered without a new product"),
        columns=[_("Screening outcome"), _("Number of needs"), _("Share of those screened (%)")],
        rows=[
            [_("Answered by existing knowledge"), share.count, share.percent],
            [_("Other outcomes"), rest, rest_percent],
        ],
        total=[_("Screened"), share.of, 100.0 if share.of else 0.0],
        note=_(
            "Answered or partly answered by existing knowledge, out of the needs screening has "
            "decided on."
        ),
    )


def stage_days_table(filters: Filters) -> Table:
    durations = selectors.stage_days(filters)
    return Table(
        slug="days",
        title=_("Median days per stage"),
        columns=[_("Stage"), _("Median days"), _("Needs measured")],
        rows=[[d.label, d.median_days, d.needs] for d in durations],
        note=_(
            "From the needs' history: the time from first entering a stage to first leaving it. "
            "Needs without both steps in their history (imported ones) are not measured."
        ),
    )


def endorsements_table(filters: Filters) -> Table:
    result = selectors.endorsements(filters)
    return Table(
        slug="endorsements",
        title=_("Endorsements per need"),
        columns=[_("Shared by"), _("Number of needs")],
        rows=[[row.label, row.count] for row in result.rows],
        total=[_("Total"), result.needs],
        note=_("On average %(mean)s municipalities share each need, the submitter's own included.")
        % {"mean": number(result.mean, 2)},
    )


# Follow-up (nyttiggjort): what the municipalities did with the products. These count every
# record: the filters of the needs above do not narrow them.
FOLLOWUP_NOTE = gettext_lazy("All follow-up records; the filters above do not apply.")


def _followup_rows(by: str) -> list[list[object]]:
    from kunnskap.followup.selectors import adoption_stats

    return [[row.label, row.count] for row in adoption_stats(by)]


def adoption_table(by: str, filters: Filters) -> Table:
    titles = {
        "publication": (_("Adoptions per product"), _("Product"), _("Municipalities and units")),
        "municipality": (_("Adoptions per municipality"), _("Municipality"), _("Products")),
        "status": (_("Follow-up records by status"), _("Status"), _("Records")),
        "verdict": (_("Evaluations by verdict"), _("Verdict"), _("Evaluations")),
        "pilot_theme": (_("Pilots by theme"), _("Theme"), _("Pilots")),
        "pilot_region": (_("Pilots by KSF region"), _("KSF region"), _("Pilots")),
    }
    title, first, second = titles[by]
    rows = _followup_rows(by)
    return Table(
        slug=f"followup_{by}",
        title=str(title),
        columns=[str(first), str(second)],
        rows=rows,
        total=[_("Total"), sum(cast(int, row[1]) for row in rows)],
        note=str(FOLLOWUP_NOTE),
    )


def followup_summary_table(filters: Filters) -> Table:
    from django.utils import timezone

    from kunnskap.followup.selectors import adoption_summary

    summary = adoption_summary(today=timezone.localdate())
    share = round(100 * summary.evaluated_share, 1) if summary.evaluated_share is not None else None
    return Table(
        slug="followup_summary",
        title=_("Knowledge put to use"),
        columns=[_("Figure"), _("Value")],
        rows=[
            [_("Products decided on, in use or evaluated"), summary.in_use_or_evaluated],
            [_("Share of uses evaluated (%)"), share],
            [
                _("Median days from publication to first adoption"),
                summary.median_days_to_first_adoption,
            ],
            [_("Evaluations where the old practice was stopped"), summary.old_practice_stopped],
            [
                _("Products with no known use 12 months after publication"),
                summary.unused_after_12_months,
            ],
            [_("Pilots in the register"), summary.pilots],
        ],
        note=str(FOLLOWUP_NOTE),
    )


FOLLOWUP_DIMENSIONS = (
    "publication",
    "municipality",
    "status",
    "verdict",
    "pilot_theme",
    "pilot_region",
)

BUILDERS: dict[str, Callable[[Filters], Table]] = {
    "followup_summary": followup_summary_table,
    **{f"followup_{by}": partial(adoption_table, by) for by in FOLLOWUP_DIMENSIONS},
    **{by: partial(breakdown_table, by) for by in selectors.DIMENSIONS},
    "funnel": funnel_table,
    "answered": answered_table,
    "days": stage_days_table,
    "endorsements": endorsements_table,
}

# The order of the statistics page.
PAGE_ORDER = [
    "funnel",
    "answered",
    "days",
    "organisation",
    "municipality",
    "region",
    "service_area",
    "theme",
    "status",
    "endorsements",
    "followup_summary",
    *(f"followup_{by}" for by in FOLLOWUP_DIMENSIONS),
]
# Seed 003's three tables: per submitting unit, per service area, per theme.
REPORT_ORDER = ["organisation", "service_area", "theme"]


def tables(slugs: list[str], filters: Filters) -> list[Table]:
    return [BUILDERS[slug](filters) for slug in slugs]
