"""`kunnskap load-organisations`: bring counties, municipalities and KSF regions up to date."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from kunnskap.organisations.models import County, Municipality, Region
from kunnskap.organisations.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the shipped municipality list and KSF regions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            load_reference_data(County, Municipality, Region)
        self.stdout.write(
            f"{County.objects.count()} counties, {Municipality.objects.count()} municipalities, "
            f"{Region.objects.count()} KSF regions."
        )
