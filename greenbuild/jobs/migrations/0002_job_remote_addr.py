from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="remote_addr",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="network address"),
        ),
    ]
