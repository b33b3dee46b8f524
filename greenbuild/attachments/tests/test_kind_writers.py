"""Issue 17 item 2, SEC-04: uploading a file needs the write permission of its kind on that
project (``attachments.permissions.KIND_WRITERS``), on the pages (through ``store_attachment``)
and through the API; read-only roles get 403 whatever their token's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from greenbuild.attachments import services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import KIND_WRITERS, can_write_kind, writable_kinds
from greenbuild.attachments.tests.conftest import IFC, JPEG, PDF
from greenbuild.core.errors import ActionForbidden
from greenbuild.projects import services as project_services
from greenbuild.testing.factories import make_project, make_token, move_to

pytestmark = pytest.mark.django_db

API = "/api/v1/attachments/"
FILES = {
    AttachmentKind.EVIDENCE: ("证明.pdf", PDF),
    AttachmentKind.PLAN: ("方案.pdf", PDF),
    AttachmentKind.PHOTO: ("现场.jpg", JPEG),
    AttachmentKind.CERTIFICATE: ("许可证.pdf", PDF),
    AttachmentKind.MODEL: ("模型.ifc", IFC),
}
#: who may upload each kind to alice's confirmed pilot (its plan passed, steps open)
WRITERS = {
    AttachmentKind.EVIDENCE: {"alice_owner", "bureau"},  # the scorecard's claimants
    AttachmentKind.PLAN: {"alice_owner", "bureau"},  # a baseline change request's documents
    AttachmentKind.PHOTO: {"alice_owner"},
    AttachmentKind.MODEL: {"alice_owner"},
    AttachmentKind.CERTIFICATE: {"dept_reviewer"},  # signs the open 用地预审 step
}


@pytest.fixture
def busy_pilot(personas, orgs):
    """alice's confirmed pilot with her contractor and the bureau's third-party evaluator on it."""
    alice, bureau = personas["alice_owner"], personas["bureau"]
    project = make_project(alice, name="上传权限试点")
    project_services.add_participant(
        actor=alice, project_id=project.pk, organisation=orgs["contractor"], role="contractor"
    )
    project_services.assign_evaluator(actor=bureau, project_id=project.pk, organisation=orgs["evaluator"])
    return move_to(project, "confirmed", owner=alice, district_official=personas["dan_district"], bureau=bureau)


def test_every_kind_has_one_declared_writer():
    assert set(KIND_WRITERS) == set(AttachmentKind.values)
    assert {k for k, w in KIND_WRITERS.items() if not w.api} == {AttachmentKind.REPORT, AttachmentKind.IMPORT}


def test_each_kind_is_uploaded_by_its_writer_only_through_the_api(client, personas, busy_pilot):
    """Every persona with a write token, every kind the API takes: 201 for the kind's writer,
    403 for everyone else (the contractor, the evaluator, the district, the department for
    evidence, …); nothing is stored for a refusal."""
    wrong = []
    for who, user in personas.items():
        _token, text = make_token(user, actor=personas["bureau"], scope="write")
        auth = {"HTTP_AUTHORIZATION": "Bearer " + text}
        for kind, (name, content) in FILES.items():
            before = Attachment.objects.count()
            body = {"project": busy_pilot.pk, "kind": kind, "file": SimpleUploadedFile(name, content)}
            response = client.post(API, body, **auth)
            expected = 201 if who in WRITERS[kind] else 403
            if response.status_code != expected:
                wrong.append((who, kind, response.status_code))
            if expected == 403:
                assert Attachment.objects.count() == before
                assert response.json()["message"] != "", response.json()
    assert wrong == []
    _token, text = make_token(personas["carl_contractor"], actor=personas["bureau"], scope="write")
    body = {"project": busy_pilot.pk, "kind": "evidence", "file": SimpleUploadedFile("a.pdf", PDF)}
    refused = client.post(API, body, HTTP_AUTHORIZATION="Bearer " + text, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "证明材料" in refused["message"] and "建设单位申报人" in refused["message"], refused


def test_a_read_token_of_the_writer_uploads_nothing(client, personas, busy_pilot):
    _token, text = make_token(personas["alice_owner"], scope="read")
    body = {"project": busy_pilot.pk, "kind": "evidence", "file": SimpleUploadedFile("a.pdf", PDF)}
    assert client.post(API, body, HTTP_AUTHORIZATION="Bearer " + text).status_code == 403
    assert not Attachment.objects.exists()


def test_the_service_behind_the_pages_applies_the_same_table(personas, busy_pilot):
    for who, user in personas.items():
        assert set(writable_kinds(user, busy_pilot, api=True)) == {k for k, w in WRITERS.items() if who in w}, who
    with pytest.raises(ActionForbidden) as refused:
        services.store_attachment(
            actor=personas["carl_contractor"],
            project=busy_pilot,
            kind=AttachmentKind.EVIDENCE,
            uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        )
    assert "证明材料" in str(refused.value) or "Evidence" in str(refused.value)
    assert not Attachment.objects.exists()


def test_a_file_is_changed_only_by_a_writer_of_its_kind(personas, busy_pilot):
    evidence = services.store_attachment(
        actor=personas["alice_owner"],
        project=busy_pilot,
        kind=AttachmentKind.EVIDENCE,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
    )
    for who in ("dan_district", "carl_contractor", "ted_evaluator", "dept_reviewer"):
        with pytest.raises(ActionForbidden):
            services.delete_attachment(actor=personas[who], attachment=evidence)
    assert Attachment.objects.filter(pk=evidence.pk).exists()


def test_programme_level_files_are_left_to_the_service_that_files_them(personas):
    assert can_write_kind(personas["bureau"], AttachmentKind.IMPORT, None)
    assert not can_write_kind(personas["dave_outsider"], AttachmentKind.EVIDENCE, make_project(personas["alice_owner"]))
