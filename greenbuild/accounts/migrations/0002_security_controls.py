import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Set when an administrator sets the password; the user must choose a new one at next sign-in.",
                verbose_name="must change password",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="failed_login_count",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="consecutive failed sign-ins"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="last_failed_login_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last failed sign-in"),
        ),
        migrations.AddField(
            model_name="user",
            name="locked_until",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="locked until"),
        ),
        migrations.CreateModel(
            name="LoginFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                ),
                ("username", models.CharField(blank=True, max_length=150, verbose_name="username")),
                ("remote_addr", models.GenericIPAddressField(blank=True, null=True, verbose_name="network address")),
            ],
            options={
                "verbose_name": "failed sign-in",
                "verbose_name_plural": "failed sign-ins",
                "indexes": [models.Index(fields=["remote_addr", "at"], name="loginfailure_addr_at")],
            },
        ),
    ]
