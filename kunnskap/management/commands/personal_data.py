"""`kunnskap personal-data export|erase EMAIL`: a person's data as JSON, or erased (GDPR)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kunnskap.operations.personal_data import personal_data_erase, personal_data_json


class Command(BaseCommand):
    help = "Print all data held about a person as JSON (export), or erase it (erase)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")

    def handle(self, *args: Any, action: str, email: str, **options: Any) -> None:
        if action == "export":
            self.stdout.write(personal_data_json(email=email))
            return
        done = personal_data_erase(email=email)
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in done.items()))
