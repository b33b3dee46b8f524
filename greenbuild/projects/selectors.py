"""What other apps and pages read of the projects app beyond the gate (cheap, gated queries)."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.roles import district_ids, is_bureau_admin
from greenbuild.projects.choices import WithdrawalStatus
from greenbuild.projects.models import WithdrawalRequest
from greenbuild.projects.permissions import can
from greenbuild.projects.workflow import WITHDRAWAL_WORKFLOW


def may_filter_withdrawals(user: Any) -> bool:
    """Who follows the withdrawal requests: the bureau (which decides) and district officials
    (whose quota they touch). Only they are offered the list's withdrawal filter and the
    overview's 计划动态 box (REG-02, REG-08)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_bureau_admin(user) or bool(district_ids(user))


def pending_withdrawal_requests(user: Any) -> Any:
    """Withdrawal requests awaiting the bureau's decision that ``user`` may see, oldest first.

    One query (project, district and requester joined); the bureau sees every one, an owner its
    own, a district official those of its districts. For the overview and the inbox.
    """
    return (
        WithdrawalRequest.objects.for_user(user)
        .filter(status=WithdrawalStatus.PENDING)
        .select_related("project", "project__district", "requested_by")
        .order_by("requested_at", "pk")
    )


def withdrawal_panel(user: Any, project: Any) -> dict[str, Any] | None:
    """The project page's withdrawal section: the requests, the owner's form, the bureau's moves.

    None when ``user`` may not see the project's internal sections or there is nothing to show.
    """
    if not can(user, "view_internal", project):
        return None
    requests = list(project.withdrawal_requests.select_related("requested_by", "decided_by"))
    pending = next((r for r in requests if r.is_pending), None)
    may_request = can(user, "request_withdrawal", project)
    if not requests and not may_request:
        return None
    return {
        "requests": requests,
        "pending": pending,
        "may_request": may_request,
        "moves": WITHDRAWAL_WORKFLOW.available_moves(pending, user) if pending else [],
    }


def may_act_in_batch(user: Any) -> bool:
    """Who acts on several projects of the list at once (assign an evaluator, export the
    selected): the bureau, who assigns evaluators (``projects.assign_evaluator_project``). Each
    project of a batch is still checked by the gate."""
    return bool(getattr(user, "is_authenticated", False)) and can(user, "assign_evaluator", None)
