from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_security_controls"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("bureau_admin", "Bureau administrator"),
                    ("district_official", "District official"),
                    ("department_reviewer", "Department reviewer"),
                    ("owner_applicant", "Owner applicant"),
                    ("participant", "Participant"),
                    ("expert", "Expert"),
                    ("evaluator", "Third-party evaluator"),
                    ("public", "Public"),
                    ("system_admin", "System administrator"),
                    ("security_admin", "Security administrator"),
                    ("audit_admin", "Audit administrator"),
                ],
                max_length=32,
                verbose_name="role",
            ),
        ),
    ]
