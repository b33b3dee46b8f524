"""Withdrawing a confirmed pilot (issue 10 item 23): the owner asks with reasons, the bureau decides.

A confirmed pilot counts toward the district quota, so its owner can no longer withdraw it alone;
drafts and applications under review are still withdrawn by the owner directly.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.projects import services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.choices import WithdrawalStatus as W
from greenbuild.projects.models import ProjectTransition, WithdrawalRequest, WithdrawalTransition
from greenbuild.projects.selectors import pending_withdrawal_requests
from greenbuild.testing.factories import pass_plan_review
from greenbuild.testing.matrix import PERSONAS, each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(filed_project, personas, orgs):
    project = filed_project("candidate", name="撤回试点")
    pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])
    services.transition_project(actor=personas["bureau"], project_id=project.pk, action="confirm", comment="确认")
    project.refresh_from_db()
    assert project.status == S.CONFIRMED
    return project


def ask(personas, pilot, reason="资金计划调整，项目暂缓建设。"):
    return services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason=reason)


# --- the owner's request -----------------------------------------------------------------------


def test_the_owner_cannot_withdraw_a_confirmed_pilot_directly(pilot, personas):
    with pytest.raises(ActionForbidden):
        services.transition_project(
            actor=personas["alice_owner"], project_id=pilot.pk, action="withdraw", comment="不做了"
        )
    pilot.refresh_from_db()
    assert pilot.status == S.CONFIRMED


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "recommended", "candidate"])
def test_drafts_and_applications_under_review_are_still_withdrawn_by_the_owner(filed_project, personas, status):
    project = filed_project(status, name="直接撤回-" + status)
    services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="withdraw", comment="撤回")
    project.refresh_from_db()
    assert project.status == S.WITHDRAWN
    with pytest.raises(ActionForbidden):  # nothing to request: it is not a confirmed pilot
        services.request_withdrawal(actor=personas["alice_owner"], project_id=project.pk, reason="理由")


def test_the_owner_requests_withdrawal_with_reasons_and_the_pilot_stays_confirmed(pilot, personas):
    request = ask(personas, pilot)
    pilot.refresh_from_db()
    assert pilot.status == S.CONFIRMED
    assert (request.status, request.requested_by, request.reason) == (
        W.PENDING,
        personas["alice_owner"],
        request.reason,
    )
    assert request.history.get().history_user == personas["alice_owner"]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_request_without_reasons_is_refused_on_its_field_and_nothing_is_written(pilot, personas, reason):
    with pytest.raises(DomainError) as excinfo:
        ask(personas, pilot, reason)
    assert excinfo.value.field == "reason"
    assert not WithdrawalRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused(pilot, personas):
    ask(personas, pilot)
    with pytest.raises(DomainError):
        ask(personas, pilot, "再次申请")
    assert WithdrawalRequest.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["olivia_other_owner", "dan_district", "bureau", "dept_reviewer", "carl_contractor", "dave_outsider"]
)
def test_only_the_owner_requests_a_withdrawal(pilot, personas, who):
    with pytest.raises(ActionForbidden):
        services.request_withdrawal(actor=personas[who], project_id=pilot.pk, reason="理由")
    assert not WithdrawalRequest.objects.exists()


# --- the bureau's decision ---------------------------------------------------------------------


def test_the_bureau_approves_and_the_pilot_is_withdrawn_with_a_transition_row(
    pilot, personas, django_capture_on_commit_callbacks
):
    request = ask(personas, pilot)
    bureau = personas["bureau"]
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_withdrawal(actor=bureau, request_id=request.pk, action="approve", comment="同意")
    pilot.refresh_from_db()
    request.refresh_from_db()
    assert pilot.status == S.WITHDRAWN
    move = ProjectTransition.objects.filter(project=pilot).order_by("-pk").first()
    assert (move.from_status, move.to_status, move.actor) == (S.CONFIRMED, S.WITHDRAWN, bureau)
    # The transition's comment (its notification's 意见) is the bureau's, not the owner's reasons (UI-11).
    assert move.comment == "同意" and request.reason not in move.comment
    assert (decision.from_status, decision.to_status, decision.actor, decision.comment) == (
        W.PENDING,
        W.APPROVED,
        bureau,
        "同意",
    )
    assert (request.status, request.decided_by, request.decision_comment) == (W.APPROVED, bureau, "同意")
    assert request.decided_at is not None
    assert request.history.order_by("-history_id").first().history_user == bureau
    assert pilot.history.order_by("-history_id").first().history_user == bureau
    # The owner hears of it (the application workflow's after-commit hook).
    assert personas["alice_owner"].notifications.exists()


def test_the_bureau_refuses_with_a_comment_and_the_pilot_stays_confirmed(pilot, personas):
    request = ask(personas, pilot)
    with pytest.raises(DomainError) as excinfo:
        services.decide_withdrawal(actor=personas["bureau"], request_id=request.pk, action="refuse", comment=" ")
    assert excinfo.value.field == "comment"
    services.decide_withdrawal(
        actor=personas["bureau"], request_id=request.pk, action="refuse", comment="试点名额已公示，不予撤回"
    )
    pilot.refresh_from_db()
    request.refresh_from_db()
    assert pilot.status == S.CONFIRMED
    assert (request.status, request.decision_comment) == (W.REFUSED, "试点名额已公示，不予撤回")
    assert WithdrawalTransition.objects.get().to_status == W.REFUSED
    # Refused is final for that request; the owner may ask again.
    ask(personas, pilot, "情况有变，再次申请")
    assert WithdrawalRequest.objects.filter(status=W.PENDING).count() == 1


@pytest.mark.parametrize("who", ["alice_owner", "dan_district", "dept_reviewer", "carl_contractor"])
@pytest.mark.parametrize("action", ["approve", "refuse"])
def test_only_the_bureau_decides(pilot, personas, who, action):
    request = ask(personas, pilot)
    with pytest.raises(ActionForbidden):
        services.decide_withdrawal(actor=personas[who], request_id=request.pk, action=action, comment="意见")
    request.refresh_from_db()
    assert request.status == W.PENDING
    assert not WithdrawalTransition.objects.exists()


@pytest.mark.parametrize("first,then", [("approve", "refuse"), ("refuse", "approve"), ("approve", "approve")])
def test_a_decided_request_cannot_be_decided_again(pilot, personas, first, then):
    request = ask(personas, pilot)
    services.decide_withdrawal(actor=personas["bureau"], request_id=request.pk, action=first, comment="决定")
    with pytest.raises(TransitionNotAllowed):
        services.decide_withdrawal(actor=personas["bureau"], request_id=request.pk, action=then, comment="再决定")
    assert WithdrawalTransition.objects.count() == 1


def test_a_direct_withdrawal_by_the_bureau_settles_the_pending_request(pilot, personas):
    """REG-01: the 操作 card's 撤回 approves the owner's pending request with the bureau's comment;
    it then leaves the 待办 and can be neither approved nor refused again."""
    request = ask(personas, pilot)
    bureau = personas["bureau"]
    services.transition_project(actor=bureau, project_id=pilot.pk, action="withdraw", comment="直接撤销")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_comment) == (W.APPROVED, bureau, "直接撤销")
    assert request.decided_at is not None
    logged = WithdrawalTransition.objects.get(request=request)
    assert (logged.from_status, logged.to_status, logged.actor) == (W.PENDING, W.APPROVED, bureau)
    assert not pending_withdrawal_requests(bureau).exists()
    for action in ("approve", "refuse"):
        with pytest.raises(TransitionNotAllowed):
            services.decide_withdrawal(actor=bureau, request_id=request.pk, action=action, comment="再决定")


def test_a_direct_withdrawal_through_the_api_and_the_page_settles_the_request_too(client, pilot, personas):
    from rest_framework.test import APIClient

    request = ask(personas, pilot)
    api = APIClient()
    api.force_authenticate(personas["bureau"])
    answer = api.post("/api/v1/projects/{}/actions/withdraw/".format(pilot.pk), {"comment": "接口撤销"}, format="json")
    assert answer.status_code in (200, 201), answer.content
    request.refresh_from_db()
    assert (request.status, request.decision_comment) == (W.APPROVED, "接口撤销")

    # The page's move (another pilot, same path through the workflow).
    other = pilot
    other.status = S.CONFIRMED
    other.save(update_fields=["status"])
    second = ask(personas, other, "第二次申请")
    client.force_login(personas["bureau"])
    client.post(reverse("projects:project-transition", args=[other.pk, "withdraw"]), {"comment": "页面撤销"})
    second.refresh_from_db()
    assert (second.status, second.decision_comment) == (W.APPROVED, "页面撤销")


def test_approving_without_a_comment_records_a_plain_statement_not_the_owners_reasons(pilot, personas):
    request = ask(personas, pilot)
    services.decide_withdrawal(actor=personas["bureau"], request_id=request.pk, action="approve")
    move = ProjectTransition.objects.filter(project=pilot).order_by("-pk").first()
    assert move.to_status == S.WITHDRAWN
    assert request.reason not in move.comment and move.comment


def test_a_refusal_is_told_to_the_requester_and_the_district_with_the_bureaus_comment(
    pilot, personas, django_capture_on_commit_callbacks
):
    """UI-11: 不同意撤回 reaches the owner who asked and the district's officials."""
    from greenbuild.notifications.models import Notification

    request = ask(personas, pilot)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_withdrawal(
            actor=personas["bureau"], request_id=request.pk, action="refuse", comment="名额已公示"
        )
    told = Notification.objects.filter(event__verb="project.withdrawal_refused")
    assert {n.recipient for n in told} >= {personas["alice_owner"], personas["dan_district"]}
    assert personas["bureau"] not in {n.recipient for n in told}
    assert all(n.event.params["comment"] == "名额已公示" for n in told)
    assert pilot.name in told.first().event.text


