"""Load Statistics Norway's municipality list and the KSF regions shipped in data/.

Used by a data migration (with historical models) and by `kunnskap load-organisations` to
bring an existing database up to date. Loading is idempotent: rows are matched by number or
name and updated in place, so edits to other fields made in the admin survive.
"""

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(county_model: Any, municipality_model: Any, region_model: Any) -> None:
    """Create or update counties, municipalities and KSF regions from the shipped CSV files."""
    rows = read_csv("kommuner-2024.csv")
    counties = {}
    for row in rows:
        number = row["fylkesnummer"]
        if number not in counties:
            counties[number], _ = county_model.objects.update_or_create(
                number=number, defaults={"name": row["fylkesnavn"]}
            )
    for row in rows:
        municipality_model.objects.update_or_create(
            number=row["kommunenummer"],
            defaults={
                "name": row["navn"],
                "norwegian_name": row["norsk_navn"],
                "county": counties[row["fylkesnummer"]],
            },
        )
    for row in read_csv("ksf-regioner.csv"):
        region, _ = region_model.objects.update_or_create(
            name=row["region"], defaults={"host_id": row["vertskapskommune"]}
        )
        county_numbers = [number.strip() for number in row["fylker"].split(";")]
        # Only counties without a region are assigned: a membership changed in the admin stays.
        # Saved one by one (fifteen counties at most), so each change has its history row.
        for county in county_model.objects.filter(number__in=county_numbers, region__isnull=True):
            county.region = region
            county.save(update_fields=["region"])
