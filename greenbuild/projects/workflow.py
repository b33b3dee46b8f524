"""The application workflow (R4) as an explicit transition table, on the core workflow engine.

draft → submitted (owner) → recommended | returned (district official, comment required)
→ candidate | rejected (bureau) → confirmed (bureau); any open state → withdrawn.
A returned application goes back to the owner, who revises and submits it again.
A confirmed pilot counts toward the district quota: its owner asks for its withdrawal
(``WITHDRAWAL_WORKFLOW``) and the bureau approves (the pilot is withdrawn) or refuses.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import OPTIONAL, REQUIRED, BoundMove, Move, Workflow
from greenbuild.projects import hooks
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.choices import WithdrawalStatus as W

# --- the application workflow --------------------------------------------------------------


def submission_blockers(project: Any, actor: Any) -> list[str]:
    """Guard of ``submit``: the self-check's gaps, as one message."""
    from greenbuild.projects.checks import submission_gaps

    # Each gap is a sentence of its own (the page lists them); joined, they lose their full stops
    # so that the message never reads "。；" (UI-14).
    gaps = [gap.strip().rstrip("。.；;") for gap in submission_gaps(project) if gap.strip()]
    if not gaps:
        return []
    return [
        gettext("The application is incomplete: {gaps}.").format(gaps=pgettext("reasons separator", "; ").join(gaps))
    ]


