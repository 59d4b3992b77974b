"""The sources librarians search by default (seed 003: «kunnskapsbase», «sekundære ressurser»)."""

from django.db import migrations

SOURCES = [
    ("Helsebiblioteket", "https://www.helsebiblioteket.no/"),
    ("FHI – publikasjoner", "https://www.fhi.no/publ/"),
    ("MMV-databasen (mini-metodevurderinger)", ""),
    ("Epistemonikos", "https://www.epistemonikos.org/"),
    ("Cochrane Library", "https://www.cochranelibrary.com/"),
    ("Kunnskapsstøttes eget bibliotek", ""),
]


def forwards(apps, schema_editor):
    LiteratureSource = apps.get_model("proposals", "LiteratureSource")
    for position, (name, url) in enumerate(SOURCES):
        LiteratureSource.objects.get_or_create(name=name, defaults={"url": url, "position": position})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
