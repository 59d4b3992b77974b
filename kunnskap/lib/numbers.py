"""The one rounding of every number a person reads: on a page, in a PDF, a Word file or an Excel
sheet. Half away from zero on the decimal value (0.665 → 0.67), as people round on paper and as
Django's `floatformat` does; never truncation (`number_format` cuts 0.666 to 0.66) nor Python's
`round` (binary floats and half-to-even: round(0.665, 2) == 0.66)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format


def rounded(value: float | int | Decimal, digits: int = 0) -> Decimal:
    """`value` rounded half up to `digits` decimals, from its shortest decimal form."""
    try:
        exact = Decimal(str(value)) if not isinstance(value, Decimal) else value
        return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # NaN or infinity: nothing to round
        return Decimal(value)


def number(
    value: float | int | Decimal | None,
    digits: int = 0,
    *,
    grouping: bool = False,
    empty: str = "–",
) -> str:
    """The number as the reader's language writes it (decimal comma in Norwegian), rounded with
    `rounded`; `empty` for no value."""
    if value is None or value == "":
        return empty
    return number_format(rounded(value, digits), digits, force_grouping=grouping)


def round_float(value: float, digits: int) -> float:
    """A rounded float for a number stored or exported as a number (Excel cells, JSON)."""
    return float(rounded(value, digits))
