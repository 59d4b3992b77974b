"""`kunnskap import-publications FILE`: load a publication list (CSV or JSON), all rows or none.

The fields are the API's (POST /api/v1/publications). In CSV, list fields (themes,
service_areas, proposals, key_messages) are separated by `;`. A row with a `source_id` that is
in the library already updates that publication, so a list can be imported again.
"""

import csv
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from pydantic import ValidationError as SchemaError

from kunnskap.api import field_name, plain_message
from kunnskap.api_errors import FieldError
from kunnskap.library.api import PublicationIn, to_input
from kunnskap.library.services import PublicationInput, publications_import

LISTS = ("themes", "service_areas", "proposals", "key_messages")


def read(file: Path) -> list[dict[str, Any]]:
    if file.suffix.lower() == ".json":
        data = json.loads(file.read_text(encoding="utf-8"))
        items = data.get("items", data) if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise CommandError(
                "The JSON file must hold a list of publications (or {items: [...]})."
            )
        return items
    with file.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for record in csv.DictReader(handle):
            row: dict[str, Any] = {k: (v or "").strip() for k, v in record.items() if k}
            for name in LISTS:
                if name in row:
                    row[name] = [part.strip() for part in row[name].split(";") if part.strip()]
            rows.append({k: v for k, v in row.items() if v not in ("", [])})
        return rows


class Command(BaseCommand):
    help = "Import publications from CSV or JSON with the API's fields; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        records = read(file)
        first_line = 1 if file.suffix.lower() == ".json" else 2  # CSV: after the header
        inputs: list[PublicationInput] = []
        errors: list[str] = []
        seen: dict[str, int] = {}
        for number, record in enumerate(records, start=first_line):
            try:
                inputs.append(to_input(PublicationIn(**record)))
            except SchemaError as error:
                errors += [
                    f"row {number}: {field_name(e)}: {plain_message(e)}" for e in error.errors()
                ]
            except FieldError as error:
                errors.append(f"row {number}: {error.field}: {error.message}")
            source = record.get("source_id")
            if source and source in seen:
                errors.append(f"row {number}: source_id: the same as row {seen[source]}.")
            elif source:
                seen[source] = number
        if errors:
            raise CommandError("Nothing was imported.\n" + "\n".join(errors))
        try:
            with transaction.atomic():
                created, updated = publications_import(inputs)
        except ValidationError as error:
            raise CommandError("Nothing was imported.\n" + "; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Imported {created} new and updated {updated} publications.")
        )
