"""One rounding for every number a person reads: the page, the PDF and the Word file show the
same figures (Word used to truncate 0.666 to 0,66 where the page showed 0,67)."""

import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from docx import Document

from kunnskap.lib.numbers import number, round_float, rounded
from kunnskap.rounds import documents
from kunnskap.rounds import services as rounds


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.665, 2, Decimal("0.67")),  # a binary float just below .665 still rounds up
        (54.15, 1, Decimal("54.2")),
        (41.65, 1, Decimal("41.7")),
        (0.666666, 2, Decimal("0.67")),
        (2.5, 0, Decimal("3")),  # half up, not half to even
        (-2.5, 0, Decimal("-3")),
        (7, 1, Decimal("7.0")),
    ],
)
def test_it_rounds_half_up_on_the_decimal_value(value, digits, expected):
    assert rounded(value, digits) == expected


def test_it_writes_numbers_as_the_reader_s_language_does():
    with translation.override("nb"):
        assert number(0.665, 2) == "0,67"
        assert number(1234567.5, 0, grouping=True).replace("\xa0", " ") == "1 234 568"
        assert number(None, 1) == "–"
        assert number(None, 0, empty="") == ""
    assert round_float(41.65, 1) == 41.7


def test_the_template_filter_rounds_the_same_way():
    with translation.override("nb"):
        rendered = Template(
            "{% load kunnskap %}{{ a|decimals:2 }} {{ b|decimals:1 }} {{ c|decimals }}"
        )
        assert rendered.render(Context({"a": 0.665, "b": 54.15, "c": None})) == "0,67 54,2 –"


def test_the_word_recommendation_shows_the_figures_of_the_page(eligible, the_round, berit):
    need = eligible(title="Honning på sår")
    entry = rounds.entry_add(round_=the_round, proposal=need, actor=berit)
    entry.rank, entry.total, entry.agreement = 1, 54.15, 0.665
    entry.criterion_means = {}
    entry.save()
    with translation.override("nb"):
        document = Document(io.BytesIO(documents.recommendation_docx(the_round)))
        page = Template(
            "{% load kunnskap %}{{ e.total|decimals:1 }} {{ e.agreement|decimals:2 }}"
        ).render(Context({"e": entry}))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert page == "54,2 0,67"
    assert "54,2" in cells and "0,67" in cells
