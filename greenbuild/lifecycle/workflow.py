"""The two workflows of the lifecycle app, on the core workflow engine.

Baseline change request: pending → approved (bureau; a new baseline version is locked from the
proposed targets and measures) | refused (bureau, comment required). The R7–R14 self-check of the
plan (``plans.selfcheck.check_rows``) runs on the baseline with the change: ``approve`` is refused
while a requirement fails with it; ``approve_exception`` approves it all the same, with the
bureau's reasons (required) and, if there was one, the expert or conference sign-off, and the
failing requirements stay recorded on the request (the project page flags them).

Project step: pending → open (when the steps before it are signed; steps of one parallel group
open together) → approved | approved with conditions (the conditions are the comment) |
returned (the reasons are the comment), signed by a department reviewer of the step's
department while no mandatory item is open (and, where the step's data says so, with its
instrument filed); the conditions of an approval with conditions become rows tracked to closure;
a returned step is resubmitted by the owner with an answer (and supplementary documents), or
opened again by the bureau.
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


def pilot_confirmed(request: Any, actor: Any) -> list[str]:
    """Guard of the approvals: the project is still a confirmed pilot (a request made before it was
    withdrawn locks no new baseline; it can still be refused)."""
    from greenbuild.projects.choices import ProjectStatus

    if request.project.status != ProjectStatus.CONFIRMED:
        return [
            gettext("The project is no longer a confirmed pilot (it is now “{status}”): refuse the request.").format(
                status=ProjectStatus(request.project.status).label
            )
        ]
    return []


def _failing(request: Any) -> list[str]:
    from greenbuild.lifecycle.selectors import change_effect

    return change_effect(request).failing_after  # empty when the engine could not check it


def meets_requirements(request: Any, actor: Any) -> list[str]:
    """Guard of ``approve``: with the change, the baseline still meets every pilot requirement."""
    from greenbuild.lifecycle.selectors import change_effect

    effect = change_effect(request)
    if effect.error:
        return [effect.error]
    if not effect.failing_after:
        return []
    return [
        gettext(
            "With the change the baseline does not meet {requirements}: approve it only as an exception, "
            "with the reasons."
        ).format(requirements="、".join(effect.failing_after))
    ]


def breaks_requirement(request: Any, actor: Any) -> list[str]:
    """Guard of ``approve_exception``: there is an exception to approve (a change the engine
    cannot check is approved by neither move)."""
    from greenbuild.lifecycle.selectors import change_effect

    effect = change_effect(request)
    if effect.error:
        return [effect.error]
    if effect.failing_after:
        return []
    return [gettext("With the change the baseline meets every pilot requirement: approve it without an exception.")]


def effect_facts(request: Any, actor: Any) -> dict[str, Any]:
    """Kept on the transition: the requirements failing without and with the change."""
    from greenbuild.lifecycle.selectors import change_effect

    effect = change_effect(request)
    return {"failing_before": effect.failing_before, "failing_after": effect.failing_after}


def record_exceptions(request: Any, actor: Any, comment: str) -> list[str]:
    request.exception_requirements = _failing(request)
    return ["exception_requirements"]


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
        measures={**(request.baseline.measures or {}), **(request.proposed_measures or {})},
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
            guards=[pilot_confirmed, still_current, meets_requirements],
            effects=[record_decision, lock_new_version],
            button="success",
            context=[effect_facts],
        ),
        Move(
            "approve_exception",
            {C.PENDING},
            C.APPROVED,
            _("Approve as an exception"),
            comment=REQUIRED,
            guards=[pilot_confirmed, still_current, breaks_requirement],
            effects=[record_decision, record_exceptions, lock_new_version],
            button="warning",
            context=[effect_facts],
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


def pilot_in_force(step: Any, actor: Any) -> list[str]:
    """Guard of every user move on a step: the project is still a confirmed pilot (a withdrawn
    pilot's steps are signed, resubmitted and reopened by nobody)."""
    from greenbuild.projects.choices import ProjectStatus

    if step.project.status != ProjectStatus.CONFIRMED:
        return [
            gettext("The project is no longer a confirmed pilot (it is now “{status}”): its steps are closed.").format(
                status=ProjectStatus(step.project.status).label
            )
        ]
    return []


def instrument_filed(step: Any, actor: Any) -> list[str]:
    """Guard of the approving moves: a step whose instrument is filed at sign-off (data:
    ``StepType.instrument_required``) is approved only with its instrument uploaded."""
    if step.type.instrument_required and not step.instrument_id:
        return [
            gettext("Upload the signed instrument ({instrument}) with the approval.").format(
                instrument=step.type.instrument
            )
        ]
    return []


def record_sign_off(step: Any, actor: Any, comment: str) -> list[str]:
    step.signed_by = actor
    step.signed_at = timezone.now()
    step.conditions = comment
    return ["signed_by", "signed_at", "conditions"]


def track_conditions(step: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``approve_with_conditions``: each line of the comment is a condition, tracked to
    closure (the owner answers, the department confirms)."""
    import re

    from greenbuild.lifecycle.models import StepCondition

    numbered = re.compile(r"^\s*(?:[-•·]|[(（]?[0-9一二三四五六七八九十]{1,3}[.、)）．])\s*")
    lines = [numbered.sub("", line).strip() for line in comment.splitlines()]
    lines = [line for line in lines if line] or [comment.strip()]
    start = step.condition_rows.count()
    for offset, text in enumerate(lines, start=1):
        StepCondition.objects.create(step=step, number=start + offset, text=text)
    return []


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
    """The step waits again from now; the return's reason stays in the history (REV-05), not
    shown as the step's current conditions."""
    step.opened_at = timezone.now()
    step.signed_by = None
    step.signed_at = None
    step.conditions = ""
    return ["opened_at", "signed_by", "signed_at", "conditions"]


def _answer_needed(step: Any) -> str:
    return gettext("Answer the reasons of the return: say what was supplemented.")


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
            guards=[pilot_in_force, open_mandatory_items, instrument_filed],
            effects=[record_sign_off, open_next_steps],
            button="success",
        ),
        Move(
            "approve_with_conditions",
            {S.OPEN},
            S.APPROVED_WITH_CONDITIONS,
            _("Approve with conditions"),
            comment=_conditions_needed,
            guards=[pilot_in_force, open_mandatory_items, instrument_filed],
            effects=[record_sign_off, track_conditions, open_next_steps],
            button="outline-success",
        ),
        Move(
            "return",
            {S.OPEN},
            S.RETURNED,
            _("Return"),
            comment=REQUIRED,
            guards=[pilot_in_force],
            effects=[record_sign_off],
            button="outline-danger",
        ),
        Move("open", {S.PENDING}, S.OPEN, _("Open the step"), permission=_system, effects=[mark_opened]),
        Move(
            "resubmit",
            {S.RETURNED},
            S.OPEN,
            _("Supplement and resubmit"),
            comment=_answer_needed,
            guards=[pilot_in_force],
            effects=[reopen],
            button="primary",
        ),
        Move(
            "reopen",
            {S.RETURNED},
            S.OPEN,
            _("Open the step again"),
            comment=OPTIONAL,
            guards=[pilot_in_force],
            effects=[reopen],
        ),
    ),
    status_label=lambda status: S(status).label,
    view_permission="lifecycle.view_projectstep",
    after_commit=[notify_step],
    not_allowed=_("“{action}” is not possible: the step is now “{status}”."),
)

SIGN_MOVES = ("approve", "approve_with_conditions", "return")
#: the moves a user makes (``open`` is the platform's)
USER_MOVES = (*SIGN_MOVES, "resubmit", "reopen")


def available_moves(step: Any, user: Any) -> list[Any]:
    if pilot_in_force(step, user):  # a withdrawn pilot's steps offer no move
        return []
    return [m for m in STEP_WORKFLOW.available_moves(step, user) if m.action in USER_MOVES]
