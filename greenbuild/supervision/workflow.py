"""The state machines of supervision, on the shared engine (core/workflow.py).

* an inspection plan: active ⇄ paused → ended;
* a draw: drawn → published (publishing makes the record public; the record never changes);
* a third-party evaluation: assigned → filed (the evaluator's report) → accepted, or returned
  → filed again. Filing and accepting are services (they carry the report and raise findings);
  they move the status through these tables.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import REQUIRED, Move, Workflow
from greenbuild.supervision.choices import DrawStatus as D
from greenbuild.supervision.choices import EvaluationStatus as E
from greenbuild.supervision.choices import PlanStatus as P


def _record_publication(draw: Any, actor: Any, comment: str) -> list[str]:
    draw.published_by = actor
    draw.published_at = timezone.now()
    return ["published_by", "published_at"]


def _record_filing(evaluation: Any, actor: Any, comment: str) -> list[str]:
    evaluation.filed_by = actor
    evaluation.filed_at = timezone.now()
    return ["filed_by", "filed_at"]


def _record_decision(evaluation: Any, actor: Any, comment: str) -> list[str]:
    evaluation.decided_by = actor
    evaluation.decided_at = timezone.now()
    evaluation.decision_comment = comment
    return ["decided_by", "decided_at", "decision_comment"]


def _report_complete(evaluation: Any, actor: Any) -> list[Any]:
    reasons = []
    if not evaluation.summary.strip():
        reasons.append(_("Write the summary of the report."))
    if not evaluation.scores.exists():
        reasons.append(_("Give at least one score."))
    return reasons


def _plan_hook(transition: Any) -> None:
    from greenbuild.supervision.events import notify_plan_transition

    notify_plan_transition(transition.pk)


def _draw_hook(transition: Any) -> None:
    from greenbuild.supervision.events import notify_draw_transition

    notify_draw_transition(transition.pk)


def _evaluation_hook(transition: Any) -> None:
    from greenbuild.supervision.events import notify_evaluation_transition

    notify_evaluation_transition(transition.pk)


PLAN_WORKFLOW = Workflow(
    name="inspection_plan",
    model="supervision.InspectionPlan",
    transition_model="supervision.PlanTransition",
    object_field="plan",
    moves=[
        Move("pause", {P.ACTIVE}, P.PAUSED, _("Pause"), comment=REQUIRED, button="outline-warning"),
        Move("resume", {P.PAUSED}, P.ACTIVE, _("Resume"), button="success"),
        Move("end", {P.ACTIVE, P.PAUSED}, P.ENDED, _("End the plan"), comment=REQUIRED, button="outline-danger"),
    ],
    status_label=lambda s: P(s).label,
    view_permission="supervision.view_inspectionplan",
    after_commit=[_plan_hook],
)

DRAW_WORKFLOW = Workflow(
    name="draw",
    model="supervision.Draw",
    transition_model="supervision.DrawTransition",
    object_field="draw",
    moves=[
        Move("publish", {D.DRAWN}, D.PUBLISHED, _("Publish the draw"), effects=[_record_publication], button="success"),
    ],
    status_label=lambda s: D(s).label,
    view_permission="supervision.view_draw",
    after_commit=[_draw_hook],
)

EVALUATION_WORKFLOW = Workflow(
    name="evaluation",
    model="supervision.Evaluation",
    transition_model="supervision.EvaluationTransition",
    object_field="evaluation",
    moves=[
        Move(
            "file",
            {E.ASSIGNED, E.RETURNED},
            E.FILED,
            _("File the report"),
            guards=[_report_complete],
            effects=[_record_filing],
        ),
        Move("accept", {E.FILED}, E.ACCEPTED, _("Accept the report"), effects=[_record_decision], button="success"),
        Move(
            "return",
            {E.FILED},
            E.RETURNED,
            _("Return for revision"),
            comment=REQUIRED,
            effects=[_record_decision],
            button="outline-danger",
        ),
    ],
    status_label=lambda s: E(s).label,
    view_permission="supervision.view_evaluation",
    after_commit=[_evaluation_hook],
)