def test_an_unknown_decision_is_refused(pilot, personas):
    request = ask(personas, pilot)
    with pytest.raises(DomainError):
        services.decide_withdrawal(actor=personas["bureau"], request_id=request.pk, action="publish")


# --- the overview's selector -------------------------------------------------------------------


def test_pending_requests_for_each_role_in_one_query(pilot, filed_project, personas):
    other = filed_project("candidate", name="第二个试点")
    pass_plan_review(other, owner=personas["alice_owner"], bureau=personas["bureau"])
    services.transition_project(actor=personas["bureau"], project_id=other.pk, action="confirm", comment="确认")
    first = ask(personas, pilot)
    second = ask(personas, other)
    services.decide_withdrawal(actor=personas["bureau"], request_id=second.pk, action="refuse", comment="不同意")
    expected = {
        "bureau": [first],
        "alice_owner": [first],
        "dan_district": [first],
        "dept_reviewer": [first],  # sees confirmed pilots' internal pages city-wide
        "carl_contractor": [],  # not on these projects
        "wu_district": [],
        "olivia_other_owner": [],
        "dave_outsider": [],
    }
    for who, requests in expected.items():
        with CaptureQueriesContext(connection) as queries:
            got = list(pending_withdrawal_requests(personas[who]))
            assert [r.project.district.name for r in got] == [r.project.district.name for r in requests]
        assert got == requests, who
        assert len(queries) <= 2, (who, len(queries))  # the request rows; role lookups are cached per user


