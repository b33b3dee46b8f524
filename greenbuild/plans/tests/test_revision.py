"""Issue 16 items 1 and 2: the review round is the only way to conclude a plan; 修改后通过 leads to
the owner's revision, its verification (复核) and the baseline from the verified version."""

import datetime as dt
import json

import pytest
from django.core import checks
from django.utils import timezone

from greenbuild.api import services as api_services
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.demo import REQUIREMENTS, open_round, round_leader
from greenbuild.plans.models import GreenPlan, PlanRevision, PlanTransition

pytestmark = pytest.mark.django_db


def _token(user, scope="write"):
    _t, secret = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return "Bearer " + secret


def _post(client, path, user, body):
    return client.post(path, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=_token(user))


def _snapshot():
    return (
        list(GreenPlan.objects.order_by("pk").values_list("pk", "status")),
        PlanTransition.objects.count(),
        PlanRevision.objects.count(),
    )


def _with_revision(plan_in, personas):
    plan = plan_in("passed_with_revisions")
    return plan, plan.revisions.get()


def _revise(plan, personas, good_data, waste="130"):
    services.save_plan_draft(
        actor=personas["alice_owner"],
        plan_id=plan.pk,
        data=good_data(plan.project, plan.guideline, waste_t_per_10k_m2=waste),
    )
    services.submit_revision(actor=personas["alice_owner"], plan_id=plan.pk, comment="已逐条修改")
    plan.refresh_from_db()
    return plan


# --- item 1: the conclusion is the round's -------------------------------------------------------


def test_concluding_a_plan_outside_its_round_is_refused_by_the_service(plan_in, personas):
    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])  # scoring, nobody has submitted
    before = _snapshot()
    for outcome in (S.PASSED, S.PASSED_WITH_REVISIONS, S.REVISE, S.FAILED):
        with pytest.raises((DomainError, ActionForbidden)):
            services.conclude_plan(actor=personas["bureau"], plan_id=plan.pk, outcome=outcome, reasons="通过")
        with pytest.raises(DomainError):  # the round itself, while experts are still scoring
            services.conclude_plan(
                actor=personas["bureau"], plan_id=plan.pk, outcome=outcome, review_round=review_round, reasons="通过"
            )
    assert _snapshot() == before


def test_concluding_a_plan_outside_its_round_is_refused_by_the_api_action(client, plan_in, personas):
    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])
    before = _snapshot()
    leader = round_leader(review_round)
    for who in (personas["bureau"], leader):
        for move in ("pass", "pass_with_revisions", "send_back", "fail"):
            response = _post(client, "/api/v1/plans/{}/actions/{}/".format(plan.pk, move), who, {"comment": "x"})
            assert response.status_code == 404, (who, move)
    # the round's own action refuses too while experts are scoring
    response = _post(
        client,
        "/api/v1/review-rounds/{}/actions/conclude/".format(review_round.pk),
        leader,
        {"conclusion": "passed", "comment": "通过"},
    )
    assert response.status_code == 400
    assert _snapshot() == before


def test_concluding_a_plan_outside_its_round_is_refused_by_the_pages(client, plan_in, personas):
    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])
    before = _snapshot()
    leader = round_leader(review_round)
    for who in (personas["bureau"], leader):
        client.force_login(who)
        for move in ("pass", "pass_with_revisions", "send_back", "fail", "begin_review"):
            response = client.post("/projects/{}/plan/move/{}/".format(plan.project_id, move), {"comment": "x"})
            assert response.status_code == 404, move
    client.force_login(leader)
    url = "/reviews/{}/".format(review_round.pk)
    page = client.get(url).content.decode()
    assert 'id="conclude-form"' in page and "disabled" in page.split('id="conclude-form"')[1].split("</form>")[0]
    response = client.post(
        url + "conclude/",
        {"conclusion": "passed_with_revisions", "reasons": "按意见修改", "requirements": "补充计算书"},
    )
    assert response.status_code == 302 and response["Location"].startswith(url)
    assert _snapshot() == before
    again = client.get(url).content.decode()  # UI-04: the refused input is kept
    assert 'value="passed_with_revisions" selected' in again
    assert "按意见修改" in again and "补充计算书" in again


