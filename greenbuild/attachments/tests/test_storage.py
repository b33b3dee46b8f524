"""Stored through the storage API: random stored names, sha256, no orphan files, swappable storage."""

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.files.storage import InMemoryStorage, storages
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from greenbuild.attachments import services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.storage import attachment_storage
from greenbuild.attachments.tests.conftest import PDF, PNG, upload
from greenbuild.core.errors import ActionForbidden


def store(actor, project, name="施工方案（第2版）.pdf", content=PDF, **kwargs):
    return services.store_attachment(
        actor=actor, project=project, kind=AttachmentKind.EVIDENCE, uploaded_file=upload(name, content), **kwargs
    )


def test_a_stored_file_keeps_its_original_name_under_a_random_stored_name_with_its_sha256(alice_owner, pilot):
    attachment = store(alice_owner, pilot)
    assert attachment.original_name == "施工方案（第2版）.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert (attachment.file_type, attachment.content_type, attachment.kind) == ("pdf", "application/pdf", "evidence")
    assert attachment.uploaded_by == alice_owner and attachment.project == pilot
    name = attachment.file.name
    assert name.startswith("attachments/evidence/") and name.endswith(".pdf") and "施工" not in name
    assert attachment_storage.open(name).read() == PDF
    assert store(alice_owner, pilot).file.name != name  # same upload, new random name
    assert [h.history_user for h in attachment.history.all()] == [alice_owner]


def test_a_path_in_the_uploaded_name_is_dropped(alice_owner, pilot):
    assert store(alice_owner, pilot, name="../../etc/报告.pdf").original_name == "报告.pdf"


def test_only_users_who_see_the_project_may_attach_to_it(olivia_other_owner, pilot):
    with pytest.raises(ActionForbidden):
        store(olivia_other_owner, pilot)
    assert not Attachment.objects.exists()


def test_replacing_removes_the_old_stored_file_and_keeps_its_record(
    alice_owner, pilot, django_capture_on_commit_callbacks
):
    old = store(alice_owner, pilot, name="旧.pdf")
    old_name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        new = services.replace_attachment(
            actor=alice_owner, attachment=old, uploaded_file=upload("新.pdf", PDF + b"v2")
        )
    old.refresh_from_db()
    assert not attachment_storage.exists(old_name)
    assert attachment_storage.exists(new.file.name)
    assert (old.replaced_by, old.file.name, old.original_name) == (new, "", "旧.pdf")
    assert old.removed_at is not None and old.sha256 == hashlib.sha256(PDF).hexdigest()
    assert list(Attachment.objects.current()) == [new]


def test_deleting_removes_the_stored_file_only_when_the_deletion_commits(
    alice_owner, pilot, django_capture_on_commit_callbacks
):
    attachment = store(alice_owner, pilot)
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_attachment(actor=alice_owner, attachment=attachment)
    assert attachment_storage.exists(name)  # not committed yet: a rollback would keep the file
    for callback in callbacks:
        callback()
    assert not attachment_storage.exists(name) and not Attachment.objects.exists()


def test_deleting_the_project_removes_its_files(alice_owner, filed_project, django_capture_on_commit_callbacks):
    # A draft: a pilot's review rounds protect it from deletion (the review record is kept).
    draft = filed_project("draft", name="草稿项目")
    name = store(alice_owner, draft).file.name
    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    assert not attachment_storage.exists(name)


def test_the_storage_is_swapped_by_setting(alice_owner, pilot, client, settings):
    swapped = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    with override_settings(STORAGES=swapped):
        assert isinstance(storages["attachments"], InMemoryStorage)
        attachment = store(alice_owner, pilot, name="现场.png", content=PNG)
        assert storages["attachments"].exists(attachment.file.name)
        assert not (settings.MEDIA_ROOT / attachment.file.name).exists()  # nothing on disk
        client.force_login(alice_owner)
        response = client.get(reverse("attachments:download", args=[attachment.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert not attachment_storage.exists(attachment.file.name)  # back on the disk storage


def test_pending_files_nobody_saved_are_purged_after_a_day(alice_owner, pilot, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        stale = store(alice_owner, pilot, pending=True)
        kept = store(alice_owner, pilot)
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), tick=False):
        fresh = store(alice_owner, pilot, pending=True)
    out = io.StringIO()
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.purge_pending_attachments() == 1
        call_command("cleanup_attachments", stdout=out)
    assert "pending attachments removed: 0" in out.getvalue()
    assert set(Attachment.objects.all()) == {kept, fresh}
    assert not attachment_storage.exists(stale.file.name) and attachment_storage.exists(kept.file.name)


def test_orphan_files_left_by_a_rolled_back_save_are_swept(alice_owner, pilot):
    kept = store(alice_owner, pilot)
    orphan = attachment_storage.save("attachments/evidence/2026/03/orphan.pdf", upload("x.pdf", PDF))
    assert services.purge_orphan_files(older_than=dt.timedelta(0), now=None) == 1
    assert not attachment_storage.exists(orphan) and attachment_storage.exists(kept.file.name)
