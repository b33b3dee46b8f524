"""The one permission gate of the programme summary (总结评估).

* view a draft or an approved summary: the bureau administrator only;
* view an issued summary: the bureau and the members of the joint conference it reports to
  (district officials, department reviewers); the issued document itself is verifiable by anyone
  through the documents register's public page;
* draft, generate, edit the recommendations, approve, send back, issue, start the next guideline
  edition and mark its changed items: the bureau administrator; others who see the summary get
  403, those who do not see it 404.
"""

from __future__ import annotations

from typing import Any

import rules

from greenbuild.accounts.roles import district_ids, is_bureau_admin
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

ACTIONS = frozenset({VIEW, CHANGE})
#: the bureau's actions on a summary (the workflow's moves, generation and the next edition)
BUREAU_ACTIONS = frozenset(
    {CHANGE, "create", "generate", "edit", "approve", "send_back", "issue", "start_edition", "change_item"}
)


def _department_reviewer(user: Any) -> bool:
    from greenbuild.accounts.choices import Role

    return any(m.role == Role.DEPARTMENT_REVIEWER and m.department_id for m in user.memberships_cached())


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def bureau_user(user: Any) -> bool:
    return _active(user) and bool(is_bureau_admin(user))


def reads_issued(user: Any) -> bool:
    """The bureau and the joint conference's district officials and department reviewers."""
    return _active(user) and bool(is_bureau_admin(user) or district_ids(user) or _department_reviewer(user))


def reads_any(user: Any) -> bool:
    """Whether ``user`` may open the summaries' pages at all (otherwise 404)."""
    return reads_issued(user)


def _issued(obj: Any) -> bool:
    from greenbuild.summaries.choices import SummaryStatus

    return obj is not None and obj.status == SummaryStatus.ISSUED


@rules.predicate
def can_view(user: Any, obj: Any = None) -> bool:
    if bureau_user(user):
        return True
    return (obj is None or _issued(obj)) and reads_issued(user)


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return bureau_user(user)


rules.add_perm("summaries.view_programmesummary", can_view)
for _action in ("change", "approve", "send_back", "issue"):
    rules.add_perm("summaries.{}_programmesummary".format(_action), is_bureau)


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` the summary ``obj`` (None: summaries in general)."""
    if action == VIEW:
        return bool(can_view(user, obj))
    if action in BUREAU_ACTIONS:
        return bool(is_bureau(user, obj))
    return False


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``can``: every summary for the bureau, the issued ones for the joint
    conference's readers, none for anyone else (``change``: the bureau only)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    if bureau_user(user):
        return queryset
    if action == VIEW and reads_issued(user):
        from greenbuild.summaries.choices import SummaryStatus

        return queryset.filter(status=SummaryStatus.ISSUED)
    return queryset.none()


SUMMARY_GATE = register_gate(
    Gate(
        model="summaries.ProgrammeSummary",
        can=can,
        restrict=restrict,
        sql_actions=ACTIONS,
        select_related=("programme",),
    )
)
