"""The completion evaluation's state machine (R6), on the core workflow engine.

draft (the bureau gathers the achieved values) → panel (sent to the expert panel) →
panel_concluded (the panel leader records the panel's conclusion) → accepted | not_accepted (the
bureau's conclusion); the bureau may send a concluded evaluation back to the panel. Acceptance is
refused while a public notice (公示) of the result runs or has an unanswered objection
(``publicity.services.notice_blockers``) — on every path, since every path makes this move.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.completion.choices import EvaluationStatus as S
from greenbuild.core.workflow import REQUIRED, Move, Workflow


def has_panel(evaluation: Any, actor: Any) -> list[str]:
    """Guard of ``send_to_panel``: a panel leader is appointed."""
    if evaluation.panel_leader_id is None:
        return [gettext("Appoint the expert panel and its leader first.")]
    return []


def panel_recorded(evaluation: Any, actor: Any) -> list[str]:
    """Guard of ``conclude_panel``: the panel's conclusion and opinion are filled in
    (``services.conclude_panel`` sets them with the move)."""
    if not evaluation.panel_verdict or not evaluation.panel_opinion.strip():
        return [gettext("Record the panel's conclusion and opinion.")]
    return []


def values_complete(evaluation: Any, actor: Any) -> list[str]:
    """Guard of ``accept``: the comparison is complete (no value missing) and met."""
    if evaluation.verdict == "incomplete":
        return [gettext("Achieved values are missing: the evaluation cannot be accepted.")]
    if evaluation.verdict != "met":
        return [gettext("The targets are not met: the evaluation cannot be accepted.")]
    return live_values_met(evaluation)


def live_values_met(evaluation: Any) -> list[str]:
    """The move depends on the scoring process: read it again at the move. Values gathered while
    the evaluation was a draft may have changed since (a new run of a building, the completion
    scorecard reviewed lower); the evaluation is accepted only if the live values still meet the
    targets under its own scheme version."""
    from greenbuild.completion.gather import completion_scorecard, gather, to_achieved, to_targets
    from greenbuild.completion.verdict import evaluate

    scorecard = completion_scorecard(evaluation.project)
    if scorecard is None:
        return [gettext("The project has no completion scorecard any more: the evaluation cannot be accepted.")]
    achieved, targets, _version, _provisional = gather(evaluation.project, scorecard)
    outcome = evaluate(evaluation.scheme.as_data(), to_achieved(achieved), to_targets(targets))
    if outcome.verdict != "met":
        return [
            gettext(
                "The achieved values changed since they were gathered and no longer meet the targets: "
                "the evaluation cannot be accepted."
            )
        ]
    return []


def panel_recommends(evaluation: Any, actor: Any) -> list[str]:
    """Guard of ``accept``: the expert panel recommended acceptance (against its advice the bureau
    returns the evaluation to the panel, or does not accept it)."""
    from greenbuild.completion.choices import PanelVerdict

    if evaluation.panel_verdict != PanelVerdict.PASS:
        return [
            gettext(
                "The expert panel did not recommend acceptance: return the evaluation to the panel, or do not accept it."
            )
        ]
    return []


def no_notice_blockers(evaluation: Any, actor: Any) -> list[str]:
    """Guard of ``accept``: no public notice (公示) of the result is running or has an unanswered
    objection (``publicity.services.notice_blockers``)."""
    try:
        from greenbuild.publicity.services import notice_blockers
    except ImportError:  # the publicity app is not installed yet
        return []
    return [str(reason) for reason in notice_blockers(evaluation)]


def record_decision(evaluation: Any, actor: Any, comment: str) -> list[str]:
    evaluation.bureau_opinion = comment
    evaluation.decided_at = timezone.now()
    return ["bureau_opinion", "decided_at"]


def clear_panel(evaluation: Any, actor: Any, comment: str) -> list[str]:
    evaluation.panel_verdict = ""
    return ["panel_verdict"]


def _notify(transition: Any) -> None:
    from greenbuild.completion.events import notify_transition

    notify_transition(transition.pk)


EVALUATION_WORKFLOW = Workflow(
    name="completion",
    model="completion.CompletionEvaluation",
    transition_model="completion.EvaluationTransition",
    object_field="evaluation",
    moves=[
        Move("send_to_panel", {S.DRAFT}, S.PANEL, _("Send to the expert panel"), guards=[has_panel]),
        Move(
            "conclude_panel", {S.PANEL}, S.PANEL_CONCLUDED, _("Record the panel's conclusion"), guards=[panel_recorded]
        ),
        Move(
            "return_to_panel",
            {S.PANEL_CONCLUDED},
            S.PANEL,
            _("Return to the panel"),
            comment=REQUIRED,
            button="secondary",
            effects=[clear_panel],
        ),
        Move(
            "accept",
            {S.PANEL_CONCLUDED},
            S.ACCEPTED,
            _("Accept"),
            comment=REQUIRED,
            guards=[panel_recommends, values_complete, no_notice_blockers],
            effects=[record_decision],
        ),
        Move(
            "reject",
            {S.PANEL_CONCLUDED},
            S.NOT_ACCEPTED,
            _("Do not accept"),
            comment=REQUIRED,
            button="danger",
            effects=[record_decision],
        ),
    ],
    status_label=lambda status: S(status).label,
    view_permission="completion.view_completionevaluation",
    after_commit=[_notify],
)