def test_the_conclusion_form_preselects_no_conclusion(client, plan_in, personas):
    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])
    client.force_login(round_leader(review_round))
    page = client.get("/reviews/{}/".format(review_round.pk)).content.decode()
    form = page.split('id="conclude-form"')[1].split("</form>")[0]
    assert 'value="" selected' in form and 'value="passed" selected' not in form


def test_a_pilot_is_confirmed_only_on_a_version_that_passed_a_concluded_round(plan_in, personas):
    from greenbuild.lifecycle.services import confirmation_basis

    plan = plan_in("passed")
    reasons, context = confirmation_basis(plan.project)
    assert reasons == [] and context["plan_version_id"] == plan.current_version_id
    # the plan's status alone is not enough: a passed plan without its round has no basis
    GreenPlan.objects.filter(pk=plan.pk).update(status=S.PASSED)
    other = plan_in("in_review")
    GreenPlan.objects.filter(pk=other.pk).update(status=S.PASSED)
    reasons, _context = confirmation_basis(other.project)
    assert reasons


def test_the_system_check_reports_plans_concluded_outside_a_round(plan_in):
    good = plan_in("passed")
    bad = plan_in("in_review")
    GreenPlan.objects.filter(pk=bad.pk).update(status=S.PASSED)
    from greenbuild.projects.models import Project

    Project.objects.filter(pk=bad.project_id).update(status="confirmed")
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    ids = {(m.id, getattr(m.obj, "pk", None)) for m in found if m.id.startswith("plans.")}
    assert ("plans.W001", bad.pk) in ids
    assert ("plans.W003", bad.project_id) in ids
    assert not any(pk == good.pk for code, pk in ids if code in ("plans.W001", "plans.W002"))


# --- item 2: 修改后通过 leads somewhere -----------------------------------------------------------


def test_a_pass_with_revisions_needs_requirements_and_a_deadline(plan_in, personas):
    from greenbuild.reviews import services as review_services

    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])
    from greenbuild.plans.demo import score_data

    for seat in review_round.seats.filter(response="accepted"):
        review_services.save_scores(
            actor=seat.expert,
            seat_id=seat.pk,
            data=score_data(review_round, "7.5", S.PASSED_WITH_REVISIONS),
            submit=True,
        )
    leader = round_leader(review_round)
    for requirements, deadline in (([], timezone.localdate() + dt.timedelta(days=5)), (["补充"], None)):
        with pytest.raises(DomainError):
            review_services.conclude_round(
                actor=leader,
                round_id=review_round.pk,
                conclusion=S.PASSED_WITH_REVISIONS,
                reasons="修改后通过",
                requirements=requirements,
                revision_deadline=deadline,
            )
    plan.refresh_from_db()
    assert plan.status == S.IN_REVIEW and not plan.revisions.exists()


def test_a_pass_with_revisions_locks_no_baseline_and_confirms_no_pilot(plan_in, personas):
    from greenbuild.lifecycle.models import Baseline
    from greenbuild.lifecycle.services import confirmation_basis

    plan, revision = _with_revision(plan_in, personas)
    assert revision.requirements == REQUIREMENTS and revision.status == "requested"
    assert revision.reviewed_version_id == plan.current_version_id
    assert not Baseline.objects.filter(project=plan.project).exists()
    reasons, _context = confirmation_basis(plan.project)
    assert reasons


def test_the_revision_reaches_the_owner_then_the_verifier(plan_in, personas, good_data):
    from greenbuild.notifications.registry import inbox_providers

    plan, revision = _with_revision(plan_in, personas)
    owner_items = list(inbox_providers()["plans.for_owner"](personas["alice_owner"]))
    mine = [i for i in owner_items if i.project_id == plan.project_id]
    assert mine and mine[0].kind == "plans.to_revise_for_verification" and mine[0].due == revision.deadline
    leader = round_leader(revision.review_round)
    assert not list(inbox_providers()["plans.to_verify"](leader))
    _revise(plan, personas, good_data)
    items = list(inbox_providers()["plans.to_verify"](leader))
    assert [i.project_id for i in items] == [plan.project_id]
    assert not [
        i for i in inbox_providers()["plans.for_owner"](personas["alice_owner"]) if i.project_id == plan.project_id
    ]
    assert not list(inbox_providers()["plans.to_verify"](personas["bureau"]))  # the leader verifies here


