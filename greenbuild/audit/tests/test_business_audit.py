"""Issue 17 item 9 and ACC-08: business actions in the audit log (moves, sign-offs, issued
documents, personal-data exports), imports with the requester's address, objects in the reader's
language."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from greenbuild.audit.choices import EventKind
from greenbuild.audit.describe import describe, target_text
from greenbuild.audit.models import AuditEvent
from greenbuild.core.credit_code import make_credit_code
from greenbuild.documents.tests.conftest import TEST_KIND, test_kind  # noqa: F401 (fixture)
from greenbuild.imports.tests.conftest import immediate, workbook  # noqa: F401 (fixture)


def test_every_workflow_move_is_audited_with_its_states(client, personas, filed_project):
    project = filed_project("recommended")
    moves = AuditEvent.objects.filter(kind=EventKind.WORKFLOW_MOVE, target_id=str(project.pk)).order_by("pk")
    assert [(e.details["from_status"], e.details["to_status"]) for e in moves] == [
        ("draft", "submitted"),
        ("submitted", "recommended"),
    ]
    assert [e.username for e in moves] == ["alice", "dan"]
    with translation.override("zh-hans"):
        text = describe(moves[1])
    assert "→" in text and "recommended" not in text and "submitted" not in text


def test_a_move_through_a_page_carries_the_address(client, personas, filed_project):
    project = filed_project("draft")
    client.force_login(personas["alice_owner"])
    client.post(
        reverse("projects:project-transition", args=[project.pk, "submit"]),
        {"comment": ""},
        REMOTE_ADDR="10.6.6.6",
    )
    event = AuditEvent.objects.filter(kind=EventKind.WORKFLOW_MOVE, target_id=str(project.pk)).last()
    assert event is not None and event.details["to_status"] == "submitted" and event.remote_addr == "10.6.6.6"


def test_an_issued_document_is_audited(personas, test_kind):  # noqa: F811
    from greenbuild.documents import services
    from greenbuild.testing.factories import make_project

    project = make_project(personas["alice_owner"], name="发文项目")
    document, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_ISSUED)
    assert event.actor == personas["bureau"] and event.details["number"] == document.number
    with translation.override("zh-hans"):
        assert describe(event) == "测试通知 {}".format(document.number)


def test_an_import_run_by_its_job_carries_the_requesters_address(client, bureau, immediate):  # noqa: F811
    data = workbook(
        ["单位名称", "统一社会信用代码", "单位类型", "所属区", "联系电话"],
        [["导入审计单位", make_credit_code("91320411000009001"), "施工单位", "天宁区", ""]],
    )
    client.force_login(bureau)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("imports:import-form", args=["organisations"]),
            {"workbook": SimpleUploadedFile("单位.xlsx", data)},
            REMOTE_ADDR="10.5.5.5",
        )
    event = AuditEvent.objects.get(kind=EventKind.IMPORT)
    assert event.remote_addr == "10.5.5.5" and event.actor == bureau
    with translation.override("zh-hans"):
        assert target_text(event).startswith("单位 #") and "organisations" not in describe(event)
    with translation.override("en"):
        assert target_text(event).startswith("Organisations #")


def test_the_audit_page_shows_no_english_codes_in_chinese(client, bureau, filed_project):
    filed_project("submitted")
    client.force_login(bureau)
    with translation.override("zh-hans"):
        text = client.get(reverse("audit:list"), {"user": "alice"}).content.decode()
    assert "流程流转" in text and "draft" not in text.split("<tbody>")[1]
