"""Issue 16 items 1 and 2, attacked: every path to every conclusion and verification move (admin,
service, API, page), doubled and stale submissions, malformed input."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from greenbuild.api import services as api_services
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.demo import SCORE_FOR, complete_data, open_round, round_leader, score_data
from greenbuild.plans.models import GreenPlan, PlanRevision, PlanTransition
from greenbuild.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(user, scope="write"):
    _t, secret = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return "Bearer " + secret


def _post(client, path, user, body, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", HTTP_AUTHORIZATION=_token(user))


def _snapshot():
    return (
        list(GreenPlan.objects.order_by("pk").values_list("pk", "status", "current_version_id", "draft")),
        list(PlanRevision.objects.order_by("pk").values_list("pk", "status", "refusals", "checks")),
        PlanTransition.objects.count(),
    )


def _all_scored(plan, personas, outcome=S.PASSED):
    """A scoring round whose every seated expert has submitted (ready for its leader)."""
    from greenbuild.reviews import services as review_services
    from greenbuild.reviews.models import PanelSeat

    review_round = open_round(plan, personas["bureau"])
    for seat in PanelSeat.objects.filter(round=review_round, response="accepted").order_by("order"):
        review_services.save_scores(
            actor=seat.expert, seat_id=seat.pk, data=score_data(review_round, SCORE_FOR[outcome], outcome), submit=True
        )
    review_round.refresh_from_db()
    return review_round


def _admin():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


# --- the service path: only the round's conclusion concludes the plan -----------------------------


def test_the_plan_service_alone_cannot_conclude_a_plan_even_with_a_fully_scored_round(plan_in, personas):
    plan = plan_in("submitted")
    review_round = _all_scored(plan, personas)
    before = _snapshot()
    for who in (personas["bureau"], round_leader(review_round)):
        for outcome in (S.PASSED, S.REVISE, S.FAILED):
            with pytest.raises((DomainError, ActionForbidden)):
                services.conclude_plan(
                    actor=who, plan_id=plan.pk, outcome=outcome, review_round=review_round, reasons="绕过评审轮次"
                )
    assert _snapshot() == before
    review_round.refresh_from_db()
    assert review_round.status == "scoring"


# --- the admin: shows, never changes ---------------------------------------------------------------


def test_the_admin_cannot_revert_a_plan_a_revision_or_a_round(client, plan_in, personas, good_data):
    from greenbuild.reviews.models import ReviewRound

    plan = plan_in("revision_submitted")
    revision = plan.revisions.get()
    review_round = revision.review_round
    client.force_login(_admin())
    before = (_snapshot(), list(ReviewRound.objects.values_list("pk", "status", "conclusion")))
    targets = [
        ("plans", "greenplan", plan, {"status": "passed"}),
        ("plans", "planrevision", revision, {"status": "accepted"}),
        ("reviews", "reviewround", review_round, {"status": "scoring", "conclusion": "passed"}),
    ]
    for app, model, obj, body in targets:
        for old in obj.history.order_by("history_id")[:2]:
            url = "/admin/{}/{}/{}/history/{}/".format(app, model, obj.pk, old.history_id)
            response = client.post(url, body)
            assert response.status_code in (403, 405), (model, response.status_code)
        response = client.post("/admin/{}/{}/{}/change/".format(app, model, obj.pk), body)
        assert response.status_code in (403, 405), (model, response.status_code)
        response = client.post("/admin/{}/{}/{}/delete/".format(app, model, obj.pk), {"post": "yes"})
        assert response.status_code in (403, 405), (model, response.status_code)
    assert (_snapshot(), list(ReviewRound.objects.values_list("pk", "status", "conclusion"))) == before


# --- doubled, stale and malformed submissions ------------------------------------------------------


def test_doubled_and_stale_revision_moves_through_the_api_answer_400_and_change_nothing(client, plan_in, personas):
    plan = plan_in("passed_with_revisions")
    owner = personas["alice_owner"]
    leader = round_leader(plan.revisions.get().review_round)
    submit = "/api/v1/plans/{}/actions/submit_revision/".format(plan.pk)
    verify = "/api/v1/plans/{}/actions/verify_revision/".format(plan.pk)
    assert _post(client, submit, owner, {"comment": "已改"}).status_code == 200
    before = _snapshot()
    assert _post(client, submit, owner, {"comment": "已改"}).status_code in (400, 403, 409)
    # the owner cannot change the plan while it is being verified
    body = {"data": complete_data(plan.project, plan.guideline, waste_t_per_10k_m2="10")}
    response = client.put(
        "/api/v1/plans/{}/draft/".format(plan.pk),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=_token(owner),
    )
    assert response.status_code in (400, 403)
    for bad in (
        {"accept": True, "checks": "yes"},
        {"accept": True, "checks": [True] * 51},
        {"accept": True, "checks": [True, True]},
        {"accept": True, "checks": [True, True, True, True]},
        {"accept": True, "checks": [None, True, True]},
        {"accept": True, "checks": [{"a": 1}, True, True]},
        {"accept": "maybe", "checks": [True] * 3},
        {"checks": [True] * 3},
        {"accept": False, "checks": [True] * 3},
        {"accept": False, "checks": [True] * 3, "comment": "   "},
        {"accept": True, "checks": [True] * 3, "comment": ["x"]},
        {"accept": True, "comment": "未逐条复核"},
        [1, 2],
    ):
        response = _post(client, verify, leader, bad)
        assert response.status_code == 400, (bad, response.status_code, response.content)
    assert _post(client, verify, leader, None, raw="{not json").status_code == 400
    assert _snapshot() == before
    response = _post(client, verify, leader, {"accept": False, "checks": [True, False, True], "comment": "第2条"})
    assert response.status_code == 200
    after_refusal = _snapshot()
    # a stale acceptance after the refusal, and a doubled refusal, change nothing and never 500
    assert _post(client, verify, leader, {"accept": True, "checks": [True] * 3}).status_code in (400, 403)
    assert _post(client, verify, leader, {"accept": False, "comment": "again"}).status_code in (400, 403)
    assert _snapshot() == after_refusal


def test_a_doubled_verification_on_the_page_changes_nothing_and_says_why(client, plan_in, personas):
    plan = plan_in("revision_submitted")
    leader = round_leader(plan.revisions.get().review_round)
    client.force_login(leader)
    url = "/projects/{}/plan/".format(plan.project_id)
    posted = {"verdict": "accept", "met_0": "on", "met_1": "on", "met_2": "on", "comment": "通过"}
    assert client.post(url + "verify/", posted).status_code == 302
    before = _snapshot()
    response = client.post(url + "verify/", posted)
    assert response.status_code == 302 and response["Location"].startswith(url)
    assert _snapshot() == before


def test_the_service_refuses_wrongly_typed_verification_input(plan_in, personas):
    plan = plan_in("revision_submitted")
    leader = round_leader(plan.revisions.get().review_round)
    before = _snapshot()
    for checks in ("yes", 3, {"a": True}, [True, True], ["no", "no", "no"], [None, None, None]):
        with pytest.raises(DomainError):
            services.verify_revision(actor=leader, plan_id=plan.pk, accept=True, checks=checks)
    assert _snapshot() == before


def test_malformed_conclusions_are_refused_with_field_messages(client, plan_in, personas):
    from greenbuild.reviews import services as review_services
    from greenbuild.reviews.models import ReviewRound

    plan = plan_in("submitted")
    review_round = _all_scored(plan, personas, S.PASSED_WITH_REVISIONS)
    leader = round_leader(review_round)
    url = "/api/v1/review-rounds/{}/actions/conclude/".format(review_round.pk)
    before = (_snapshot(), list(ReviewRound.objects.values_list("pk", "status")))
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    base = {"conclusion": "passed_with_revisions", "comment": "修改后通过"}
    for bad in (
        {**base, "revision_deadline": future},
        {**base, "requirements": [], "revision_deadline": future},
        {**base, "requirements": ["  ", "-"], "revision_deadline": future},
        {**base, "requirements": "第一条", "revision_deadline": future},
        {**base, "requirements": ["x"] * 51, "revision_deadline": future},
        {**base, "requirements": ["x" * 1001], "revision_deadline": future},
        {**base, "requirements": [{"a": 1}], "revision_deadline": future},
        {**base, "requirements": ["补充计算书"]},
        {**base, "requirements": ["补充计算书"], "revision_deadline": "2020-01-01"},
        {**base, "requirements": ["补充计算书"], "revision_deadline": "2026-13-45"},
        {**base, "requirements": ["补充计算书"], "revision_deadline": 20270101},
        {**base, "requirements": ["补充计算书"], "revision_deadline": "9999-12-31"},
        {"conclusion": "passed_with_revisions", "requirements": ["补充"], "revision_deadline": future},
        {"conclusion": "approved", "comment": "x"},
    ):
        response = _post(client, url, leader, bad)
        assert response.status_code == 400, (bad, response.status_code, response.content)
    assert (_snapshot(), list(ReviewRound.objects.values_list("pk", "status"))) == before
    for deadline in (timezone.localdate() + dt.timedelta(days=3650), timezone.now() + dt.timedelta(days=3)):
        with pytest.raises(DomainError):
            review_services.conclude_round(
                actor=leader,
                round_id=review_round.pk,
                conclusion="passed_with_revisions",
                reasons="x",
                requirements=["补充"],
                revision_deadline=deadline,
            )


def test_a_round_concluded_twice_concludes_once(client, plan_in, personas):
    from greenbuild.reviews import services as review_services

    plan = plan_in("submitted")
    review_round = _all_scored(plan, personas)
    leader = round_leader(review_round)
    review_services.conclude_round(actor=leader, round_id=review_round.pk, conclusion="passed", reasons="通过")
    before = _snapshot()
    url = "/api/v1/review-rounds/{}/actions/conclude/".format(review_round.pk)
    assert _post(client, url, leader, {"conclusion": "failed", "comment": "改判"}).status_code in (400, 403, 409)
    with pytest.raises(DomainError):
        review_services.conclude_round(actor=leader, round_id=review_round.pk, conclusion="failed", reasons="改判")
    assert _snapshot() == before


# --- confirmation while a revision is pending --------------------------------------------------------


@pytest.mark.parametrize("status", ["passed_with_revisions", "revision_submitted"])
def test_a_pilot_is_not_confirmed_while_its_revision_is_pending(client, plan_in, personas, status):
    from greenbuild.projects.services import transition_project

    plan = plan_in(status)
    with pytest.raises(DomainError):
        transition_project(actor=personas["bureau"], project_id=plan.project_id, action="confirm", comment="确定")
    response = _post(
        client, "/api/v1/projects/{}/actions/confirm/".format(plan.project_id), personas["bureau"], {"comment": "确定"}
    )
    assert response.status_code in (400, 403, 404, 409)
    plan.project.refresh_from_db()
    assert plan.project.status == "candidate"


# --- who may act, and whose 待办 says so ---------------------------------------------------------------


def test_only_the_verifier_sees_and_makes_the_verification(client, plan_in, personas):
    from greenbuild.notifications.registry import inbox_providers
    from greenbuild.reviews.models import PanelSeat

    plan = plan_in("revision_submitted")
    revision = plan.revisions.get()
    leader = round_leader(revision.review_round)
    other_expert = (
        PanelSeat.objects.filter(round=revision.review_round, response="accepted", is_leader=False).first().expert
    )
    url = "/api/v1/plans/{}/actions/verify_revision/".format(plan.pk)
    before = _snapshot()
    for who in (
        personas["alice_owner"],
        personas["olivia_other_owner"],
        personas["bureau"],
        personas["dan_district"],
        personas["dept_reviewer"],
        personas["ted_evaluator"],
        personas["eve_expert"],
        personas["dave_outsider"],
        other_expert,
    ):
        response = _post(client, url, who, {"accept": True, "checks": [True] * 3})
        assert response.status_code in (403, 404), (who.username, response.status_code)
        assert not [i for i in inbox_providers()["plans.to_verify"](who) if i.project_id == plan.project_id], (
            who.username
        )
        client.force_login(who)
        page = client.post("/projects/{}/plan/verify/".format(plan.project_id), {"verdict": "accept"})
        assert page.status_code in (403, 404), (who.username, page.status_code)
    client.logout()
    response = client.post(url, data=json.dumps({"accept": True}), content_type="application/json")
    assert response.status_code in (401, 403)
    assert _snapshot() == before
    items = [i for i in inbox_providers()["plans.to_verify"](leader) if i.project_id == plan.project_id]
    assert len(items) == 1
    services.verify_revision(actor=leader, plan_id=plan.pk, accept=True, checks=[True] * 3)
    assert not [i for i in inbox_providers()["plans.to_verify"](leader) if i.project_id == plan.project_id]
    assert not [
        i for i in inbox_providers()["plans.for_owner"](personas["alice_owner"]) if i.project_id == plan.project_id
    ]


# --- a withdrawn project: its plan's revision leads nowhere, and nobody is asked to act ------------


def test_a_withdrawn_projects_revision_is_neither_asked_nor_submitted_nor_verified(plan_in, personas):
    from greenbuild.lifecycle.models import Baseline
    from greenbuild.notifications.registry import inbox_providers
    from greenbuild.projects.services import transition_project

    owner = personas["alice_owner"]
    asked = plan_in("passed_with_revisions")
    waiting = plan_in("revision_submitted")
    for plan in (asked, waiting):
        transition_project(actor=personas["bureau"], project_id=plan.project_id, action="withdraw", comment="撤回")
    before = _snapshot()
    assert not [
        i for i in inbox_providers()["plans.for_owner"](owner) if i.project_id in (asked.project_id, waiting.project_id)
    ]
    with pytest.raises((DomainError, ActionForbidden)):
        services.submit_revision(actor=owner, plan_id=asked.pk, comment="已改")
    leader = round_leader(waiting.revisions.get().review_round)
    assert not [i for i in inbox_providers()["plans.to_verify"](leader) if i.project_id == waiting.project_id]
    with pytest.raises((DomainError, ActionForbidden)):
        services.verify_revision(actor=leader, plan_id=waiting.pk, accept=True, checks=[True] * 3)
    assert _snapshot() == before
    assert not Baseline.objects.filter(project_id__in=[asked.project_id, waiting.project_id]).exists()


def test_the_system_check_reports_a_plan_whose_status_is_not_its_rounds_conclusion(plan_in):
    from django.core import checks

    failed = plan_in("failed")
    sent_back = plan_in("revise")
    good = plan_in("passed_with_revisions")
    GreenPlan.objects.filter(pk=failed.pk).update(status=S.PASSED)
    GreenPlan.objects.filter(pk=sent_back.pk).update(status=S.PASSED_WITH_REVISIONS)
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    ids = {(m.id, getattr(m.obj, "pk", None)) for m in found if m.id.startswith("plans.")}
    assert ("plans.W001", failed.pk) in ids and ("plans.W001", sent_back.pk) in ids
    assert not any(pk == good.pk for _code, pk in ids)


def test_a_doubled_conclusion_on_the_round_page_says_it_was_recorded_and_changes_nothing(client, plan_in, personas):
    from django.contrib.messages import get_messages

    plan = plan_in("submitted")
    review_round = _all_scored(plan, personas)
    client.force_login(round_leader(review_round))
    url = "/reviews/{}/conclude/".format(review_round.pk)
    posted = {"conclusion": "passed", "reasons": "专家组一致同意通过。"}
    assert client.post(url, posted).status_code == 302
    before = _snapshot()
    response = client.post(url, {**posted, "conclusion": "failed"})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts and not any("未记录" in t or "not recorded" in t for t in texts), texts
    assert _snapshot() == before