def test_only_the_verifier_verifies_and_only_when_every_requirement_is_met(plan_in, personas, good_data):
    plan, revision = _with_revision(plan_in, personas)
    plan = _revise(plan, personas, good_data)
    leader = round_leader(revision.review_round)
    for who in (personas["bureau"], personas["alice_owner"], personas["dan_district"]):
        with pytest.raises((ActionForbidden, DomainError)):
            services.verify_revision(actor=who, plan_id=plan.pk, accept=True, checks=[True] * 3)
    with pytest.raises(DomainError):
        services.verify_revision(actor=leader, plan_id=plan.pk, accept=True, checks=[True, False, True])
    with pytest.raises(DomainError):  # a refusal gives its reasons
        services.verify_revision(actor=leader, plan_id=plan.pk, accept=False, checks=[True, False, True])
    plan.refresh_from_db()
    assert plan.status == S.REVISION_SUBMITTED


def test_a_refused_revision_goes_back_to_the_owner_with_the_reasons(plan_in, personas, good_data):
    plan, revision = _with_revision(plan_in, personas)
    plan = _revise(plan, personas, good_data)
    leader = round_leader(revision.review_round)
    services.verify_revision(
        actor=leader, plan_id=plan.pk, accept=False, checks=[True, False, True], comment="第2条未落实"
    )
    plan.refresh_from_db()
    revision.refresh_from_db()
    assert plan.status == S.PASSED_WITH_REVISIONS
    assert (revision.status, revision.refusals, revision.last_refusal) == ("requested", 1, "第2条未落实")
    # the owner revises again and the leader accepts: the plan passes with the newest version
    plan = _revise(plan, personas, good_data, waste="120")
    services.verify_revision(actor=leader, plan_id=plan.pk, accept=True, checks=[True] * 3)
    plan.refresh_from_db()
    assert plan.status == S.PASSED and plan.current_version.number == 4


def test_the_baseline_is_locked_from_the_verified_version(
    plan_in, personas, good_data, django_capture_on_commit_callbacks
):
    from greenbuild.lifecycle.models import Baseline
    from greenbuild.lifecycle.services import confirmation_basis

    plan, revision = _with_revision(plan_in, personas)
    reviewed = plan.current_version
    plan = _revise(plan, personas, good_data, waste="130")
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_revision(
            actor=round_leader(revision.review_round), plan_id=plan.pk, accept=True, checks=[True] * 3
        )
    plan.refresh_from_db()
    baseline = Baseline.objects.get(project=plan.project)
    assert baseline.source_plan_version_id == plan.current_version_id != reviewed.pk
    assert baseline.targets["waste_t_per_10k_m2"] == "130"
    assert baseline.review_round_id == revision.review_round_id
    reasons, context = confirmation_basis(plan.project)
    assert reasons == [] and context["plan_version_id"] == plan.current_version_id


def test_the_bureau_verifies_when_the_setting_says_so(plan_in, personas, good_data, settings):
    settings.GREENBUILD_REVISION_VERIFIER = "bureau"
    plan, revision = _with_revision(plan_in, personas)
    assert revision.verifier == "bureau"
    plan = _revise(plan, personas, good_data)
    with pytest.raises(ActionForbidden):
        services.verify_revision(
            actor=round_leader(revision.review_round), plan_id=plan.pk, accept=True, checks=[True] * 3
        )
    services.verify_revision(actor=personas["bureau"], plan_id=plan.pk, accept=True, checks=[True] * 3)
    plan.refresh_from_db()
    assert plan.status == S.PASSED


