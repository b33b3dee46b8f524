"""The PDFs the old letter job made (each press a new, unnumbered "letter", filed as a project
attachment that every project insider could download, REV-10) become programme-level files: only
whoever made one and the bureau still reach them. The official letter is now an issued document."""

from django.db import migrations

OLD_JOB_KIND = "reviews.decision_letter"


def retire(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Attachment = apps.get_model("attachments", "Attachment")
    results = Job.objects.filter(kind=OLD_JOB_KIND, result__isnull=False).values_list("result_id", flat=True)
    Attachment.objects.filter(pk__in=list(results)).update(project=None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_issued_documents_register"),
        ("jobs", "0001_initial"),
        ("attachments", "0001_initial"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
