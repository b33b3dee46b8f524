"""Issue 16 item 10, review: a refused sign-off or condition form changes nothing (rule 2), the
service caps and types what the page and the API send, and the steps of a withdrawn pilot are
signed by nobody and leave every to-do (rule 3)."""

import json

import pytest
from django.urls import reverse

from greenbuild.core.errors import DomainError
from greenbuild.lifecycle import selectors, services
from greenbuild.lifecycle.choices import ConditionStatus, ItemStatus, StepStatus
from greenbuild.lifecycle.events import conditions_to_answer, conditions_to_confirm, steps_to_resubmit, steps_to_sign
from greenbuild.lifecycle.models import ProjectStep, StepCondition
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db


def step(project, code):
    return ProjectStep.objects.select_related("type").get(project=project, type__code=code)


@pytest.mark.parametrize("comment", ["同意\x00", "长" * 5001])
def test_a_sign_off_whose_comment_is_refused_signs_nothing_and_keeps_the_input(client, pilot, personas, comment):
    land = step(pilot, "land_prereview")
    client.force_login(personas["dept_reviewer"])
    response = client.post(reverse("lifecycle:step-move", args=[land.pk, "approve"]), {"comment": comment})
    assert response.status_code == 302 and response.url.startswith(reverse("lifecycle:step-detail", args=[land.pk]))
    assert step(pilot, "land_prereview").status == StepStatus.OPEN
    page = client.get(response.url)
    assert page.status_code == 200 and comment.replace("\x00", "")[:20] in page.content.decode()


def test_the_service_refuses_an_over_long_or_non_text_comment(pilot, personas):
    land = step(pilot, "land_prereview")
    with pytest.raises(DomainError):
        services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="长" * 5001)
    services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="不全")
    with pytest.raises(DomainError):
        services.resubmit_step(actor=personas["alice_owner"], step_id=land.pk, answer=["已补充"])
    assert step(pilot, "land_prereview").status == StepStatus.RETURNED


def _conditioned(pilot, drc_reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    approval = step(pilot, "approval")
    for item in approval.items.all():
        services.write_item(actor=drc_reviewer, item_id=item.pk, status=ItemStatus.WRITTEN, note="已写入")
    services.sign_step(
        actor=drc_reviewer,
        step_id=approval.pk,
        action="approve_with_conditions",
        comment="补充装配式专项说明",
        instrument_file=SimpleUploadedFile("批复.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    return approval, StepCondition.objects.get(step=approval)


def test_a_condition_confirmed_with_a_refused_note_stays_waiting(client, pilot, personas, drc_reviewer):
    approval, row = _conditioned(pilot, drc_reviewer)
    services.answer_condition(actor=personas["alice_owner"], condition_id=row.pk, answer="已补充")
    client.force_login(drc_reviewer)
    url = reverse("lifecycle:condition-move", args=[approval.pk, row.pk, "confirm"])
    response = client.post(url, {"text": "意见" * 2501})
    assert response.status_code == 302
    assert StepCondition.objects.get(pk=row.pk).status == ConditionStatus.ANSWERED
    assert "意见" * 20 in client.get(response.url).content.decode()


def test_the_steps_of_a_withdrawn_pilot_are_signed_by_nobody_and_leave_every_todo(
    client, pilot, personas, drc_reviewer
):
    nina, alice = personas["dept_reviewer"], personas["alice_owner"]
    approval, row = _conditioned(pilot, drc_reviewer)
    land = step(pilot, "land_prereview")
    services.sign_step(actor=nina, step_id=land.pk, action="return", comment="不全")
    Project.objects.filter(pk=pilot.pk).update(status=ProjectStatus.WITHDRAWN)
    assert not list(steps_to_resubmit(alice)) and not list(conditions_to_answer(alice))
    assert not [s for s in steps_to_sign(nina) if s.project_id == pilot.pk]
    with pytest.raises(DomainError):
        services.resubmit_step(actor=alice, step_id=land.pk, answer="已补充")
    with pytest.raises(DomainError):
        services.answer_condition(actor=alice, condition_id=row.pk, answer="已补充")
    client.force_login(personas["bureau"])
    url = "/api/v1/project-steps/{}/actions/{}/"
    response = client.post(url.format(land.pk, "reopen"), json.dumps({}), content_type="application/json")
    assert response.status_code in (400, 404) and step(pilot, "land_prereview").status == StepStatus.RETURNED
    ProjectStep.objects.filter(pk=land.pk).update(status=StepStatus.OPEN)  # as if it was open at the withdrawal
    client.force_login(nina)
    response = client.post(url.format(land.pk, "return"), json.dumps({"comment": "x"}), content_type="application/json")
    assert response.status_code in (400, 404) and step(pilot, "land_prereview").status == StepStatus.OPEN
    assert 'data-action="return"' not in client.get(reverse("lifecycle:step-detail", args=[land.pk])).content.decode()
    client.force_login(alice)
    page = client.get(reverse("lifecycle:step-detail", args=[approval.pk])).content.decode()
    assert reverse("lifecycle:condition-move", args=[approval.pk, row.pk, "answer"]) not in page
    assert not list(conditions_to_confirm(drc_reviewer))
    assert land.pk not in [s.pk for s in selectors.waiting_steps(land.type.department)]
    assert land.pk not in [row.step.pk for row in selectors.step_overview(personas["bureau"], show="open")]


def test_an_instrument_from_another_project_or_the_owners_files_is_refused(client, pilot, filed_project, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.services import store_attachment

    def upload(actor, project):
        file = SimpleUploadedFile("批复.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        return store_attachment(actor=actor, project=project, kind="report", uploaded_file=file)

    nina = personas["dept_reviewer"]
    land = step(pilot, "land_prereview")
    other = filed_project("draft", name="另一项目")
    client.force_login(nina)
    url = "/api/v1/project-steps/{}/actions/approve/".format(land.pk)
    elsewhere = upload(personas["alice_owner"], other)
    Attachment.objects.filter(pk=elsewhere.pk).update(uploaded_by=nina)  # nina's file, of another project
    for attachment in (elsewhere, upload(personas["alice_owner"], pilot)):
        response = client.post(url, json.dumps({"instrument": attachment.pk}), content_type="application/json")
        assert response.status_code == 400
        assert step(pilot, "land_prereview").status == StepStatus.OPEN
        assert step(pilot, "land_prereview").instrument is None


@pytest.mark.parametrize("body", [["同意"], {"comments": "同意，附意见"}, {"comment": ["同意"]}])
def test_a_malformed_or_misnamed_api_body_signs_nothing(client, pilot, personas, body):
    land = step(pilot, "land_prereview")
    client.force_login(personas["dept_reviewer"])
    url = "/api/v1/project-steps/{}/actions/approve/".format(land.pk)
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert step(pilot, "land_prereview").status == StepStatus.OPEN
