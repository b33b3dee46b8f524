"""The eleven lifecycle steps with their responsible departments (data/step_types.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from greenbuild.lifecycle.data import load_step_types

    load_step_types(apps.get_model("lifecycle", "StepType"), apps.get_model("reference", "Department"))


class Migration(migrations.Migration):
    dependencies = [("lifecycle", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
