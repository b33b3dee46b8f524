"""The plan-review state machine: every allowed move and every refused one."""

import pytest
from django.db import transaction

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.models import PlanVersion
from greenbuild.plans.signals import plan_passed
from greenbuild.plans.workflow import ALLOWED, MOVES, PLAN_WORKFLOW

pytestmark = pytest.mark.django_db

EXPECTED = {
    S.DRAFT: {S.SUBMITTED},
    S.REVISE: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW},
    S.IN_REVIEW: {S.CLARIFICATION, S.PASSED, S.PASSED_WITH_REVISIONS, S.REVISE, S.FAILED},
    S.CLARIFICATION: {S.IN_REVIEW},
    S.PASSED: set(),
    S.PASSED_WITH_REVISIONS: {S.REVISION_SUBMITTED},
    S.REVISION_SUBMITTED: {S.PASSED, S.PASSED_WITH_REVISIONS},
    S.FAILED: set(),
}

#: moves the review round drives: on the plan alone, every one is refused by its guard
ROUND_DRIVEN = {"begin_review", "request_clarification", "pass", "pass_with_revisions", "send_back", "fail"}


def test_the_declared_table_is_the_one_the_issue_describes():
    assert {status: set(targets) for status, targets in ALLOWED.items()} == EXPECTED


def _actor(action, personas):
    if action in ("submit", "answer_clarification", "submit_revision"):
        return personas["alice_owner"]
    return personas["bureau"]


@pytest.mark.parametrize("status", [s for s in S if s != S.REVISION_SUBMITTED])
def test_every_move_from_every_state(status, plan_in, personas):
    """From every state: a move from elsewhere is not allowed; a move the review round drives is
    refused when made on the plan alone (whoever makes it); the owner's moves are made."""
    plan = plan_in(status)
    assert plan.status == status
    for action, move in MOVES.items():
        allowed = status in move.sources
        with transaction.atomic():
            sid = transaction.savepoint()
            if not allowed:
                expected = (
                    (TransitionNotAllowed, ActionForbidden)  # nobody verifies a revision that is not there
                    if action in ("accept_revision", "refuse_revision")
                    else TransitionNotAllowed
                )
                with pytest.raises(expected):
                    PLAN_WORKFLOW.apply(
                        actor=_actor(action, personas), obj_or_pk=plan.pk, action=action, comment="理由"
                    )
            elif action in ROUND_DRIVEN:
                with pytest.raises(DomainError):
                    PLAN_WORKFLOW.apply(
                        actor=_actor(action, personas), obj_or_pk=plan.pk, action=action, comment="理由"
                    )
            elif action not in ("accept_revision", "refuse_revision"):
                PLAN_WORKFLOW.apply(actor=_actor(action, personas), obj_or_pk=plan.pk, action=action, comment="理由")
                plan.refresh_from_db()
                assert plan.status == move.target, action
            transaction.savepoint_rollback(sid)
        plan.refresh_from_db()
        assert plan.status == status


def test_nobody_concludes_a_plan_through_the_service_outside_its_round(plan_in, personas):
    plan = plan_in("in_review")
    for who in ("bureau", "alice_owner", "eve_expert"):
        for outcome in (S.PASSED, S.PASSED_WITH_REVISIONS, S.REVISE, S.FAILED):
            with pytest.raises((DomainError, ActionForbidden)):
                services.conclude_plan(actor=personas[who], plan_id=plan.pk, outcome=outcome, reasons="理由")
    plan.refresh_from_db()
    assert plan.status == S.IN_REVIEW


def test_the_bureau_cannot_submit_for_the_owner(plan_in, personas):
    plan = plan_in("draft")
    with pytest.raises(ActionForbidden):
        services.submit_plan(actor=personas["bureau"], plan_id=plan.pk)
    assert not plan.versions.exists()


def test_the_answer_freezes_a_new_version_in_the_same_review(plan_in, personas, good_data):
    plan = plan_in("clarification")
    data = good_data(plan.project, plan.guideline, waste_t_per_10k_m2="120")
    services.answer_clarification(actor=personas["alice_owner"], plan_id=plan.pk, answer="已补充", data=data)
    plan.refresh_from_db()
    assert plan.status == S.IN_REVIEW
    assert plan.current_version.number == 2
    assert plan.current_version.data["targets"]["waste_t_per_10k_m2"] == "120"
    assert plan.current_version.note == "已补充"
    assert plan.clarification_question == ""


def test_a_pass_sends_plan_passed_on_commit(plan_in, personas, django_capture_on_commit_callbacks):
    from greenbuild.plans.demo import conclude_through_review

    plan = plan_in("submitted")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    plan_passed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            review_round = conclude_through_review(plan, S.PASSED, bureau=personas["bureau"])
    finally:
        plan_passed.disconnect(receiver)
    plan.refresh_from_db()
    assert len(received) == 1
    assert received[0]["plan"].pk == plan.pk
    assert received[0]["version"].pk == plan.current_version_id
    assert received[0]["review_round"].pk == review_round.pk


@pytest.mark.parametrize("outcome", [S.PASSED_WITH_REVISIONS, S.REVISE, S.FAILED])
def test_no_other_conclusion_sends_plan_passed(outcome, plan_in, personas, django_capture_on_commit_callbacks):
    from greenbuild.plans.demo import conclude_through_review

    plan = plan_in("submitted")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    plan_passed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            conclude_through_review(plan, outcome, bureau=personas["bureau"])
    finally:
        plan_passed.disconnect(receiver)
    assert received == []
    plan.refresh_from_db()
    assert plan.status == outcome


def test_an_unknown_outcome_is_refused(plan_in, personas):
    plan = plan_in("in_review")
    with pytest.raises(DomainError) as error:
        services.conclude_plan(actor=personas["bureau"], plan_id=plan.pk, outcome="approved")
    assert error.value.field == "outcome"


def test_the_owner_revises_and_submits_again(plan_in, personas, good_data):
    plan = plan_in("revise")
    services.save_plan_draft(
        actor=personas["alice_owner"],
        plan_id=plan.pk,
        data=good_data(plan.project, plan.guideline, green_material_pct="70"),
    )
    services.submit_plan(actor=personas["alice_owner"], plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]
    assert PlanVersion.objects.get(plan=plan, number=1).data["targets"]["green_material_pct"] == "60"


def test_a_failed_review_reads_as_not_passed_in_chinese_not_as_a_failed_job():
    """The outcome 不通过 has its own context: a job's "Failed" is 失败 (a reviewer's find)."""
    from django.utils import translation

    from greenbuild.jobs.choices import JobStatus
    from greenbuild.plans.choices import PlanStatus

    with translation.override("zh-hans"):
        assert str(PlanStatus.FAILED.label) == "不通过"
        assert str(JobStatus.FAILED.label) == "失败"
    with translation.override("en"):
        assert str(PlanStatus.FAILED.label) == "Failed"
