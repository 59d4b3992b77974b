"""CSV files streamed row by row, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from kunnskap.lib.text import xml_safe


def cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection), and
    loses what XML forbids (the same cells go into Excel files); numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes strings to stream."""

    def write(self, value: str) -> str:
        return value


# UTF-8's byte-order mark: without it Excel reads the file as Windows-1252 and garbles æ, ø, å.
BOM = "\ufeff"


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> StreamingHttpResponse:
    """Stream rows as a CSV download in UTF-8 with a byte-order mark; every cell passes through
    `cell`."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield BOM
        for row in rows:
            yield writer.writerow([cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
