"""Score bands for the schemes that have none: ≥ 80 pass; 60–79.99 pass with revisions or revise and
resubmit; below 60 fail (editable in the admin afterwards)."""

from decimal import Decimal

from django.db import migrations

BANDS = [
    (Decimal(80), {"allows_passed": True}),
    (Decimal(60), {"allows_passed_with_revisions": True, "allows_revise": True}),
    (Decimal(0), {"allows_failed": True}),
]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("reviews", "CriteriaScheme")
    Band = apps.get_model("reviews", "ScoreBand")
    for scheme in Scheme.objects.all():
        if Band.objects.filter(scheme=scheme).exists():
            continue
        for start, allowed in BANDS:
            Band.objects.create(scheme=scheme, min_score=start, **allowed)


def backwards(apps, schema_editor):
    apps.get_model("reviews", "ScoreBand").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_expert_opinion_bands_panel_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
