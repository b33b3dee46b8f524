"""The register's own rules: numbers per kind and year, once per object, re-issue supersedes,
nothing changes a filed document, and the public verification page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.documents import services
from greenbuild.documents.models import DocumentCounter, ImmutableRecord, IssuedDocument
from greenbuild.documents.registry import register_kind
from greenbuild.documents.tests.conftest import TEST_KIND
from greenbuild.testing.factories import make_project

YEAR = timezone.localdate().year


def issue(actor, project):
    return services.issue_document(actor=actor, kind=TEST_KIND, object_id=project.pk)


def test_numbers_follow_the_kinds_prefix_and_run_from_one_each_year(personas, test_kind):
    projects = [make_project(personas["alice_owner"], name="编号项目{}".format(i)) for i in range(3)]
    numbers = [issue(personas["bureau"], p)[0].number for p in projects]
    assert numbers == ["常住建测〔{}〕{}号".format(YEAR, n) for n in (1, 2, 3)]
    assert DocumentCounter.objects.get(kind=TEST_KIND, year=YEAR).last_serial == 3


def test_pressing_twice_files_one_document(personas, test_kind):
    project = make_project(personas["alice_owner"], name="重复点击项目")
    first, created = issue(personas["bureau"], project)
    again, created_again = issue(personas["bureau"], project)
    assert created and not created_again and again.pk == first.pk
    assert IssuedDocument.objects.count() == 1


def test_a_failed_issue_gives_its_number_back(personas, test_kind):
    project = make_project(personas["alice_owner"], name="失败项目")

    def broken(obj, draft):
        raise RuntimeError("layout failed")

    register_kind(replace(test_kind, render=broken))
    with pytest.raises(RuntimeError):
        issue(personas["bureau"], project)
    register_kind(test_kind)
    assert issue(personas["bureau"], project)[0].serial == 1


def test_only_the_party_the_kind_names_issues(personas, test_kind):
    project = make_project(personas["alice_owner"], name="越权项目")
    with pytest.raises(ActionForbidden):
        issue(personas["alice_owner"], project)
    assert not IssuedDocument.objects.exists()


def test_a_reissue_takes_a_new_number_supersedes_the_old_and_needs_a_reason(personas, test_kind):
    project = make_project(personas["alice_owner"], name="重发项目")
    old, _created = issue(personas["bureau"], project)
    with pytest.raises(DomainError):
        services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="  ")
    new = services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="更正项目名称")
    assert new.serial == old.serial + 1 and new.supersedes_id == old.pk
    old = IssuedDocument.objects.get(pk=old.pk)
    assert not old.is_current and old.successor == new
    with pytest.raises(DomainError):  # the second press of the same re-issue files nothing
        services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="更正项目名称")
    assert IssuedDocument.objects.count() == 2
    assert issue(personas["bureau"], project)[0].pk == new.pk  # the current one


def test_a_filed_document_is_never_changed_or_removed(personas, test_kind):
    project = make_project(personas["alice_owner"], name="不可改项目")
    document, _created = issue(personas["bureau"], project)
    document.subject = "改了"
    with pytest.raises(ImmutableRecord):
        document.save()
    with pytest.raises(ImmutableRecord):
        IssuedDocument.objects.filter(pk=document.pk).update(subject="改了")
    with pytest.raises(ImmutableRecord):
        document.delete()
    with pytest.raises(ImmutableRecord):
        IssuedDocument.objects.all().delete()
    assert IssuedDocument.objects.get(pk=document.pk).subject == "关于不可改项目的测试通知"


def test_the_admin_shows_documents_and_changes_nothing(client, personas, test_kind, admin_user):
    project = make_project(personas["alice_owner"], name="后台项目")
    document, _created = issue(personas["bureau"], project)
    client.force_login(admin_user)
    change = reverse("admin:documents_issueddocument_change", args=[document.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"subject": "改了"})
    assert client.post(reverse("admin:documents_issueddocument_delete", args=[document.pk])).status_code == 403
    assert IssuedDocument.objects.get(pk=document.pk).subject == "关于后台项目的测试通知"


# --- the public verification page ---------------------------------------------------------------


def _pdf(document) -> bytes:
    return document.file.file.open("rb").read()


def test_the_verification_page_shows_the_public_facts_and_nothing_confidential(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="核验项目")
    document, _created = issue(personas["bureau"], project)
    page = client.get(reverse("documents:verify", args=[document.token])).content.decode()
    for fact in (document.number, "测试通知", document.issuer_name, document.subject, document.sha256):
        assert fact in page
    for secret in (
        personas["bureau"].username,
        str(personas["bureau"]),
        project.owner.name,
        reverse("documents:document-download", args=[document.pk]),
        document.file.file.name,
    ):
        assert secret not in page
    assert client.get(reverse("documents:verify", args=["no-such-token"])).status_code == 404


def test_the_issued_file_passes_verification_and_a_changed_copy_fails(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="篡改项目")
    document, _created = issue(personas["bureau"], project)
    url = reverse("documents:verify", args=[document.token])
    original = _pdf(document)
    page = client.post(url, {"file": SimpleUploadedFile("copy.pdf", original)}).content.decode()
    assert "is the issued document" in page or "就是出具的文件" in page or 'alert-success" id="verify-result"' in page
    changed = original.replace(b"%%EOF", b"% changed\n%%EOF")
    page = client.post(url, {"file": SimpleUploadedFile("copy.pdf", changed)}).content.decode()
    assert 'alert-danger" id="verify-result"' in page
    start = reverse("documents:verify-start")
    page = client.post(start, {"file": SimpleUploadedFile("copy.pdf", original)}).content.decode()
    assert 'alert-success" id="verify-result"' in page and document.number in page
    page = client.post(start, {"file": SimpleUploadedFile("copy.pdf", changed)}).content.decode()
    assert 'alert-danger" id="verify-result"' in page and document.number not in page


def test_a_copy_that_is_not_a_pdf_is_refused_with_a_message(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="非PDF项目")
    document, _created = issue(personas["bureau"], project)
    url = reverse("documents:verify", args=[document.token])
    response = client.post(url, {"file": SimpleUploadedFile("copy.pdf", b"PK\x03\x04 not a pdf")})
    assert response.status_code == 200 and 'id="verify-result"' not in response.content.decode()
    assert "alert-danger" in response.content.decode()
    assert client.post(url, {}).status_code == 200  # no file: the form says so, no 500


def test_the_verification_page_of_a_superseded_document_names_its_successor(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="作废项目")
    old, _created = issue(personas["bureau"], project)
    new = services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="更正")
    page = client.get(reverse("documents:verify", args=[old.token])).content.decode()
    assert new.number in page and reverse("documents:verify", args=[new.token]) in page
