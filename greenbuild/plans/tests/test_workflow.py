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
    S.PASSED_WITH_REVISIONS: set(),
    S.FAILED: set(),
}


def test_the_declared_table_is_the_one_the_issue_describes():
    assert {status: set(targets) for status, targets in ALLOWED.items()} == EXPECTED


def _actor(action, personas):
    return personas["alice_owner"] if action in ("submit", "answer_clarification") else personas["bureau"]


@pytest.mark.parametrize("status", [s for s in S if s != S.PASSED_WITH_REVISIONS] + [S.PASSED_WITH_REVISIONS])
def test_every_move_from_every_state(status, plan_in, personas):
    plan = plan_in(status)
    assert plan.status == status
    for action, move in MOVES.items():
        allowed = status in move.sources
        comment = "理由"
        with transaction.atomic():
            sid = transaction.savepoint()
            if allowed:
                PLAN_WORKFLOW.apply(actor=_actor(action, personas), obj_or_pk=plan.pk, action=action, comment=comment)
                plan.refresh_from_db()
                assert plan.status == move.target, action
            else:
                with pytest.raises(TransitionNotAllowed):
                    PLAN_WORKFLOW.apply(
                        actor=_actor(action, personas), obj_or_pk=plan.pk, action=action, comment=comment
                    )
            transaction.savepoint_rollback(sid)
        plan.refresh_from_db()
        assert plan.status == status


def test_only_the_bureau_moves_the_review_and_only_the_owner_submits(plan_in, personas):
    plan = plan_in("submitted")
    for who in ("alice_owner", "dan_district", "dept_reviewer", "eve_expert", "olivia_other_owner"):
        with pytest.raises(ActionForbidden):
            services.begin_review(actor=personas[who], plan_id=plan.pk)
    services.begin_review(actor=personas["bureau"], plan_id=plan.pk)
    for who in ("alice_owner", "dan_district", "eve_expert"):
        with pytest.raises(ActionForbidden):
            services.conclude_plan(actor=personas[who], plan_id=plan.pk, outcome=S.PASSED)
    plan.refresh_from_db()
    assert plan.status == S.IN_REVIEW


def test_the_bureau_cannot_submit_for_the_owner(plan_in, personas):
    plan = plan_in("draft")
    with pytest.raises(ActionForbidden):
        services.submit_plan(actor=personas["bureau"], plan_id=plan.pk)
    assert not plan.versions.exists()


def test_a_clarification_needs_a_question_and_an_answer(plan_in, personas):
    plan = plan_in("in_review")
    with pytest.raises(DomainError):
        services.request_clarification(actor=personas["bureau"], plan_id=plan.pk, question=" ")
    services.request_clarification(actor=personas["bureau"], plan_id=plan.pk, question="请补充")
    with pytest.raises(DomainError):
        services.answer_clarification(actor=personas["alice_owner"], plan_id=plan.pk, answer="")
    plan.refresh_from_db()
    assert (plan.status, plan.versions.count()) == (S.CLARIFICATION, 1)


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
    plan = plan_in("in_review")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    plan_passed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.conclude_plan(actor=personas["bureau"], plan_id=plan.pk, outcome=S.PASSED, review_round=None)
    finally:
        plan_passed.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["plan"].pk == plan.pk
    assert received[0]["version"].pk == plan.current_version_id
    assert received[0]["actor"] == personas["bureau"]


def test_a_refusal_sends_no_plan_passed(plan_in, personas, django_capture_on_commit_callbacks):
    plan = plan_in("in_review")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    plan_passed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.conclude_plan(actor=personas["bureau"], plan_id=plan.pk, outcome=S.REVISE, reasons="补充")
    finally:
        plan_passed.disconnect(receiver)
    assert received == []


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
