"""The first version of the evaluation scheme, from R7–R14 and the reference (``scheme_data``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from greenbuild.completion.scheme_data import create_first_version

    create_first_version(apps.get_model("completion", "EvaluationScheme"))


class Migration(migrations.Migration):
    dependencies = [("completion", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
