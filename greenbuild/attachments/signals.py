"""Stored files follow their rows: a deleted attachment's file is removed once the deletion commits."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from greenbuild.attachments.models import Attachment
from greenbuild.attachments.storage import attachment_storage, reset_attachment_storage


def remove_stored_file(name: str) -> None:
    """Remove ``name`` from the attachment storage after the current transaction commits."""
    if name:
        transaction.on_commit(lambda: attachment_storage.delete(name))


@receiver(post_delete, sender=Attachment, dispatch_uid="attachments-remove-file")
def _remove_file_of_deleted_attachment(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    if instance.file.name:
        remove_stored_file(instance.file.name)


@receiver(setting_changed, dispatch_uid="attachments-storage-reset")
def _reset_storage(setting: str, **kwargs: Any) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        reset_attachment_storage()