def mark_first_submission(project: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``submit``: the first submission makes the application visible outside the owner."""
    if project.submitted_at is not None:
        return []
    project.submitted_at = timezone.now()
    return ["submitted_at"]


def confirm_comment_rule(project: Any) -> str | None:
    """Confirming a pilot whose R7–R14 are not all known needs a confirming comment (issue 10, 17)."""
    unknown = hooks.unknown_pilot_requirements(project)
    if not unknown:
        return None
    return gettext(
        "Requirements {requirements} are not yet known: explain in the comment why the pilot is confirmed now."
    ).format(requirements=pgettext("list separator", ", ").join(unknown))


def review_blockers(project: Any, actor: Any) -> list[str]:
    """Guard of ``confirm``: a candidate becomes a pilot only once its plan has passed expert review
    (R4; the lifecycle app says so through ``hooks.register_confirmation_basis``)."""
    return [str(reason) for reason in hooks.confirmation_blockers(project)]


def review_context(project: Any, actor: Any) -> dict[str, Any]:
    """Context of ``confirm``: the review the confirmation rests on, kept on the transition row."""
    return hooks.confirmation_context(project)


def on_confirm(project: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``confirm``: the apps that follow a pilot start their part (baseline, steps)."""
    hooks.run_on_confirm(project, actor)
    return []


def notify(transition: Any) -> None:
    """After-commit hook: tell the people concerned (the notifications app decides who)."""
    from greenbuild.projects.events import notify_project_transition

    notify_project_transition(transition.pk)


#: the withdrawal request whose approval is withdrawing the pilot now (``withdraw_the_pilot``)
_approving_request: ContextVar[int | None] = ContextVar("approving_withdrawal_request", default=None)


def settle_withdrawal_requests(project: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``withdraw``: a pending withdrawal request is settled by the withdrawal (REG-01).

    Whatever the path (the project page's 撤回, the API action, the service), the owner's pending
    request is approved by the same hand with the same comment and its decision is logged, so it
    leaves the bureau's 待办 and can no longer be refused beside a withdrawn pilot.
    """
    from greenbuild.core.history import set_history_user
    from greenbuild.projects.models import WithdrawalRequest, WithdrawalTransition

    pending = WithdrawalRequest.objects.select_for_update().filter(project_id=project.pk, status=W.PENDING)
    approving = _approving_request.get()
    if approving is not None:  # the request being approved settles itself
        pending = pending.exclude(pk=approving)
    for request in pending:
        request.status = W.APPROVED
        record_decision(request, actor, comment)
        set_history_user(request, actor)
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        WithdrawalTransition.objects.create(
            request=request, from_status=W.PENDING, to_status=W.APPROVED, actor=actor, comment=comment
        )
    return []


MOVE_LIST = (
    Move(
        "submit",
        {S.DRAFT, S.RETURNED},
        S.SUBMITTED,
        _("Submit application"),
        guards=[submission_blockers],
        effects=[mark_first_submission],
    ),
    Move("recommend", {S.SUBMITTED}, S.RECOMMENDED, _("Recommend"), comment=REQUIRED),
    Move("return", {S.SUBMITTED}, S.RETURNED, _("Return for revision"), comment=REQUIRED, button="warning"),
    Move("accept", {S.RECOMMENDED}, S.CANDIDATE, _("Accept as candidate")),
    Move("reject", {S.RECOMMENDED}, S.REJECTED, _("Reject"), comment=REQUIRED, button="danger"),
    Move(
        "confirm",
        {S.CANDIDATE},
        S.CONFIRMED,
        _("Confirm as pilot"),
        comment=confirm_comment_rule,
        guards=[review_blockers],
        effects=[on_confirm],
        context=[review_context],
        button="success",
    ),
    Move(
        "withdraw",
        {S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.CANDIDATE, S.CONFIRMED},
        S.WITHDRAWN,
        _("Withdraw"),
        comment=REQUIRED,
        effects=[settle_withdrawal_requests],
        button="outline-danger",
    ),
)

APPLICATION_WORKFLOW = Workflow(
    name="application",
    model="projects.Project",
    transition_model="projects.ProjectTransition",
    object_field="project",
    moves=MOVE_LIST,
    status_label=lambda status: S(status).label,
    view_permission="projects.view_project",
    after_commit=[notify],
    not_allowed=_("“{action}” is not possible: the application is now “{status}”."),
)

MOVES: dict[str, Move] = APPLICATION_WORKFLOW.table

#: ALLOWED[from] = the states reachable in one move (for documentation and tests).
ALLOWED: dict[S, frozenset[S]] = {
    status: frozenset(move.target for move in MOVES.values() if status in move.sources) for status in S
}


def available_moves(project: object, user: object) -> list[BoundMove]:
    """The moves ``user`` may make on ``project`` now; templates and tests use the same list."""
    return APPLICATION_WORKFLOW.available_moves(project, user)


# --- withdrawing a confirmed pilot ----------------------------------------------------------


def still_confirmed(request: Any, actor: Any) -> list[str]:
    """Guard of ``approve``: the pilot is still confirmed (the bureau may have acted meanwhile)."""
    if request.project.status != S.CONFIRMED:
        return [
            gettext("The pilot is no longer confirmed (now “{status}”).").format(status=S(request.project.status).label)
        ]
    return []


def record_decision(request: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``approve`` and ``refuse``: who decided, when and why, on the request itself."""
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_comment = comment
    return ["decided_by", "decided_at", "decision_comment"]


def withdraw_the_pilot(request: Any, actor: Any, comment: str) -> list[str]:
    """Effect of ``approve``: the pilot moves to withdrawn through the application workflow.

    The transition's comment (the 意见 its notification shows) is the bureau's own, or a plain
    statement of the approval when it gave none; the owner's reasons stay on the request (UI-11).
    """
    opinion = comment or gettext("The bureau approved the owner's request to withdraw the pilot.")
    token = _approving_request.set(request.pk)
    try:
        APPLICATION_WORKFLOW.apply(actor=actor, obj_or_pk=request.project_id, action="withdraw", comment=opinion)
    finally:
        _approving_request.reset(token)
    return []


def notify_refusal(transition: Any) -> None:
    """After-commit hook of ``refuse``: the requester and the district hear of it (UI-11)."""
    from greenbuild.projects.events import notify_withdrawal_refused

    notify_withdrawal_refused(transition.pk)


WITHDRAWAL_WORKFLOW = Workflow(
    name="withdrawal",
    model="projects.WithdrawalRequest",
    transition_model="projects.WithdrawalTransition",
    object_field="request",
    moves=(
        Move(
            "approve",
            {W.PENDING},
            W.APPROVED,
            _("Approve the withdrawal"),
            comment=OPTIONAL,
            guards=[still_confirmed],
            effects=[record_decision, withdraw_the_pilot],
            button="danger",
        ),
        Move(
            "refuse",
            {W.PENDING},
            W.REFUSED,
            _("Refuse the withdrawal"),
            comment=REQUIRED,
            effects=[record_decision],
            after_commit=[notify_refusal],
            button="outline-secondary",
        ),
    ),
    status_label=lambda status: W(status).label,
    view_permission="projects.view_withdrawalrequest",
    not_allowed=_("“{action}” is not possible: the request is now “{status}”."),
)
