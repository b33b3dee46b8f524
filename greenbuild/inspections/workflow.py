"""The two state machines of inspections, on the shared engine (core/workflow.py).

Inspection: scheduled → in progress → submitted (or cancelled before it is submitted).
Rectification order: issued → answered (the owner, with evidence) → closed (the inspector verifies,
only with evidence) or back to issued (reopened, with a reason; a closed order may be reopened too).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import REQUIRED, Move, Workflow
from greenbuild.inspections.choices import InspectionStatus as S
from greenbuild.inspections.choices import OrderStatus as O


def _checklist_done(inspection: Any, actor: Any) -> list[Any]:
    if inspection.checklist.filter(result="pending").exists():
        return [_("Check every item of the checklist before submitting.")]
    return []


def _evidence_given(order: Any, actor: Any) -> list[Any]:
    """An order is never answered nor closed without evidence (every path goes through here)."""
    if not order.evidence.exists():
        return [_("A rectification order cannot close without evidence: the owner files it first.")]
    return []


def _answer_written(order: Any, actor: Any) -> list[Any]:
    if order.status == O.ANSWERED and not order.answer.strip():
        return [_("The owner's answer is missing.")]
    return []


def _record_start(inspection: Any, actor: Any, comment: str) -> list[str]:
    inspection.started_at = timezone.now()
    return ["started_at"]


def _record_submit(inspection: Any, actor: Any, comment: str) -> list[str]:
    inspection.submitted_at = timezone.now()
    inspection.draft = {}
    inspection.draft_saved_at = None
    return ["submitted_at", "draft", "draft_saved_at"]


def _record_answer(order: Any, actor: Any, comment: str) -> list[str]:
    order.answer = comment
    order.answered_by = actor
    order.answered_at = timezone.now()
    return ["answer", "answered_by", "answered_at"]


def _record_close(order: Any, actor: Any, comment: str) -> list[str]:
    order.closed_by = actor
    order.closed_at = timezone.now()
    return ["closed_by", "closed_at"]


def _record_reopen(order: Any, actor: Any, comment: str) -> list[str]:
    # The answer and who closed stay in the history and the transition rows.
    order.closed_by = None
    order.closed_at = None
    order.escalated_on = None
    return ["closed_by", "closed_at", "escalated_on"]


def _inspection_hook(transition: Any) -> None:
    from greenbuild.inspections.events import notify_inspection_transition

    notify_inspection_transition(transition.pk)


def _order_hook(transition: Any) -> None:
    from greenbuild.inspections.events import notify_order_transition

    notify_order_transition(transition.pk)


INSPECTION_WORKFLOW = Workflow(
    name="inspection",
    model="inspections.Inspection",
    transition_model="inspections.InspectionTransition",
    object_field="inspection",
    moves=[
        Move("start", {S.SCHEDULED}, S.IN_PROGRESS, _("Start the inspection"), effects=[_record_start]),
        Move(
            "submit",
            {S.IN_PROGRESS},
            S.SUBMITTED,
            _("Submit the inspection"),
            guards=[_checklist_done],
            effects=[_record_submit],
            button="success",
        ),
        Move(
            "cancel",
            {S.SCHEDULED, S.IN_PROGRESS},
            S.CANCELLED,
            _("Cancel the inspection"),
            comment=REQUIRED,
            button="outline-danger",
        ),
    ],
    status_label=lambda s: S(s).label,
    view_permission="inspections.view_inspection",
    after_commit=[_inspection_hook],
)

ORDER_WORKFLOW = Workflow(
    name="rectification_order",
    model="inspections.RectificationOrder",
    transition_model="inspections.OrderTransition",
    object_field="order",
    moves=[
        Move(
            "answer",
            {O.ISSUED},
            O.ANSWERED,
            _("Report the rectification"),
            comment=REQUIRED,
            guards=[_evidence_given],
            effects=[_record_answer],
            button="success",
        ),
        Move(
            "verify",
            {O.ANSWERED},
            O.CLOSED,
            _("Verify and close"),
            guards=[_evidence_given, _answer_written],
            effects=[_record_close],
            button="success",
        ),
        Move(
            "reopen",
            {O.ANSWERED, O.CLOSED},
            O.ISSUED,
            _("Reopen (not rectified)"),
            comment=REQUIRED,
            effects=[_record_reopen],
            button="outline-danger",
        ),
    ],
    status_label=lambda s: O(s).label,
    view_permission="inspections.view_rectificationorder",
    after_commit=[_order_hook],
)
