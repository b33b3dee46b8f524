"""Load the first edition of the technical guideline (data/changzhou-2021-v1.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from greenbuild.guidelines.services import load_edition

    load_edition(
        guideline_model=apps.get_model("guidelines", "Guideline"),
        item_model=apps.get_model("guidelines", "GuidelineItem"),
    )


def unload(apps, schema_editor):
    apps.get_model("guidelines", "Guideline").objects.filter(code="changzhou-2021-v1").delete()


class Migration(migrations.Migration):
    dependencies = [("guidelines", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
