"""Issue 17 item 4, SEC-03: the files of an unsent plan draft are the owner's alone until the plan
(or its next version) is submitted; a file removed from the draft is gone from every list and
download. The steps of the finding: the owner uploads on the plan page, the district official,
the participants, the department and the bureau look through the API and the download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greenbuild.attachments.models import Attachment
from greenbuild.core.permissions import gate_for
from greenbuild.plans import services
from greenbuild.plans.demo import _walk
from greenbuild.projects import services as project_services
from greenbuild.testing.factories import make_project, make_token, move_to
from greenbuild.testing.gates import gate_disagreements, users_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
READERS = ("dan_district", "carl_contractor", "ted_evaluator", "dept_reviewer", "bureau")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft_plan(personas, orgs):
    """alice's candidate project (submitted: the district, its participants and the departments
    read its internals) with an unsent, complete plan draft."""
    alice, bureau = personas["alice_owner"], personas["bureau"]
    project = make_project(alice, name="草稿附件项目")
    project_services.add_participant(
        actor=alice, project_id=project.pk, organisation=orgs["contractor"], role="contractor"
    )
    project_services.assign_evaluator(actor=bureau, project_id=project.pk, organisation=orgs["evaluator"])
    project = move_to(project, "candidate", owner=alice, district_official=personas["dan_district"], bureau=bureau)
    plan = services.start_plan(actor=alice, project=project)
    _walk(plan, "draft", alice, bureau)
    plan.refresh_from_db()
    return plan


def _upload(client, user, plan, name):
    client.force_login(user)
    response = client.post(
        reverse("plans:plan-upload", args=[plan.project_id]), {"file": SimpleUploadedFile(name, PDF)}
    )
    assert response.status_code == 302
    return Attachment.objects.get(original_name=name)


def _sees(client, user, attachment):
    """What ``user`` gets: (listed by the API, download page status, API download status)."""
    _token, text = make_token(user, scope="read", name="看{}".format(attachment.pk))
    auth = {"HTTP_AUTHORIZATION": "Bearer " + text}
    listed = client.get("/api/v1/attachments/?project={}".format(attachment.project_id), **auth).json()
    ids = [row["id"] for row in listed["results"]]
    api_download = client.get("/api/v1/attachments/{}/download/".format(attachment.pk), **auth).status_code
    client.force_login(user)
    page_download = client.get(reverse("attachments:download", args=[attachment.pk])).status_code
    return attachment.pk in ids, page_download, api_download


def test_unsent_draft_files_are_the_owners_alone(client, personas, draft_plan):
    draft_file = _upload(client, personas["alice_owner"], draft_plan, "草稿附件.pdf")
    assert _sees(client, personas["alice_owner"], draft_file) == (True, 200, 200)
    for who in READERS:
        assert _sees(client, personas[who], draft_file) == (False, 404, 404), who
    # the gate's two forms agree on the withheld file, for every persona
    assert gate_disagreements(gate_for(Attachment), users_of(personas), [draft_file]) == []
    # the bureau reads the unsent plan's page, but not the draft's files
    client.force_login(personas["bureau"])
    page = client.get(reverse("plans:plan-detail", args=[draft_plan.project_id])).content.decode()
    assert "草稿附件.pdf" not in page
    client.force_login(personas["alice_owner"])
    assert "草稿附件.pdf" in client.get(reverse("plans:plan-detail", args=[draft_plan.project_id])).content.decode()


def test_a_submitted_plans_files_reach_its_readers(client, personas, draft_plan):
    sent = _upload(client, personas["alice_owner"], draft_plan, "随方案提交.pdf")
    services.submit_plan(actor=personas["alice_owner"], plan_id=draft_plan.pk, comment="提交")
    for who in ("dan_district", "carl_contractor", "bureau"):
        assert _sees(client, personas[who], sent) == (True, 200, 200), who


def test_a_file_removed_from_the_draft_is_gone_everywhere(
    client, personas, draft_plan, django_capture_on_commit_callbacks
):
    removed = _upload(client, personas["alice_owner"], draft_plan, "撤下.pdf")
    stored = removed.file.name
    url = reverse("plans:plan-file-remove", args=[draft_plan.project_id, removed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Attachment.objects.filter(pk=removed.pk).exists()
    assert not removed.file.storage.exists(stored)
    for who in ("alice_owner", *READERS):
        assert _sees(client, personas[who], removed) == (False, 404, 404), who


def test_the_admin_lists_no_unsent_draft_file(client, personas, draft_plan, sys_admin):
    """The admin's attachment list, search and page (a superuser bureau administrator) do not name
    an unsent draft's file either; once sent it is listed like any other. The system administrator
    reads no business record in the admin at all (files included)."""
    draft_file = _upload(client, personas["alice_owner"], draft_plan, "草稿不入后台.pdf")
    superuser = personas["bureau"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    listing = reverse("admin:attachments_attachment_changelist")
    page = reverse("admin:attachments_attachment_change", args=[draft_file.pk])
    client.force_login(sys_admin)
    assert client.get(listing).status_code == 403 and client.get(page).status_code == 403
    for admin in (superuser,):
        client.force_login(admin)
        assert client.get(listing).status_code == 200
        assert "草稿不入后台" not in client.get(listing, {"q": "草稿"}).content.decode()
        assert client.get(page).status_code in (302, 404)
    services.submit_plan(actor=personas["alice_owner"], plan_id=draft_plan.pk, comment="提交")
    assert "草稿不入后台" in client.get(listing, {"q": "草稿"}).content.decode()
