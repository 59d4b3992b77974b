from types import SimpleNamespace

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from kunnskap.assessments.defaults import load_template, template_data

    Template = apps.get_model("assessments", "Template")
    if Template.objects.filter(version=1).exists():
        return
    models = SimpleNamespace(
        Template=Template,
        Section=apps.get_model("assessments", "Section"),
        Question=apps.get_model("assessments", "Question"),
    )
    load_template(models, template_data(1), published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
