# Scoring evidence moves onto attachments.Attachment (issue 11 item 3).
#
# Every stored evidence file becomes an Attachment row (sha256, size and type read from the file,
# the uploader from the claim's history); the file stays where it is. The claim's history rows
# point at the same attachment where their file name matches.

import hashlib
from pathlib import PurePath

import django.db.models.deletion
from django.core.files.storage import default_storage
from django.db import migrations, models
from django.utils import timezone

from greenbuild.attachments import sniffing
from greenbuild.attachments.choices import FILE_TYPES
from greenbuild.attachments.storage import attachment_storage

EXTENSIONS = {ext: file_type for file_type, (exts, _type) in FILE_TYPES.items() for ext in exts}


def _read(name):
    """(sha256, size, file type) of a stored file, or None when it is missing."""
    storage = attachment_storage if attachment_storage.exists(name) else default_storage
    if not storage.exists(name):
        return None
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        handle.seek(0)
        detected = sniffing.detect(handle)
    if storage is not attachment_storage:  # the attachment storage was swapped: copy the file over
        with default_storage.open(name, "rb") as handle:
            attachment_storage.save(name, handle)
    return digest.hexdigest(), size, detected


def forward(apps, schema_editor):
    ClauseClaim = apps.get_model("scoring", "ClauseClaim")
    HistoricalClauseClaim = apps.get_model("scoring", "HistoricalClauseClaim")
    Attachment = apps.get_model("attachments", "Attachment")
    by_name = {}
    for claim in ClauseClaim.objects.exclude(evidence="").select_related("scorecard"):
        name = claim.evidence.name
        history = HistoricalClauseClaim.objects.filter(id=claim.pk).order_by("history_date", "history_id")
        first = history.filter(evidence=name).first() or history.last()
        found = _read(name)
        suffix = PurePath(name).suffix.lower()
        file_type = (found[2] if found and found[2] in FILE_TYPES else None) or EXTENSIONS.get(suffix, "pdf")
        attachment = Attachment.objects.create(
            original_name=PurePath(name).name,
            file=name if found else "",
            sha256=found[0] if found else "",
            size=found[1] if found else 0,
            file_type=file_type,
            content_type=FILE_TYPES[file_type][1],
            kind="evidence",
            project_id=claim.scorecard.project_id,
            uploaded_by_id=first.history_user_id if first else None,
            created_at=first.history_date if first else timezone.now(),
            removed_at=None if found else timezone.now(),
        )
        by_name[name] = attachment.pk
        claim.evidence_attachment_id = attachment.pk
        claim.save(update_fields=["evidence_attachment"])
    for name, pk in by_name.items():
        HistoricalClauseClaim.objects.filter(evidence=name).update(evidence_attachment_id=pk)


def backward(apps, schema_editor):
    ClauseClaim = apps.get_model("scoring", "ClauseClaim")
    HistoricalClauseClaim = apps.get_model("scoring", "HistoricalClauseClaim")
    Attachment = apps.get_model("attachments", "Attachment")
    names = dict(Attachment.objects.filter(kind="evidence").values_list("pk", "file"))
    for claim in ClauseClaim.objects.filter(evidence_attachment__isnull=False):
        claim.evidence = names.get(claim.evidence_attachment_id, "")
        claim.save(update_fields=["evidence"])
    for pk, name in names.items():
        HistoricalClauseClaim.objects.filter(evidence_attachment_id=pk).update(evidence=name or "")


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        ("attachments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="clauseclaim",
            name="evidence_attachment",
            field=models.ForeignKey(
                blank=True,
                help_text="The current evidence file; its id changes whenever the evidence is replaced.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="attachments.attachment",
                verbose_name="evidence",
            ),
        ),
        migrations.AddField(
            model_name="historicalclauseclaim",
            name="evidence_attachment",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The current evidence file; its id changes whenever the evidence is replaced.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="attachments.attachment",
                verbose_name="evidence",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="clauseclaim", name="evidence"),
        migrations.RemoveField(model_name="historicalclauseclaim", name="evidence"),
        migrations.RenameField(model_name="clauseclaim", old_name="evidence_attachment", new_name="evidence"),
        migrations.RenameField(model_name="historicalclauseclaim", old_name="evidence_attachment", new_name="evidence"),
    ]
