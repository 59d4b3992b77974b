"""The 9 service areas and 15 themes of seed 003 (Pilot 2.0's analysis tables)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy.csv"


def forwards(apps, schema_editor):
    models = {
        "service_area": apps.get_model("taxonomy", "ServiceArea"),
        "theme": apps.get_model("taxonomy", "Theme"),
    }
    with DATA.open(encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            models[row["dimension"]].objects.update_or_create(
                key=row["key"],
                defaults={"label": row["label"], "label_en": row["label_en"], "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