# --- the pages ---------------------------------------------------------------------------------

#                            request-on-pilot   approve   refuse
COLUMNS = ("request", "approve", "refuse")
HTTP = table(
    """
alice_owner                  done               403       403
olivia_other_owner           403                404       404
dan_district                 403                403       403
wu_district                  403                404       404
bureau                       403                done      done
dept_reviewer                403                403       403
carl_contractor              403                404       404
eve_expert                   403                404       404
ted_evaluator                403                404       404
dave_outsider                403                404       404
anonymous                    login              login     login
""",
    COLUMNS,
)


def test_the_withdrawal_pages_for_every_persona(client, pilot, personas, orgs):
    """Request on a confirmed pilot; approve and refuse a pending request: done, 403, 404 or sign in."""
    detail = reverse("projects:project-detail", args=[pilot.pk])
    # carl and ted do not work on this pilot: they see its public page only.
    got: dict[str, dict[str, str]] = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        with undone():
            url = reverse("projects:withdrawal-request", args=[pilot.pk])
            got[persona]["request"], _ = outcome(client, "post", url, {"reason": "矩阵理由"}, detail)
            if got[persona]["request"] == "done":
                assert WithdrawalRequest.objects.get().reason == "矩阵理由"
            else:
                assert not WithdrawalRequest.objects.exists()
        for action in ("approve", "refuse"):
            with undone():
                request = ask(personas, pilot)
                url = reverse("projects:withdrawal-decide", args=[pilot.pk, request.pk, action])
                got[persona][action], _ = outcome(client, "post", url, {"comment": "矩阵意见"}, detail)
                request.refresh_from_db()
                assert (request.status != W.PENDING) == (got[persona][action] == "done"), (persona, action)
    assert got == HTTP


