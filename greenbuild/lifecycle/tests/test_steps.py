"""Issue 13 item 7: the steps of a confirmed pilot, sign-off rules and per-department scoping."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.guidelines.selectors import items_for_step
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ItemStatus, StepStatus
from greenbuild.lifecycle.events import steps_to_sign
from greenbuild.lifecycle.models import ProjectStep, StepItem, StepTransition, StepType

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def step(project, code):
    return ProjectStep.objects.select_related("type").get(project=project, type__code=code)


def write_all(project, code, actor):
    for item in step(project, code).items.all():
        services.write_item(actor=actor, item_id=item.pk, status=ItemStatus.WRITTEN, note="已写入")


def test_the_step_types_are_data_with_their_departments():
    rows = {t.code: (t.department.code, t.parallel_group) for t in StepType.objects.select_related("department")}
    assert len(rows) == 12  # with the finance bureau's budget review of government-invested pilots
    assert rows["finance_budget"][0] == "finance"
    assert rows["approval"][0] == "development-reform"
    assert rows["planning_conditions"][0] == "natural-resources-planning"
    assert rows["drawing_review"][0] == "housing-construction"
    assert rows["construction"][1] == rows["supervision"][1]  # reviewed in parallel


def test_a_confirmed_pilot_opens_its_first_parallel_steps_with_their_guideline_items(pilot):
    steps = {s.type.code: s for s in ProjectStep.objects.filter(project=pilot).select_related("type")}
    assert len(steps) == 11
    assert {code for code, s in steps.items() if s.status == StepStatus.OPEN} == {"approval", "land_prereview"}
    assert all(s.opened_at for s in steps.values() if s.status == StepStatus.OPEN)
    expected = set(items_for_step("approval").values_list("code", flat=True))
    assert set(steps["approval"].items.values_list("guideline_item__code", flat=True)) == expected and expected


def test_signing_with_open_mandatory_items_is_refused_in_chinese(pilot, drc_reviewer):
    approval = step(pilot, "approval")
    with translation.override("zh-hans"), pytest.raises(DomainError) as excinfo:
        services.sign_step(actor=drc_reviewer, step_id=approval.pk, action="approve")
    assert CHINESE.search(str(excinfo.value.message))
    approval.refresh_from_db()
    assert approval.status == StepStatus.OPEN and approval.signed_by is None
    assert not StepTransition.objects.filter(step=approval, to_status=StepStatus.APPROVED).exists()


def test_a_department_user_cannot_sign_another_departments_step(pilot, personas):
    approval = step(pilot, "approval")  # the development and reform commission's
    nina = personas["dept_reviewer"]  # natural resources and planning
    for action in ("approve", "approve_with_conditions", "return"):
        with pytest.raises(ActionForbidden):
            services.sign_step(actor=nina, step_id=approval.pk, action=action, comment="意见")
    item = approval.items.first()
    with pytest.raises(ActionForbidden):
        services.write_item(actor=nina, item_id=item.pk, status=ItemStatus.WRITTEN, note="写入")
    approval.refresh_from_db()
    item.refresh_from_db()
    assert approval.status == StepStatus.OPEN and item.status == ItemStatus.OPEN


@pytest.mark.parametrize("who", ["alice_owner", "bureau", "dan_district", "carl_contractor"])
def test_only_department_reviewers_sign(pilot, personas, who):
    with pytest.raises(ActionForbidden):
        services.sign_step(actor=personas[who], step_id=step(pilot, "land_prereview").pk, action="approve")
    assert step(pilot, "land_prereview").status == StepStatus.OPEN


def test_parallel_steps_are_signed_in_parallel_and_the_next_step_opens(pilot, personas, drc_reviewer):
    nina = personas["dept_reviewer"]
    services.sign_step(actor=nina, step_id=step(pilot, "land_prereview").pk, action="approve")
    assert step(pilot, "planning_conditions").status == StepStatus.PENDING  # 立项 is still open
    write_all(pilot, "approval", drc_reviewer)
    services.sign_step(
        actor=drc_reviewer,
        step_id=step(pilot, "approval").pk,
        action="approve_with_conditions",
        comment="按方案落实",
        instrument_file=SimpleUploadedFile("立项批复.pdf", b"%PDF-1.4 approval", content_type="application/pdf"),
    )
    approval = step(pilot, "approval")
    assert (approval.status, approval.signed_by, approval.conditions) == (
        StepStatus.APPROVED_WITH_CONDITIONS,
        drc_reviewer,
        "按方案落实",
    )
    assert step(pilot, "planning_conditions").status == StepStatus.OPEN
    assert step(pilot, "land_transfer").status == StepStatus.PENDING
    assert approval.history.first().history_user == drc_reviewer


def test_conditions_and_returns_need_a_comment(pilot, personas):
    land = step(pilot, "land_prereview")
    for action in ("approve_with_conditions", "return"):
        with pytest.raises(DomainError) as excinfo:
            services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action=action, comment=" ")
        assert excinfo.value.field == "comment"
    assert step(pilot, "land_prereview").status == StepStatus.OPEN


def test_a_returned_step_is_resubmitted_by_the_owner_or_opened_again_by_the_bureau(pilot, personas):
    land = step(pilot, "land_prereview")
    services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="选址材料不全")
    assert step(pilot, "land_prereview").status == StepStatus.RETURNED
    with pytest.raises(ActionForbidden):
        services.reopen_step(actor=personas["dept_reviewer"], step_id=land.pk)
    with pytest.raises(ActionForbidden):
        services.reopen_step(actor=personas["alice_owner"], step_id=land.pk)  # the owner answers instead
    services.resubmit_step(actor=personas["alice_owner"], step_id=land.pk, answer="已补充")
    assert step(pilot, "land_prereview").status == StepStatus.OPEN
    services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="仍不全")
    services.reopen_step(actor=personas["bureau"], step_id=land.pk)
    assert step(pilot, "land_prereview").status == StepStatus.OPEN


@pytest.mark.parametrize(
    "status,note,field",
    [("written", "", "note"), ("bogus", "x", "status"), ("not_applicable", "不适用", "status")],
)
def test_bad_item_input_is_refused_and_nothing_saved(pilot, drc_reviewer, status, note, field):
    item = StepItem.objects.filter(step=step(pilot, "approval"), guideline_item__mandatory=True).first()
    with translation.override("zh-hans"), pytest.raises(DomainError) as excinfo:
        services.write_item(actor=drc_reviewer, item_id=item.pk, status=status, note=note)
    assert excinfo.value.field == field and CHINESE.search(str(excinfo.value.message))
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.note == ""


def test_a_pending_step_cannot_be_written(pilot, personas):
    item = step(pilot, "planning_conditions").items.first()
    with pytest.raises(DomainError):
        services.write_item(actor=personas["dept_reviewer"], item_id=item.pk, status="written", note="写入")


def test_the_inbox_of_a_department_reviewer_lists_only_its_department(pilot, personas, drc_reviewer, bureau):
    with translation.override("zh-hans"):
        nina = [(i.kind, i.url) for i in steps_to_sign(personas["dept_reviewer"])]
        fgw = [(i.kind, i.url) for i in steps_to_sign(drc_reviewer)]
    assert nina == [
        ("lifecycle.step_to_sign", reverse("lifecycle:step-detail", args=[step(pilot, "land_prereview").pk]))
    ]
    assert fgw == [("lifecycle.step_to_sign", reverse("lifecycle:step-detail", args=[step(pilot, "approval").pk]))]
    assert list(steps_to_sign(bureau)) == []


def test_the_department_page_shows_what_waits_with_constant_queries(client, filed_project, personas):
    client.force_login(personas["dept_reviewer"])
    url = reverse("lifecycle:department", args=["natural-resources-planning"])
    filed_project("confirmed", name="试点一")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200 and "试点一" in response.content.decode()
    filed_project("confirmed", name="试点二")
    filed_project("confirmed", name="试点三")
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert "试点三" in response.content.decode()
    assert len(three) == len(one)


def test_the_project_page_shows_the_baseline_and_the_step_timeline(client, pilot, personas):
    client.force_login(personas["alice_owner"])
    url = reverse("projects:project-detail", args=[pilot.pk])
    for prefix, words in (
        ("", ("锁定基线", "生命周期环节", "立项", "发展和改革委员会")),
        ("/en", ("Locked baseline", "Lifecycle steps", "Project approval")),
    ):
        html = client.get(prefix + url).content.decode()
        for word in words:
            assert word in html, (prefix, word)
        assert 'id="baseline-side-by-side"' in html
    html = client.get("/en" + url).content.decode()
    assert not CHINESE.search(
        re.sub(r"<[^>]+>", "", html.split('id="step-timeline"')[1].split("</ol>")[0]).replace(pilot.name, "")
    )
