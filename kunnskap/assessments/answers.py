"""The answer kinds of a template's questions: what a value looks like, how it is read from a
form or from JSON, whether it counts as answered, and how it reads as plain text.

One function, `clean`, checks a value from either source, so the page and the API accept the
same answers. Values are JSON:

- text: a string; number: a number or null; choice: one of the question's choices or "";
- ynu: {"answer": "yes" | "no" | "uncertain" | "", "explanation": str};
- pico: {"population", "intervention", "comparison", "outcome"}: strings;
- table and refs: a list of rows, each {column key: str}; empty rows are dropped;
- costs: a list of rows {"item", "category", "amounts": [number | null per year]}.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import QuestionKind


class QuestionLike(Protocol):
    """What the answer rules read of a question: a Question row, or a published snapshot's view."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def config(self) -> Any: ...


TEXT_MAX = 20_000
CELL_MAX = 2_000
ROWS_MAX = 200
BLANK_ROWS = 2

YNU = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "uncertain": gettext_lazy("Uncertain"),
}
PICO = {
    "population": gettext_lazy("Population: who"),
    "intervention": gettext_lazy("Intervention: the measure"),
    "comparison": gettext_lazy("Comparison: compared with what"),
    "outcome": gettext_lazy("Outcomes that matter"),
}
REFERENCE_KINDS = {
    "guideline": gettext_lazy("Guideline"),
    "review": gettext_lazy("Systematic review"),
    "primary": gettext_lazy("Primary study"),
    "other": gettext_lazy("Other"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def display(self, value: str) -> str:
        return dict(self.choices).get(value, value)


def columns(question: QuestionLike) -> list[Column]:
    """The columns of a table question; references have fixed ones."""
    if question.kind == QuestionKind.REFERENCES:
        return [
            Column("reference", str(_("Reference"))),
            Column("type", str(_("Type")), tuple((k, str(v)) for k, v in REFERENCE_KINDS.items())),
            Column("relevance", str(_("Relevance for us"))),
            Column("appraisal", str(_("Appraisal (certainty or checklist)"))),
        ]
    return [
        Column(c["key"], c["label"], tuple((choice, choice) for choice in c.get("choices", ())))
        for c in question.config.get("columns", [])
    ]


def years(question: QuestionLike) -> list[int]:
    return list(range(int(question.config.get("years", 5))))


def empty(question: QuestionLike) -> Any:
    match question.kind:
        case QuestionKind.YES_NO_UNCERTAIN:
            return {"answer": "", "explanation": ""}
        case QuestionKind.PICO:
            return dict.fromkeys(PICO, "")
        case QuestionKind.TABLE | QuestionKind.REFERENCES | QuestionKind.COSTS:
            return []
        case QuestionKind.NUMBER:
            return None
        case _:
            return ""


def _text(value: Any, limit: int = TEXT_MAX) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Must be text."))
    value = value.replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ValidationError(_("Must be at most %(limit)s characters.") % {"limit": limit})
    return value


def _number(value: Any) -> int | float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Must be a number."))
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number.") % {"value": value[:40]}
            ) from None
        if not number.is_finite():
            raise ValidationError(_("Must be a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    raise ValidationError(_("Must be a number."))


def _rows(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise ValidationError(_("Must be a list of rows."))
    if len(value) > ROWS_MAX:
        raise ValidationError(_("At most %(limit)s rows.") % {"limit": ROWS_MAX})
    return value


def clean(question: QuestionLike, value: Any) -> Any:
    """The value in its stored shape, or a ValidationError saying what is wrong."""
    match question.kind:
        case QuestionKind.TEXT:
            return _text(value)
        case QuestionKind.NUMBER:
            return _number(value)
        case QuestionKind.CHOICE:
            text = _text(value, 300)
            allowed = question.config.get("choices", [])
            if text and text not in allowed:
                raise ValidationError(
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}
                )
            return text
        case QuestionKind.YES_NO_UNCERTAIN:
            value = value if isinstance(value, dict) else {"answer": value}
            answer = _text(value.get("answer"), 20)
            if answer and answer not in YNU:
                raise ValidationError(_("Answer yes, no or uncertain."))
            return {"answer": answer, "explanation": _text(value.get("explanation"))}
        case QuestionKind.PICO:
            if not isinstance(value, dict):
                raise ValidationError(
                    _("Must be an object with %(keys)s.") % {"keys": ", ".join(PICO)}
                )
            return {key: _text(value.get(key), 2000) for key in PICO}
        case QuestionKind.TABLE | QuestionKind.REFERENCES:
            cols = columns(question)
            rows = []
            for row in _rows(value):
                cleaned = {c.key: _text(row.get(c.key), CELL_MAX) for c in cols}
                for column in cols:
                    if column.choices and cleaned[column.key] not in ("", *column.values):
                        raise ValidationError(
                            _("%(column)s: choose one of %(choices)s.")
                            % {"column": column.label, "choices": ", ".join(column.values)}
                        )
                if any(cleaned.values()):
                    rows.append(cleaned)
            return rows
        case QuestionKind.COSTS:
            count = len(years(question))
            rows = []
            for row in _rows(value):
                amounts = list(row.get("amounts") or [])[:count]
                amounts += [None] * (count - len(amounts))
                cost: dict[str, Any] = {
                    "item": _text(row.get("item"), 300),
                    "category": _text(row.get("category"), 100),
                    "amounts": [_number(amount) for amount in amounts],
                }
                if (cost["item"] or cost["category"]) or any(
                    a is not None for a in cost["amounts"]
                ):
                    if not cost["item"]:
                        raise ValidationError(_("Every row with amounts needs a cost item."))
                    rows.append(cost)
            return rows
    raise ValidationError(_("Unknown answer kind."))


def check_config(question: QuestionLike) -> None:
    """A question's settings fit its kind (checked when a template version is published)."""
    config = question.config or {}
    label = question.label
    if question.kind == QuestionKind.CHOICE and not config.get("choices"):
        raise ValidationError(_("“%(label)s” needs its choices.") % {"label": label})
    if question.kind == QuestionKind.TABLE and not all(
        isinstance(c, dict) and c.get("key") and c.get("label")
        for c in config.get("columns") or [None]
    ):
        raise ValidationError(
            _("“%(label)s” needs columns with a key and a label.") % {"label": label}
        )
    if question.kind == QuestionKind.COSTS and not 1 <= int(config.get("years", 5)) <= 20:
        raise ValidationError(_("“%(label)s”: between 1 and 20 years.") % {"label": label})


def from_post(question: QuestionLike, post: Any) -> Any:
    """The raw value of one question from a submitted form (names start with the key)."""
    key = question.key
    match question.kind:
        case QuestionKind.YES_NO_UNCERTAIN:
            return {
                "answer": post.get(f"{key}-answer", ""),
                "explanation": post.get(f"{key}-explanation", ""),
            }
        case QuestionKind.PICO:
            return {part: post.get(f"{key}-{part}", "") for part in PICO}
        case QuestionKind.TABLE | QuestionKind.REFERENCES:
            cols = columns(question)
            return [
                {c.key: post.get(f"{key}-{i}-{c.key}", "") for c in cols}
                for i in range(_row_count(post, key))
            ]
        case QuestionKind.COSTS:
            return [
                {
                    "item": post.get(f"{key}-{i}-item", ""),
                    "category": post.get(f"{key}-{i}-category", ""),
                    "amounts": [post.get(f"{key}-{i}-y{year}", "") for year in years(question)],
                }
                for i in range(_row_count(post, key))
            ]
        case _:
            return post.get(key, "")


def _row_count(post: Any, key: str) -> int:
    try:
        return max(0, min(int(post.get(f"{key}-rows", 0)), ROWS_MAX + BLANK_ROWS))
    except (TypeError, ValueError):
        return 0


def is_answered(question: QuestionLike, value: Any) -> bool:
    if value is None or value in ("", [], {}):
        return False
    match question.kind:
        case QuestionKind.YES_NO_UNCERTAIN:
            return bool(value.get("answer"))
        case QuestionKind.PICO:
            return any(value.values())
    return True


def cost_totals(question: QuestionLike, rows: list[dict[str, Any]]) -> list[int | float]:
    """The sum per year, then the sum of all years."""
    totals: list[int | float] = [0 for _ in years(question)]
    for row in rows:
        for index, amount in enumerate(row.get("amounts", [])):
            valid = isinstance(amount, int | float) and not isinstance(amount, bool)
            if valid and index < len(totals):
                totals[index] += amount
    return [*totals, sum(totals)]


def year_label(year: int) -> str:
    return str(_("Start-up (year 0)")) if year == 0 else str(_("Year %(n)s") % {"n": year})


def as_text(question: QuestionLike, value: Any) -> str:
    """A value as plain text for the Word file and the change list (tables excluded)."""
    if not is_answered(question, value):
        return ""
    match question.kind:
        case QuestionKind.YES_NO_UNCERTAIN:
            answer = str(YNU.get(value["answer"], value["answer"]))
            return f"{answer}. {value['explanation']}".strip() if value["explanation"] else answer
        case QuestionKind.PICO:
            return "\n".join(f"{PICO[k]}: {v}" for k, v in value.items() if v)
        case QuestionKind.NUMBER:
            return formats.number_format(value, force_grouping=True)
    return str(value)
