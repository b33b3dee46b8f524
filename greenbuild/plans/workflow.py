"""The plan-review state machine, on the core workflow engine.

draft → submitted (owner, the self-check passes; a version is frozen) → in_review (bureau, when
the panel is drawn) → clarification (bureau or review leader asks) → in_review (owner answers; a
new version is frozen) → passed | passed_with_revisions | revise | failed (bureau or review
leader concludes). A plan sent back for revision is revised and submitted again.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import OPTIONAL, REQUIRED, BoundMove, Move, Workflow
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.choices import VersionReason


def self_check_blockers(plan: Any, actor: Any) -> list[str]:
    """Guard of ``submit`` and ``answer_clarification``: the self-check's gaps and failed checks."""
    from greenbuild.plans.selfcheck import plan_self_check

    check = plan_self_check(plan.project, plan.draft, plan.guideline)
    if check.ok:
        return []
    return [
        gettext("The plan does not pass its self-check: {gaps}").format(
            gaps=pgettext("reasons separator", "; ").join(check.blockers())
        )
    ]


def _freeze(plan: Any, actor: Any, reason: str, note: str = "") -> list[str]:
    from greenbuild.plans.models import PlanVersion
    from greenbuild.plans.selfcheck import plan_self_check

    check = plan_self_check(plan.project, plan.draft, plan.guideline)
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion(
        plan=plan,
        number=last + 1,
        reason=reason,
        data=plan.draft,
        self_check=check.as_json(),
        guideline=plan.guideline,
        note=note,
        submitted_by=actor,
    )
    set_history_user(version, actor)
    version.save()
    version.attachments.set(plan.draft_attachments.all())
    plan.current_version = version
    return ["current_version"]


def freeze_submission(plan: Any, actor: Any, comment: str) -> list[str]:
    return _freeze(plan, actor, VersionReason.SUBMISSION, comment)


def freeze_answer(plan: Any, actor: Any, comment: str) -> list[str]:
    fields = _freeze(plan, actor, VersionReason.CLARIFICATION, comment)
    plan.clarification_question = ""
    return [*fields, "clarification_question"]


def record_question(plan: Any, actor: Any, comment: str) -> list[str]:
    plan.clarification_question = comment
    return ["clarification_question"]


def notify(transition: Any) -> None:
    from greenbuild.plans.events import notify_plan_transition

    notify_plan_transition(transition.pk)


CONCLUDE_PERMISSION = "plans.conclude_greenplan"

#: conclusion outcome -> the move that records it
CONCLUSION_MOVES = {
    S.PASSED: "pass",
    S.PASSED_WITH_REVISIONS: "pass_with_revisions",
    S.REVISE: "send_back",
    S.FAILED: "fail",
}

MOVE_LIST = (
    Move(
        "submit",
        {S.DRAFT, S.REVISE},
        S.SUBMITTED,
        _("Submit the plan for expert review"),
        guards=[self_check_blockers],
        effects=[freeze_submission],
    ),
    Move("begin_review", {S.SUBMITTED}, S.IN_REVIEW, _("Begin the expert review")),
    Move(
        "request_clarification",
        {S.IN_REVIEW},
        S.CLARIFICATION,
        _("Request clarification"),
        comment=REQUIRED,
        effects=[record_question],
        button="warning",
    ),
    Move(
        "answer_clarification",
        {S.CLARIFICATION},
        S.IN_REVIEW,
        _("Answer the clarification"),
        comment=REQUIRED,
        guards=[self_check_blockers],
        effects=[freeze_answer],
    ),
    Move("pass", {S.IN_REVIEW}, S.PASSED, _("Pass"), permission=CONCLUDE_PERMISSION, button="success"),
    Move(
        "pass_with_revisions",
        {S.IN_REVIEW},
        S.PASSED_WITH_REVISIONS,
        _("Pass with revisions"),
        permission=CONCLUDE_PERMISSION,
        comment=OPTIONAL,
        button="success",
    ),
    Move(
        "send_back",
        {S.IN_REVIEW},
        S.REVISE,
        _("Revise and resubmit"),
        permission=CONCLUDE_PERMISSION,
        button="warning",
    ),
    Move("fail", {S.IN_REVIEW}, S.FAILED, _("Fail"), permission=CONCLUDE_PERMISSION, button="danger"),
)

PLAN_WORKFLOW = Workflow(
    name="plan",
    model="plans.GreenPlan",
    transition_model="plans.PlanTransition",
    object_field="plan",
    moves=MOVE_LIST,
    status_label=lambda status: S(status).label,
    view_permission="plans.view_greenplan",
    after_commit=[notify],
    not_allowed=_("“{action}” is not possible: the plan is now “{status}”."),
)

MOVES: dict[str, Move] = PLAN_WORKFLOW.table

#: ALLOWED[from] = the states reachable in one move (for documentation and tests).
ALLOWED: dict[S, frozenset[S]] = {
    status: frozenset(move.target for move in MOVES.values() if status in move.sources) for status in S
}

#: the moves the plan page offers as buttons (the reviews app drives the others)
PAGE_MOVES = frozenset({"submit"})


def available_moves(plan: Any, user: Any) -> list[BoundMove]:
    return PLAN_WORKFLOW.available_moves(plan, user)
