"""The producers the pilots ordered from (seeds 000 and 003)."""

from django.db import migrations

PRODUCERS = [
    ("Folkehelseinstituttet", "FHI", "https://www.fhi.no/"),
    (
        "Senter for kunnskapsbasert praksis, Høgskulen på Vestlandet",
        "HVL",
        "https://www.hvl.no/",
    ),
]


def forwards(apps, schema_editor):
    Producer = apps.get_model("commissions", "Producer")
    for name, short_name, url in PRODUCERS:
        Producer.objects.get_or_create(name=name, defaults={"short_name": short_name, "url": url})


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
