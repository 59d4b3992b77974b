"""`kunnskap import-proposals FILE.csv`: load needs of earlier rounds, all rows or none."""

import csv
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kunnskap.organisations.models import Unit
from kunnskap.proposals import services
from kunnskap.proposals.choices import UNSCREENED_STATUSES, Status
from kunnskap.proposals.forms import find_municipality
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import ServiceArea, Theme

REQUIRED = ["title", "question", "municipality", "status", "submitted"]
COLUMNS = """Columns (UTF-8 CSV with a header row):
  id            optional, like KB2019-014; else the next free number of the submission year
  title, question                 required
  municipality  required: number or name (Sámi or Norwegian)
  unit          optional: a unit of that municipality, by name
  service_area, theme             optional: taxonomy key or label
  status        required: a status code (submitted, eligible, commissioned, ...)
  submitted     required: date, YYYY-MM-DD
  background, submitter_name, submitter_email   optional"""


@dataclass
class Row:
    line: int
    data: services.ProposalInput
    public_id: str
    status: Status
    submitted_at: datetime


def find_term(model: Any, text: str) -> Any:
    text = text.strip()
    return model.objects.filter(Q(key=text) | Q(label__iexact=text)).first() if text else None


class Command(BaseCommand):
    help = "Import knowledge needs from a CSV file, validating every row before writing any."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=COLUMNS)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"Missing columns: {', '.join(missing)}.\n{COLUMNS}")
            records = list(reader)
        rows, errors = self.validate(records)
        if errors:
            raise CommandError("Nothing was imported.\n" + "\n".join(errors))
        try:
            with transaction.atomic():
                for row in rows:
                    try:
                        services.proposal_import(
                            data=row.data,
                            public_id=row.public_id,
                            status=row.status,
                            submitted_at=row.submitted_at,
                            accepted=row.status not in (*UNSCREENED_STATUSES, Status.OUT_OF_SCOPE),
                        )
                    except ValidationError as error:
                        raise CommandError(
                            f"Nothing was imported.\nline {row.line}: {'; '.join(error.messages)}"
                        ) from error
        except CommandError:
            raise
        self.stdout.write(f"Imported {len(rows)} knowledge needs.")

    def validate(self, records: list[dict[str, str]]) -> tuple[list[Row], list[str]]:
        rows: list[Row] = []
        errors: list[str] = []
        seen: set[str] = set()
        next_numbers: dict[int, int] = {}
        # Ids the file gives explicitly are not handed out to the rows that have none.
        explicit = {(record.get("id") or "").strip() for record in records} - {""}
        for line, record in enumerate(records, start=2):  # line 1 is the header
            problems: list[str] = []
            value = {key: (text or "").strip() for key, text in record.items() if key}
            for name in REQUIRED:
                if not value.get(name):
                    problems.append(f"{name} is empty")
            municipality = find_municipality(value.get("municipality", ""))
            if value.get("municipality") and municipality is None:
                problems.append(f"unknown municipality {value['municipality']!r}")
            unit = None
            if value.get("unit") and municipality is not None:
                unit = Unit.objects.filter(
                    municipality=municipality, name__iexact=value["unit"]
                ).first()
                if unit is None:
                    problems.append(f"{municipality.name} has no unit {value['unit']!r}")
            service_area = find_term(ServiceArea, value.get("service_area", ""))
            if value.get("service_area") and service_area is None:
                problems.append(f"unknown service area {value['service_area']!r}")
            theme = find_term(Theme, value.get("theme", ""))
            if value.get("theme") and theme is None:
                problems.append(f"unknown theme {value['theme']!r}")
            status = value.get("status", "")
            if status and status not in Status.values:
                problems.append(f"unknown status {status!r}")
            submitted_at = None
            try:
                if value.get("submitted"):
                    day = datetime.strptime(value["submitted"], "%Y-%m-%d").date()
                    submitted_at = timezone.make_aware(datetime.combine(day, time(12)))
            except ValueError:
                problems.append(f"submitted {value['submitted']!r} is not a date like 2019-09-26")
            public_id = value.get("id", "")
            if public_id:
                try:
                    services.parse_public_id(public_id)
                except ValueError as error:
                    problems.append(str(error))
            elif submitted_at is not None:
                year = submitted_at.year
                if year not in next_numbers:
                    taken = Proposal.objects.filter(year=year).order_by("-number").first()
                    next_numbers[year] = taken.number if taken else 0
                next_numbers[year] += 1
                while f"KB{year}-{next_numbers[year]:03d}" in explicit:
                    next_numbers[year] += 1
                public_id = f"KB{year}-{next_numbers[year]:03d}"
            if public_id in seen or (
                public_id and Proposal.objects.filter(public_id=public_id).exists()
            ):
                problems.append(f"the id {public_id} is used already")
            seen.add(public_id)
            if problems:
                errors.append(f"line {line}: " + "; ".join(problems))
                continue
            assert municipality is not None and submitted_at is not None
            rows.append(
                Row(
                    line=line,
                    public_id=public_id,
                    status=Status(status),
                    submitted_at=submitted_at,
                    data=services.ProposalInput(
                        title=value["title"],
                        question=value["question"],
                        background=value.get("background", ""),
                        municipality=municipality,
                        unit=unit,
                        service_area=service_area,
                        theme=theme,
                        submitter_name=value.get("submitter_name", ""),
                        submitter_email=value.get("submitter_email", ""),
                    ),
                )
            )
        return rows, errors
