"""The one permission gate of the periodic bulletins (定期通报).

* view a draft or an approved bulletin: the bureau, district officials and department reviewers
  (the members of the joint conference the bulletin reports to); published bulletins: everyone,
  without login (R26);
* generate, regenerate, approve, send back, publish: the bureau administrator; others who see
  the bulletin get 403, those who do not see it 404.
"""

from __future__ import annotations

from typing import Any

import rules

from greenbuild.accounts.roles import district_ids, is_bureau_admin
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

ACTIONS = frozenset({VIEW, CHANGE})
#: the bureau's actions on a bulletin (the workflow's moves and regeneration)
BUREAU_ACTIONS = frozenset({CHANGE, "create", "generate", "approve", "send_back", "publish"})


def _department_reviewer(user: Any) -> bool:
    from greenbuild.accounts.choices import Role

    return any(m.role == Role.DEPARTMENT_REVIEWER and m.department_id for m in user.memberships_cached())


def reads_drafts(user: Any) -> bool:
    """The bureau, district officials and department reviewers see bulletins before publication."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(is_bureau_admin(user) or district_ids(user) or _department_reviewer(user))


def bureau_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and is_bureau_admin(user))


def _published(obj: Any) -> bool:
    from greenbuild.bulletins.choices import BulletinStatus

    return obj is not None and obj.status == BulletinStatus.PUBLISHED


@rules.predicate
def can_view(user: Any, obj: Any = None) -> bool:
    return _published(obj) or reads_drafts(user)


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return bureau_user(user)


rules.add_perm("bulletins.view_bulletin", can_view)
for _action in ("change", "approve", "send_back", "publish"):
    rules.add_perm("bulletins.{}_bulletin".format(_action), is_bureau)


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` the bulletin ``obj`` (None: bulletins in general)."""
    if action == VIEW:
        return bool(can_view(user, obj))
    if action in BUREAU_ACTIONS:
        return bool(is_bureau(user, obj))
    return False


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``can``: all bulletins for those who read drafts, else the published ones
    (``change``: all for the bureau, none for anyone else)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    if action == VIEW:
        if reads_drafts(user):
            return queryset
        from greenbuild.bulletins.choices import BulletinStatus

        return queryset.filter(status=BulletinStatus.PUBLISHED)
    return queryset if bureau_user(user) else queryset.none()


BULLETIN_GATE = register_gate(
    Gate(model="bulletins.Bulletin", can=can, restrict=restrict, sql_actions=ACTIONS, select_related=("programme",))
)
