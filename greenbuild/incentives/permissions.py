"""The gates of incentives and training.

* bonus records: the bureau; the members of the enterprise the record is for; the district
  officials of the pilot's district (read). Revoking: the bureau.
* bonus rules: every signed-in person may read the rule in force (it is policy); the bureau writes.
* escrow eligibility: the bureau; the members of the pilot's owner; the district officials of the
  pilot's district (read). Deciding and recording the release: the bureau.
* training sessions: the bureau and district officials read; the bureau writes. Attendance rows:
  as their session, and each enterprise's members read their own people's rows.
* the enterprise page (:func:`can_view_enterprise`): the organisation's members and the bureau;
  the public version shows only published, non-sensitive data to anyone.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.roles import district_ids, is_bureau_admin
from greenbuild.core.permissions import CHANGE, VIEW, Gate, register_gate

REVOKE = "revoke"
RELEASE = "release"
ACTIONS = frozenset({VIEW, CHANGE})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def member_organisation_ids(user: Any) -> set[int]:
    if not _active(user):
        return set()
    return {m.organisation_id for m in user.memberships_cached() if m.organisation_id}


def is_bureau(user: Any) -> bool:
    return _active(user) and is_bureau_admin(user)


def can_view_enterprise(user: Any, organisation: Any) -> bool:
    return is_bureau(user) or (organisation is not None and organisation.pk in member_organisation_ids(user))


def may_read_training(user: Any) -> bool:
    return is_bureau(user) or bool(_active(user) and district_ids(user))


@rules.predicate
def can_manage(user: Any, obj: Any = None) -> bool:
    return is_bureau(user)


def _can_view(user: Any, obj: Any) -> bool:
    from greenbuild.incentives.models import (
        BonusRecord,
        BonusRule,
        EscrowEligibility,
        TrainingAttendance,
        TrainingSession,
    )

    if not _active(user):
        return False
    if is_bureau(user):
        return True
    if obj is None or isinstance(obj, BonusRule):
        return True
    if isinstance(obj, BonusRecord):
        return obj.organisation_id in member_organisation_ids(user) or obj.project.district_id in district_ids(user)
    if isinstance(obj, EscrowEligibility):
        return obj.project.owner_id in member_organisation_ids(user) or obj.project.district_id in district_ids(user)
    if isinstance(obj, TrainingSession):
        return may_read_training(user)
    if isinstance(obj, TrainingAttendance):
        return may_read_training(user) or obj.organisation_id in member_organisation_ids(user)
    return False


@rules.predicate
def can_view(user: Any, obj: Any = None) -> bool:
    return _can_view(user, obj)


for _model in ("bonusrule", "bonusrecord", "escroweligibility", "trainingsession", "trainingattendance"):
    rules.add_perm("incentives.view_{}".format(_model), can_view)
    rules.add_perm("incentives.change_{}".format(_model), can_manage)
rules.add_perm("incentives.revoke_bonusrecord", can_manage)
rules.add_perm("incentives.release_escroweligibility", can_manage)


def can(user: Any, action: str, obj: Any = None) -> bool:
    if action == VIEW:
        return _can_view(user, obj)
    if action in (CHANGE, "create", REVOKE, RELEASE, "assess", "award"):
        return is_bureau(user) and (obj is None or _can_view(user, obj))
    return False


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of :func:`can`."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    if not _active(user):
        return queryset.none()
    if is_bureau(user):
        return queryset
    if action != VIEW:
        return queryset.none()
    label = queryset.model._meta.label
    organisations, districts = member_organisation_ids(user), district_ids(user)
    if label == "incentives.BonusRule":
        return queryset
    if label == "incentives.BonusRecord":
        return queryset.filter(Q(organisation_id__in=organisations) | Q(project__district_id__in=districts))
    if label == "incentives.EscrowEligibility":
        return queryset.filter(Q(project__owner_id__in=organisations) | Q(project__district_id__in=districts))
    if label == "incentives.TrainingSession":
        return queryset if districts else queryset.none()
    if label == "incentives.TrainingAttendance":
        return queryset if districts else queryset.filter(organisation_id__in=organisations)
    return queryset.none()


def _gate(model: str, select_related: tuple[str, ...] = ()) -> Gate:
    return Gate(model=model, can=can, restrict=restrict, sql_actions=ACTIONS, select_related=select_related)


BONUS_RULE_GATE = register_gate(_gate("incentives.BonusRule"))
BONUS_RECORD_GATE = register_gate(
    _gate("incentives.BonusRecord", ("project", "organisation", "rule", "created_by", "revoked_by"))
)
ESCROW_GATE = register_gate(_gate("incentives.EscrowEligibility", ("project", "decided_by", "released_by")))
SESSION_GATE = register_gate(_gate("incentives.TrainingSession"))
ATTENDANCE_GATE = register_gate(_gate("incentives.TrainingAttendance", ("session", "organisation")))
