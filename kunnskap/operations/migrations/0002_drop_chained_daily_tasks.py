"""The daily jobs used to queue their own next run; the schedule starts them now, so the waiting
runs of the old chain are removed (else each would run once more beside the schedule's)."""

from django.db import migrations

CHAINED = [
    "kunnskap.commissions.tasks.remind_overdue_milestones",
    "kunnskap.newsletter.tasks.send_digests",
]


def drop_chained(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path__in=CHAINED, status="READY").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(drop_chained, migrations.RunPython.noop)]