def test_the_revision_moves_through_the_api(client, plan_in, personas, good_data):
    plan, revision = _with_revision(plan_in, personas)
    owner = personas["alice_owner"]
    services.save_plan_draft(
        actor=owner, plan_id=plan.pk, data=good_data(plan.project, plan.guideline, waste_t_per_10k_m2="130")
    )
    body = client.get("/api/v1/plans/{}/".format(plan.pk), HTTP_AUTHORIZATION=_token(owner, "read")).json()
    assert "submit_revision" in body["available_actions"]
    assert body["revision"]["requirements"] == REQUIREMENTS
    response = _post(client, "/api/v1/plans/{}/actions/submit_revision/".format(plan.pk), owner, {"comment": "已改"})
    assert response.status_code == 200, response.content
    leader = round_leader(revision.review_round)
    url = "/api/v1/plans/{}/actions/verify_revision/".format(plan.pk)
    before = _snapshot()
    assert _post(client, url, personas["bureau"], {"accept": True, "checks": [True] * 3}).status_code == 403
    assert _post(client, url, leader, {"accept": True, "checks": [True, False, True]}).status_code == 400
    assert _post(client, url, leader, {"accept": True, "checks": [True], "x": 1}).status_code == 400
    assert _snapshot() == before
    response = _post(client, url, leader, {"accept": True, "checks": [True] * 3, "comment": "复核通过"})
    assert response.status_code == 200, response.content
    assert GreenPlan.objects.get(pk=plan.pk).status == S.PASSED


def test_the_plan_page_says_what_follows(client, plan_in, personas, good_data):
    client.force_login(personas["alice_owner"])
    plan, revision = _with_revision(plan_in, personas)
    page = client.get("/projects/{}/plan/".format(plan.project_id)).content.decode()
    assert 'id="revision-requirements"' in page and REQUIREMENTS[0] in page
    assert "move/submit_revision/" in page
    assert "under review" not in page and "评审中" not in page.split('id="plan-status-text"')[1][:200]
    for status in ("revise", "failed"):
        other = plan_in(status)
        page = client.get("/projects/{}/plan/".format(other.project_id)).content.decode()
        assert 'id="what-follows"' in page, status


