"""The two workflows of the lifecycle app, on the core workflow engine.

Baseline change request: pending → approved (bureau; a new baseline version is locked from the
proposed targets) | refused (bureau, comment required).

Project step: pending → open (when the steps before it are signed; steps of one parallel group
open together) → approved | approved with conditions (the conditions are the comment) |
returned (the reasons are the comment), signed by a department reviewer of the step's
department while no mandatory item is open; a returned step is opened again by the owner or
the bureau.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow
from greenbuild.lifecycle.choices import ChangeRequestStatus as C
from greenbuild.lifecycle.choices import ItemStatus
from greenbuild.lifecycle.choices import StepStatus as S

# --- baseline change requests -------------------------------------------------------------------


def still_current(request: Any, actor: Any) -> list[str]:
    """Guard of ``approve``: the request changes the baseline in force (no other change meanwhile)."""
    from greenbuild.lifecycle.selectors import current_baseline

    current = current_baseline(request.project)
    if current is None or current.pk != request.baseline_id:
        return [gettext("The baseline has changed since this request was made: ask again from the baseline in force.")]
    return []


def record_decision(request: Any, actor: Any, comment: str) -> list[str]:
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.comment = comment
    return ["decided_by", "decided_at", "comment"]


def lock_new_version(request: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``approve``: the proposed targets become the next baseline version."""
    from greenbuild.lifecycle.models import Baseline

    baseline = Baseline(
        project=request.project,
        version=request.baseline.version + 1,
        targets=request.proposed_targets,
        source_plan_version=request.baseline.source_plan_version,
        review_round=request.baseline.review_round,
        change_request=request,
        locked_by=actor,
    )
    set_history_user(baseline, actor)
    baseline.save()
    return []


def notify_request(transition: Any) -> None:
    from greenbuild.lifecycle.events import notify_request_transition

    notify_request_transition(transition.pk)


CHANGE_REQUEST_WORKFLOW = Workflow(
    name="baseline_change",
    model="lifecycle.BaselineChangeRequest",
    transition_model="lifecycle.ChangeRequestTransition",
    object_field="request",
    moves=(
        Move(
            "approve",
            {C.PENDING},
            C.APPROVED,
            _("Approve the change"),
            comment=OPTIONAL,
            guards=[still_current],
            effects=[record_decision, lock_new_version],
            button="success",
        ),
        Move(
            "refuse",
            {C.PENDING},
            C.REFUSED,
            _("Refuse the change"),
            comment=REQUIRED,
            effects=[record_decision],
            button="outline-danger",
        ),
    ),
    status_label=lambda status: C(status).label,
    view_permission="lifecycle.view_baselinechangerequest",
    after_commit=[notify_request],
    not_allowed=_("“{action}” is not possible: the request is now “{status}”."),
)


# --- project steps --------------------------------------------------------------------------------


def open_mandatory_items(step: Any, actor: Any) -> list[str]:
    """Guard of the sign-off moves: no mandatory item of the step may be open."""
    codes = list(
        step.items.filter(status=ItemStatus.OPEN, guideline_item__mandatory=True)
        .order_by("guideline_item__sort_order")
        .values_list("guideline_item__code", flat=True)
    )
    if not codes:
        return []
    return [
        gettext("Mandatory items are still open: {codes}. Write them into the instrument first.").format(
            codes="、".join(codes)
        )
    ]


def record_sign_off(step: Any, actor: Any, comment: str) -> list[str]:
    step.signed_by = actor
    step.signed_at = timezone.now()
    step.conditions = comment
    return ["signed_by", "signed_at", "conditions"]


def open_next_steps(step: Any, actor: Any, comment: str) -> list[str]:
    """Effect of approving: once every step of a parallel group is signed, the next group opens."""
    from greenbuild.lifecycle.services import open_due_steps

    open_due_steps(step.project, actor, signed={step.pk})  # this step's new status is not saved yet
    return []


def mark_opened(step: Any, actor: Any, comment: str) -> list[str]:
    step.opened_at = timezone.now()
    return ["opened_at"]


def _system(user: Any, step: Any) -> bool:
    """``open`` is made by the platform on behalf of whoever confirmed the pilot or signed the
    step before (never offered as a button nor in the API)."""
    return True


def reopen(step: Any, actor: Any, comment: str) -> list[str]:
    step.opened_at = timezone.now()
    step.signed_by = None
    step.signed_at = None
    return ["opened_at", "signed_by", "signed_at"]


def notify_step(transition: Any) -> None:
    from greenbuild.lifecycle.events import notify_step_transition

    notify_step_transition(transition.pk)


def _conditions_needed(step: Any) -> str:
    return gettext("Write the conditions in the comment.")


STEP_WORKFLOW = Workflow(
    name="project_step",
    model="lifecycle.ProjectStep",
    transition_model="lifecycle.StepTransition",
    object_field="step",
    moves=(
        Move(
            "approve",
            {S.OPEN},
            S.APPROVED,
            _("Approve"),
            guards=[open_mandatory_items],
            effects=[record_sign_off, open_next_steps],
            button="success",
        ),
        Move(
            "approve_with_conditions",
            {S.OPEN},
            S.APPROVED_WITH_CONDITIONS,
            _("Approve with conditions"),
            comment=_conditions_needed,
            guards=[open_mandatory_items],
            effects=[record_sign_off, open_next_steps],
            button="outline-success",
        ),
        Move(
            "return",
            {S.OPEN},
            S.RETURNED,
            _("Return"),
            comment=REQUIRED,
            effects=[record_sign_off],
            button="outline-danger",
        ),
        Move("open", {S.PENDING}, S.OPEN, _("Open the step"), permission=_system, effects=[mark_opened]),
        Move("reopen", {S.RETURNED}, S.OPEN, _("Open the step again"), comment=OPTIONAL, effects=[reopen]),
    ),
    status_label=lambda status: S(status).label,
    view_permission="lifecycle.view_projectstep",
    after_commit=[notify_step],
    not_allowed=_("“{action}” is not possible: the step is now “{status}”."),
)

SIGN_MOVES = ("approve", "approve_with_conditions", "return")
#: the moves a user makes (``open`` is the platform's)
USER_MOVES = (*SIGN_MOVES, "reopen")


def available_moves(step: Any, user: Any) -> list[Any]:
    return [m for m in STEP_WORKFLOW.available_moves(step, user) if m.action in USER_MOVES]
