"""Before a municipality could share a need twice, once without and once with a unit (or with
two units). Keep one row per need and municipality: the submitter's own first, then one that
counts, then the earliest. The next migration makes the rule a constraint."""

from django.db import migrations
from django.db.models import Count


def keep_one_per_municipality(apps, schema_editor):
    Endorsement = apps.get_model("proposals", "Endorsement")
    doubled = (
        Endorsement.objects.values("proposal_id", "municipality_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    for pair in doubled.iterator():
        rows = list(
            Endorsement.objects.filter(
                proposal_id=pair["proposal_id"], municipality_id=pair["municipality_id"]
            ).select_related("source")
        )

        def rank(row):
            counts = row.source_id is None or row.source.accepted_at is not None
            return (not row.is_original, not counts, row.created_at, row.pk)

        rows.sort(key=rank)
        Endorsement.objects.filter(pk__in=[row.pk for row in rows[1:]]).delete()


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_submitter_language")]

    operations = [migrations.RunPython(keep_one_per_municipality, migrations.RunPython.noop)]
