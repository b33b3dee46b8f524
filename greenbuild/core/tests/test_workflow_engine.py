"""The workflow engine (issue 11 item 1) on a workflow of its own: permission, state, comment
rules, guards, effects, the transition row, the history author and after-commit hooks."""

from __future__ import annotations

import pytest

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow, apply_move
from greenbuild.projects import services
from greenbuild.projects.models import WithdrawalRequest, WithdrawalTransition

pytestmark = pytest.mark.django_db

heard: list[tuple[str, int]] = []


def make_workflow(**overrides):
    """A toy review of withdrawal requests: ``hold`` (anyone named alice, a comment when the reason is
    short) and ``close`` (blocked while the reason mentions 资金)."""
    moves = [
        Move(
            "hold",
            {"pending"},
            "refused",
            "hold",
            permission=lambda user, obj: user.username == "alice",
            comment=lambda obj: "短理由需要意见" if len(obj.reason) < 5 else None,
            effects=[
                lambda obj, actor, comment: setattr(obj, "decision_comment", comment.upper()) or ["decision_comment"]
            ],
            after_commit=[lambda t: heard.append(("move", t.pk))],
        ),
        Move(
            "close",
            {"pending", "refused"},
            "approved",
            "close",
            permission=lambda user, obj: True,
            comment=OPTIONAL,
            guards=[lambda obj, actor: ["理由涉及资金"] if "资金" in obj.reason else []],
        ),
        Move("reopen", {"approved"}, "pending", "reopen", permission=lambda user, obj: True, comment=REQUIRED),
    ]
    options = {
        "name": "toy",
        "model": WithdrawalRequest,
        "transition_model": "projects.WithdrawalTransition",
        "object_field": "request",
        "moves": moves,
        "after_commit": [lambda t: heard.append(("workflow", t.pk))],
    }
    options.update(overrides)
    return Workflow(**options)


@pytest.fixture
def request_row(filed_project, personas):
    project = filed_project("confirmed", name="引擎测试")
    return services.request_withdrawal(actor=personas["alice_owner"], project_id=project.pk, reason="短")


def test_two_moves_with_one_action_are_refused():
    with pytest.raises(ValueError):
        make_workflow(moves=[Move("a", {"x"}, "y", "a"), Move("a", {"y"}, "x", "a")])


def test_the_table_lists_the_reachable_states():
    assert make_workflow().allowed() == {
        "pending": frozenset({"refused", "approved"}),
        "refused": frozenset({"approved"}),
        "approved": frozenset({"pending"}),
    }


def test_a_move_writes_the_row_the_transition_the_history_author_and_runs_hooks_on_commit(
    request_row, personas, django_capture_on_commit_callbacks
):
    heard.clear()
    workflow = make_workflow()
    alice = personas["alice_owner"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition = apply_move(workflow=workflow, actor=alice, obj_or_pk=request_row, action="hold", comment=" ok ")
        assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    request_row.refresh_from_db()
    assert (request_row.status, request_row.decision_comment) == ("refused", "OK")
    assert isinstance(transition, WithdrawalTransition)
    assert (transition.from_status, transition.to_status, transition.actor, transition.comment) == (
        "pending",
        "refused",
        alice,
        "ok",
    )
    assert request_row.history.order_by("-history_id").first().history_user == alice
    assert heard == [("workflow", transition.pk), ("move", transition.pk)]


def test_permission_state_comment_and_guards_refuse_and_change_nothing(request_row, personas):
    workflow = make_workflow()
    with pytest.raises(ActionForbidden):
        workflow.apply(actor=personas["bureau"], obj_or_pk=request_row.pk, action="hold", comment="x")
    with pytest.raises(DomainError) as excinfo:  # a callable comment rule: a short reason needs a comment
        workflow.apply(actor=personas["alice_owner"], obj_or_pk=request_row.pk, action="hold")
    assert (excinfo.value.field, str(excinfo.value.message)) == ("comment", "短理由需要意见")
    with pytest.raises(TransitionNotAllowed):
        workflow.apply(actor=personas["alice_owner"], obj_or_pk=request_row.pk, action="reopen", comment="x")
    with pytest.raises(DomainError):
        workflow.apply(actor=personas["alice_owner"], obj_or_pk=request_row.pk, action="fly")
    WithdrawalRequest.objects.filter(pk=request_row.pk).update(reason="资金不足")
    with pytest.raises(DomainError) as excinfo:
        workflow.apply(actor=personas["alice_owner"], obj_or_pk=request_row.pk, action="close")
    assert "理由涉及资金" in str(excinfo.value.message)
    request_row.refresh_from_db()
    assert request_row.status == "pending"
    assert not WithdrawalTransition.objects.exists()


def test_available_moves_evaluate_the_comment_rule_for_the_object(request_row, personas):
    workflow = make_workflow()
    moves = {m.action: m for m in workflow.available_moves(request_row, personas["alice_owner"])}
    assert set(moves) == {"hold", "close"}
    assert moves["hold"].comment_required and moves["hold"].comment_hint == "短理由需要意见"
    assert not moves["close"].comment_required and moves["close"].label == "close"
    assert [m.action for m in workflow.available_moves(request_row, personas["bureau"])] == ["close"]
