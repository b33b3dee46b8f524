from django.db import migrations


def load(apps, schema_editor):
    from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021, load_programme

    load_programme(apps, CHANGZHOU_2021)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial"), ("reference", "0002_load_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
