"""Issue 16 item 10 and item 8 (steps): the returned-step loop (REV-05), the instrument filed at
sign-off, the conditions of an approval with conditions tracked to closure, the finance bureau's
step (REV-23), the bureau's overview (REV-11), refused forms kept at their own address (UI-07)
and the wording (UI-13, UI-15, UI-16, UI-17)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ConditionStatus, ItemStatus, StepStatus
from greenbuild.lifecycle.events import conditions_to_answer, conditions_to_confirm, steps_to_resubmit, steps_to_sign
from greenbuild.lifecycle.models import ProjectStep, StepCondition
from greenbuild.notifications.services import inbox_for
from greenbuild.reference.models import InvestmentNature

pytestmark = pytest.mark.django_db


def step(project, code):
    return ProjectStep.objects.select_related("type").get(project=project, type__code=code)


def pdf(name="文书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 instrument", content_type="application/pdf")


def write_all(project, code, actor):
    for item in step(project, code).items.all():
        services.write_item(actor=actor, item_id=item.pk, status=ItemStatus.WRITTEN, note="已写入")


def test_the_returned_step_loop_return_todo_supplement_answer_resubmit_sign(client, pilot, personas):
    """REV-05: return → the owner's 待办 → the owner files a document and an answer → resubmit →
    the department's 待办 → sign; the return's reason stays in the history, not as current."""
    nina, alice = personas["dept_reviewer"], personas["alice_owner"]
    land = step(pilot, "land_prereview")
    client.force_login(nina)
    response = client.post(
        reverse("lifecycle:step-move", args=[land.pk, "return"]), {"comment": "选址论证材料不全"}, follow=True
    )
    assert "环节已退回" in response.content.decode()  # UI-16: not "环节已签署"
    assert step(pilot, "land_prereview").status == StepStatus.RETURNED
    assert not list(steps_to_sign(nina))

    with translation.override("zh-hans"):
        todo = [i for i in inbox_for(alice) if i.kind == "lifecycle.step_to_resubmit"]
    assert len(todo) == 1 and "补充后重新报送" in todo[0].label
    assert todo[0].url == reverse("lifecycle:step-detail", args=[land.pk]) and todo[0].due is not None

    client.force_login(alice)
    page = client.get(todo[0].url).content.decode()
    assert "选址论证材料不全" in page and 'data-action="resubmit"' in page and 'name="files"' in page
    assert 'data-action="reopen"' not in page  # the bureau's move, not the owner's
    response = client.post(
        reverse("lifecycle:step-document", args=[land.pk]), {"file": pdf("补充选址论证.pdf")}, follow=True
    )
    assert "补充选址论证.pdf" in response.content.decode()
    # an answer is required; the refusal keeps the input at the step's own address
    response = client.post(reverse("lifecycle:step-move", args=[land.pk, "resubmit"]), {"comment": " "})
    assert response.status_code == 302 and response.url.startswith(reverse("lifecycle:step-detail", args=[land.pk]))
    assert step(pilot, "land_prereview").status == StepStatus.RETURNED
    response = client.post(
        reverse("lifecycle:step-move", args=[land.pk, "resubmit"]),
        {"comment": "已补充选址论证报告", "files": [pdf("专家意见.pdf")]},
    )
    assert response.status_code == 302
    land = step(pilot, "land_prereview")
    assert land.status == StepStatus.OPEN and land.conditions == ""
    assert sorted(land.supplements.values_list("original_name", flat=True)) == ["专家意见.pdf", "补充选址论证.pdf"]
    assert [i.url for i in steps_to_sign(nina)] == [reverse("lifecycle:step-detail", args=[land.pk])]
    assert not list(steps_to_resubmit(alice))

    client.force_login(nina)
    page = client.get(reverse("lifecycle:step-detail", args=[land.pk])).content.decode()
    history = page.split('id="step-history"')[1]
    assert "选址论证材料不全" in history and "已补充选址论证报告" in history
    assert 'id="return-reason"' not in page and 'id="step-conditions-text"' not in page
    services.sign_step(actor=nina, step_id=land.pk, action="approve")
    assert step(pilot, "land_prereview").status == StepStatus.APPROVED


def test_only_the_owner_supplements_and_only_while_returned(pilot, personas):
    land = step(pilot, "land_prereview")
    with pytest.raises(DomainError):  # open: nothing to supplement
        services.add_step_supplement(actor=personas["alice_owner"], step_id=land.pk, uploaded_file=pdf())
    services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="不全")
    for who in ("dept_reviewer", "bureau", "olivia_other_owner"):
        with pytest.raises((ActionForbidden, DomainError)):
            services.add_step_supplement(actor=personas[who], step_id=land.pk, uploaded_file=pdf())
        with pytest.raises((ActionForbidden, DomainError)):
            services.resubmit_step(actor=personas[who], step_id=land.pk, answer="已补充")
    assert step(pilot, "land_prereview").supplements.count() == 0


def test_a_step_whose_instrument_is_filed_at_sign_off_is_not_approved_without_it(pilot, drc_reviewer):
    approval = step(pilot, "approval")
    assert approval.type.instrument_required
    write_all(pilot, "approval", drc_reviewer)
    with pytest.raises(DomainError):
        services.sign_step(actor=drc_reviewer, step_id=approval.pk, action="approve")
    assert step(pilot, "approval").status == StepStatus.OPEN and step(pilot, "approval").instrument is None
    services.sign_step(actor=drc_reviewer, step_id=approval.pk, action="approve", instrument_file=pdf("立项批复.pdf"))
    approval = step(pilot, "approval")
    assert approval.status == StepStatus.APPROVED and approval.instrument.original_name == "立项批复.pdf"
    # a step whose data does not ask for it signs without
    land = step(pilot, "land_prereview")
    assert not land.type.instrument_required


def test_conditions_are_tracked_to_closure_owner_answers_department_confirms(client, pilot, personas, drc_reviewer):
    alice = personas["alice_owner"]
    write_all(pilot, "approval", drc_reviewer)
    services.sign_step(
        actor=drc_reviewer,
        step_id=step(pilot, "approval").pk,
        action="approve_with_conditions",
        comment="1. 补充装配式专项说明\n2. 落实绿色建材清单",
        instrument_file=pdf(),
    )
    rows = list(StepCondition.objects.filter(step__project=pilot).order_by("number"))
    assert [(r.number, r.status) for r in rows] == [(1, "open"), (2, "open")]
    assert [i.extra["condition"] for i in conditions_to_answer(alice)] == [r.text for r in rows]
    with pytest.raises(ActionForbidden):  # the department does not answer for the owner
        services.answer_condition(actor=drc_reviewer, condition_id=rows[0].pk, answer="x")
    with pytest.raises(DomainError):
        services.answer_condition(actor=alice, condition_id=rows[0].pk, answer=" ")
    services.answer_condition(actor=alice, condition_id=rows[0].pk, answer="已补充专项说明")
    assert [i.extra["condition"] for i in conditions_to_confirm(drc_reviewer)] == [rows[0].text]
    with pytest.raises(ActionForbidden):  # the owner does not confirm
        services.review_condition(actor=alice, condition_id=rows[0].pk, accept=True)
    with pytest.raises(DomainError):  # sending back needs a note
        services.review_condition(actor=drc_reviewer, condition_id=rows[0].pk, accept=False)
    services.review_condition(actor=drc_reviewer, condition_id=rows[0].pk, accept=False, note="缺图纸")
    assert StepCondition.objects.get(pk=rows[0].pk).status == ConditionStatus.OPEN
    services.answer_condition(actor=alice, condition_id=rows[0].pk, answer="已补图纸")
    services.review_condition(actor=drc_reviewer, condition_id=rows[0].pk, accept=True)
    confirmed = StepCondition.objects.get(pk=rows[0].pk)
    assert (confirmed.status, confirmed.confirmed_by) == (ConditionStatus.CONFIRMED, drc_reviewer)
    # the page: the answer form for the owner; a refused answer keeps the input at the page
    client.force_login(alice)
    url = reverse("lifecycle:condition-move", args=[step(pilot, "approval").pk, rows[1].pk, "answer"])
    response = client.post(url, {"text": ""})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="conditions"' in page and "落实绿色建材清单" in page


def test_the_finance_bureau_has_its_step_for_government_invested_pilots_only(client, filed_project, personas, orgs):
    """REV-23: 财政局's menu leads to a real page with the government-invested pilot's step."""
    from greenbuild.accounts.choices import Role
    from greenbuild.reference.models import Department
    from greenbuild.testing.factories import OrganisationFactory, person

    government = filed_project(
        "confirmed", name="政府投资试点", investment_nature=InvestmentNature.objects.get(code="government")
    )
    private = filed_project("confirmed", name="社会投资试点")
    assert step(government, "finance_budget").status == StepStatus.OPEN
    assert not ProjectStep.objects.filter(project=private, type__code="finance_budget").exists()
    finance = Department.objects.get(code="finance")
    reviewer = person(
        "czj", Role.DEPARTMENT_REVIEWER, OrganisationFactory(name="常州市财政局", kind="department"), department=finance
    )
    client.force_login(reviewer)
    page = client.get(reverse("lifecycle:department", args=["finance"])).content.decode()
    assert "政府投资试点" in page and "社会投资试点" not in page


def test_the_bureau_sees_every_pilots_steps_and_change_requests_with_waiting_times(client, pilot, personas):
    """REV-11: a menu entry under 管理体系, filters for open / overdue / returned."""
    import datetime as dt

    from django.utils import timezone

    land = step(pilot, "land_prereview")
    ProjectStep.objects.filter(pk=land.pk).update(opened_at=timezone.now() - dt.timedelta(days=30))
    client.force_login(personas["bureau"])
    home = client.get(reverse("dashboards:overview")).content.decode()
    assert 'id="nav-lifecycle"' in home
    url = reverse("lifecycle:overview")
    response = client.get(url)
    assert response.status_code == 200
    assert {r.step.type.code for r in response.context["rows"]} == {"approval", "land_prereview"}
    overdue = client.get(url, {"show": "overdue"}).context["rows"]
    assert [(r.step.type.code, r.overdue, r.waiting_days) for r in overdue] == [("land_prereview", True, 30)]
    assert client.get(url, {"show": "bogus", "department": "no-such"}).status_code == 200
    assert 'id="overview-requests"' in response.content.decode()
    for who in ("alice_owner", "dept_reviewer", "dan_district"):
        client.force_login(personas[who])
        assert client.get(url).status_code == 403
        assert 'id="nav-lifecycle"' not in client.get(reverse("dashboards:overview")).content.decode()


def test_a_refused_sign_off_redirects_to_the_step_keeping_the_comment_and_switches_language(
    client, pilot, drc_reviewer
):
    """UI-07: no render at the POST URL (a reload or language switch gave a 405)."""
    approval = step(pilot, "approval")  # mandatory items are open
    client.force_login(drc_reviewer)
    response = client.post(
        reverse("lifecycle:step-move", args=[approval.pk, "approve"]), {"comment": "同意，按批复执行"}
    )
    assert response.status_code == 302
    assert response.url.split("#")[0] == reverse("lifecycle:step-detail", args=[approval.pk])
    page = client.get(response.url).content.decode()
    assert "同意，按批复执行" in page and "sign-error" in page
    assert client.get("/en" + reverse("lifecycle:step-detail", args=[approval.pk])).status_code == 200
    assert step(pilot, "approval").status == StepStatus.OPEN
    # shown once: a reload shows the page without the kept input
    assert "同意，按批复执行" not in client.get(response.url).content.decode()


def test_a_refused_item_write_keeps_the_input_at_the_step(client, pilot, drc_reviewer):
    item = step(pilot, "approval").items.filter(guideline_item__mandatory=True).first()
    client.force_login(drc_reviewer)
    url = reverse("lifecycle:item-write", args=[item.step_id, item.pk])
    prefix = "item{}".format(item.pk)
    response = client.post(url, {prefix + "-status": "not_applicable", prefix + "-note": "本项目不涉及"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "本项目不涉及" in page and re.search(r'value="not_applicable"\s+selected', page)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.note == ""


def test_wording_item_status_and_preferences_get(client, pilot, personas):
    """UI-15: an unwritten item is 未落实 (not the verb 打开); UI-13: GET preferences shows the page."""
    with translation.override("zh-hans"):
        assert str(ItemStatus.OPEN.label) == "未落实"
    client.force_login(personas["alice_owner"])
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200 and b'id="preferences-form"' in response.content


def test_baseline_decision_flash_is_its_own_wording():
    """UI-17: the change request's decision does not borrow the conference's 议定事项."""
    from django.utils.translation import pgettext

    with translation.override("zh-hans"):
        assert pgettext("baseline change", "The decision was recorded.") == "审批意见已记录。"


def test_the_api_resubmits_files_the_instrument_and_answers_a_condition(client, pilot, personas, drc_reviewer):
    """The same moves through the API (rule 1: a guard on every path)."""
    import json

    from greenbuild.attachments.services import store_attachment

    def post(user, url, body):
        client.force_login(user)
        return client.post(url, json.dumps(body), content_type="application/json")

    land = step(pilot, "land_prereview")
    services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="不全")
    url = "/api/v1/project-steps/{}/actions/{}/"
    assert post(personas["alice_owner"], url.format(land.pk, "resubmit"), {"comment": ""}).status_code == 400
    response = post(personas["alice_owner"], url.format(land.pk, "resubmit"), {"comment": "已补充"})
    assert response.status_code == 200 and response.json()["status"] == "open"
    approval = step(pilot, "approval")
    write_all(pilot, "approval", drc_reviewer)
    body = {"comment": "1. 条件一\n2. 条件二"}
    assert post(drc_reviewer, url.format(approval.pk, "approve_with_conditions"), body).status_code == 400
    file = store_attachment(actor=drc_reviewer, project=pilot, kind="report", uploaded_file=pdf("批复.pdf"))
    response = post(drc_reviewer, url.format(approval.pk, "approve_with_conditions"), {**body, "instrument": file.pk})
    assert response.status_code == 200 and response.json()["instrument"] == file.pk
    rows = response.json()["condition_rows"]
    assert [r["text"] for r in rows] == ["条件一", "条件二"]
    condition_url = "/api/v1/project-steps/{}/conditions/{}/{}/"
    response = post(
        personas["alice_owner"], condition_url.format(approval.pk, rows[0]["id"], "answer"), {"text": "已落实"}
    )
    assert response.status_code == 200 and response.json()["condition_rows"][0]["status"] == "answered"
    response = post(drc_reviewer, condition_url.format(approval.pk, rows[0]["id"], "confirm"), {})
    assert response.json()["condition_rows"][0]["status"] == "confirmed"


def test_the_owner_is_told_of_a_return_and_the_notice_opens_the_step(
    client, pilot, personas, django_capture_on_commit_callbacks
):
    """Rule 3: whoever is told can open it — the notice leads to the step, where it is answered."""
    from greenbuild.notifications.models import Notification
    from greenbuild.notifications.registry import event_url

    land = step(pilot, "land_prereview")
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_step(actor=personas["dept_reviewer"], step_id=land.pk, action="return", comment="不全")
    told = Notification.objects.filter(recipient=personas["alice_owner"], event__verb="lifecycle.step").first()
    assert told is not None
    url = event_url(told.event)
    assert url == reverse("lifecycle:step-detail", args=[land.pk])
    client.force_login(personas["alice_owner"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("department", ["a\x00b", "\x00"])
def test_a_department_filter_with_a_nul_character_is_no_filter(client, personas, department):
    """PostgreSQL refuses NUL in a text parameter: the filter must not reach it (SEC-07)."""
    client.force_login(personas["bureau"])
    response = client.get(reverse("lifecycle:overview"), {"department": department})
    assert response.status_code == 200