def test_a_request_of_another_project_is_404_through_this_one(client, pilot, filed_project, personas):
    other = filed_project("candidate", name="另一个试点")
    pass_plan_review(other, owner=personas["alice_owner"], bureau=personas["bureau"])
    services.transition_project(actor=personas["bureau"], project_id=other.pk, action="confirm", comment="确认")
    request = ask(personas, other)
    client.force_login(personas["bureau"])
    for pk in (request.pk, "abc", 10**20):
        url = "{}withdrawal/{}/approve/".format(reverse("projects:project-detail", args=[pilot.pk]), pk)
        assert client.post(url, {"comment": "x"}).status_code == 404
    assert client.post(reverse("projects:withdrawal-decide", args=[pilot.pk, request.pk, "publish"])).status_code == 404
    request.refresh_from_db()
    assert request.status == W.PENDING


def test_an_empty_reason_on_the_page_is_refused_with_a_message_in_chinese(client, pilot, personas):
    client.force_login(personas["alice_owner"])
    with translation.override("zh-hans"):
        response = client.post(reverse("projects:withdrawal-request", args=[pilot.pk]), {"reason": ""}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and re.search(r"[\u4e00-\u9fff]", messages[0]) and "reason" not in messages[0]
    assert not WithdrawalRequest.objects.exists()


def test_the_project_page_offers_the_request_to_the_owner_and_the_decision_to_the_bureau(client, pilot, personas):
    detail = reverse("projects:project-detail", args=[pilot.pk])

    def offered(who):
        client.force_login(personas[who])
        html = client.get(detail).content.decode()
        return set(re.findall(r'data-withdrawal-action="([a-z]+)"', html)), set(
            re.findall(r'data-action="([a-z]+)"', html)
        )

    assert offered("alice_owner") == ({"request"}, set())  # no direct withdraw of a confirmed pilot
    assert offered("bureau") == (set(), {"withdraw"})
    ask(personas, pilot)
    assert offered("alice_owner") == (set(), set())
    assert offered("bureau") == ({"approve", "refuse"}, {"withdraw"})
    assert offered("dept_reviewer") == (set(), set())
    client.force_login(personas["dept_reviewer"])
    assert "资金计划调整" in client.get(detail).content.decode()  # an insider sees the pending reasons
    client.logout()
    html = client.get(detail).content.decode()
    assert 'id="withdrawal"' not in html and "资金计划调整" not in html  # the public sees nothing of it


def test_personas_cover_every_fixture():
    assert set(PERSONAS) == set(HTTP)
