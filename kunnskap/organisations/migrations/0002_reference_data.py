"""Load counties, municipalities and KSF regions, and open the national hub."""

from django.db import migrations

from kunnskap.organisations.reference import load_reference_data


def forwards(apps, schema_editor):
    County = apps.get_model("organisations", "County")
    Municipality = apps.get_model("organisations", "Municipality")
    Region = apps.get_model("organisations", "Region")
    Hub = apps.get_model("organisations", "Hub")
    load_reference_data(County, Municipality, Region)
    Hub.objects.get_or_create(level="national", defaults={"name": "Nasjonalt sekretariat"})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