def test_the_verifier_verifies_on_the_plan_page_and_a_refusal_keeps_the_input(client, plan_in, personas, good_data):
    plan, revision = _with_revision(plan_in, personas)
    plan = _revise(plan, personas, good_data)
    client.force_login(round_leader(revision.review_round))
    url = "/projects/{}/plan/".format(plan.project_id)
    assert 'id="verify"' in client.get(url).content.decode()
    response = client.post(url + "verify/", {"verdict": "refuse", "met_0": "on", "comment": ""})
    assert response.status_code == 302 and response["Location"].startswith(url)
    page = client.get(url).content.decode()
    form = page.split('id="verify"')[1].split("</form>")[0]
    assert 'value="refuse"' in form and "checked" in form.split('name="met_0"')[1][:80]
    response = client.post(url + "verify/", {"verdict": "accept", "met_0": "on", "met_1": "on", "met_2": "on"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == S.PASSED


# --- REV-07, REV-09, REV-14, REV-15 ---------------------------------------------------------------


def test_the_round_closes_its_clarification_box_with_the_answer(client, plan_in, personas):
    from greenbuild.reviews.models import ReviewRound

    plan = plan_in("clarification")
    review_round = ReviewRound.objects.get(plan=plan)
    client.force_login(personas["bureau"])
    page = client.get("/reviews/{}/".format(review_round.pk)).content.decode()
    assert "badge text-bg-warning" in page.split('id="clarification-question"')[1][:400]
    services.answer_clarification(actor=personas["alice_owner"], plan_id=plan.pk, answer="已补充计算书")
    page = client.get("/reviews/{}/".format(review_round.pk)).content.decode()
    box = page.split('id="clarification-question"')[1][:800]
    assert 'id="clarification-answer"' in box and "已补充计算书" in box and "text-bg-warning" not in box


def test_the_status_text_follows_the_state(client, plan_in, personas):
    client.force_login(personas["alice_owner"])
    for status, text in (
        ("submitted", "draw the expert panel"),
        ("in_review", "under review"),
        ("passed", "Passed with"),
    ):
        plan = plan_in(status)
        page = client.get("/en/projects/{}/plan/".format(plan.project_id)).content.decode()
        assert text in page.split('id="plan-status-text"')[1][:200], status


def test_the_diff_shows_the_files_and_the_clarification_behind_the_version(client, plan_in, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = plan_in("clarification")
    owner = personas["alice_owner"]
    services.attach_plan_file(
        actor=owner, plan_id=plan.pk, uploaded_file=SimpleUploadedFile("装配率计算书.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    services.answer_clarification(actor=owner, plan_id=plan.pk, answer="已上传装配率计算书")
    client.force_login(personas["bureau"])
    page = client.get("/projects/{}/plan/diff/".format(plan.project_id)).content.decode()
    assert "diff-file-added" in page and "装配率计算书.pdf" in page
    behind = page.split('id="diff-behind"')[1]
    assert "请补充各单体装配率计算书" in behind and "已上传装配率计算书" in behind


def test_the_draw_page_of_a_plan_in_review_says_so_with_a_link(client, plan_in, personas):
    from greenbuild.reviews.models import ReviewRound

    plan = plan_in("in_review")
    client.force_login(personas["bureau"])
    page = client.get("/reviews/draw/{}/".format(plan.pk)).content.decode()
    review_round = ReviewRound.objects.get(plan=plan)
    assert 'id="draw-in-review"' in page and "/reviews/{}/".format(review_round.pk) in page
    assert 'id="draw-form"' not in page


def test_a_new_plan_starts_from_the_application(filed_project, personas):
    project = filed_project("candidate", name="预填测试")
    plan = services.start_plan(actor=personas["alice_owner"], project=project)
    targets = plan.draft["targets"]
    if project.waste_target_t_per_10k_m2 is not None:
        assert targets["waste_t_per_10k_m2"] is not None
    rates = {str(b.pk) for b in project.buildings.all() if b.target_assembly_rate_pct is not None}
    assert set(targets["assembly_rate_pct_by_building"]) == rates
    assert rates or targets["waste_t_per_10k_m2"] or targets["star_level"]


def test_each_step_of_the_revision_is_notified_to_the_right_people(
    plan_in, personas, good_data, django_capture_on_commit_callbacks
):
    from greenbuild.notifications.models import Notification

    plan, revision = _with_revision(plan_in, personas)
    leader = round_leader(revision.review_round)
    with django_capture_on_commit_callbacks(execute=True):
        plan = _revise(plan, personas, good_data)
    told = set(
        Notification.objects.filter(event__verb="plan.transition", project=plan.project).values_list(
            "recipient", flat=True
        )
    )
    assert leader.pk in told and personas["bureau"].pk in told
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_revision(actor=leader, plan_id=plan.pk, accept=False, checks=[False] * 3, comment="未落实")
    told = set(
        Notification.objects.filter(event__verb="plan.transition", project=plan.project).values_list(
            "recipient", flat=True
        )
    )
    assert personas["alice_owner"].pk in told


def test_the_round_concludes_a_pass_with_revisions_through_the_api(client, plan_in, personas):
    from greenbuild.plans.demo import score_data
    from greenbuild.reviews import services as review_services

    plan = plan_in("submitted")
    review_round = open_round(plan, personas["bureau"])
    for seat in review_round.seats.filter(response="accepted"):
        review_services.save_scores(
            actor=seat.expert,
            seat_id=seat.pk,
            data=score_data(review_round, "7.5", S.PASSED_WITH_REVISIONS),
            submit=True,
        )
    leader = round_leader(review_round)
    url = "/api/v1/review-rounds/{}/actions/conclude/".format(review_round.pk)
    body = {"conclusion": "passed_with_revisions", "comment": "修改后通过", "requirements": ["补充计算书"]}
    assert _post(client, url, leader, body).status_code == 400  # no deadline
    body["revision_deadline"] = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert _post(client, url, leader, body).status_code == 200
    revision = PlanRevision.objects.get(plan=plan)
    assert revision.requirements == ["补充计算书"] and revision.deadline.isoformat() == body["revision_deadline"]
