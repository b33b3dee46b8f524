"""The one permission gate of inspections, findings and rectification orders (R24).

* view: whoever sees the project's internal sections (the bureau, the district of the project, its
  owner and participants, through the projects gate ``view_internal``);
* inspect (schedule an inspection, work it, record findings, issue, verify or reopen an order,
  extend its deadline): an inspector in scope — the bureau (city-wide), an official of the
  project's district, or an active member of the supervision app's inspector pool for the whole
  city or for the project's district; an inspection in progress is worked by its own inspector
  (or the bureau);
* answer a rectification order (with evidence): the project's owner applicant;
* the counts page: the bureau (everything) and district officials (their districts).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, is_bureau_admin, organisation_ids
from greenbuild.core.permissions import CHANGE, VIEW, VIEW_INTERNAL, Gate, register_gate

INSPECT = "inspect"
ANSWER = "answer"
ACTIONS = frozenset({VIEW, CHANGE})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def pool_districts(user: Any) -> tuple[bool, set[int]]:
    """(city-wide, districts) of the user's active entry in the inspector pool."""
    if not _active(user):
        return False, set()
    cached = getattr(user, "_gb_inspector_pool", None)
    if cached is None:
        from django.apps import apps

        entry = (
            apps.get_model("supervision", "InspectorPoolMember").objects.filter(user_id=user.pk, active=True).first()
        )
        cached = (False, set()) if entry is None else (entry.district_id is None, {entry.district_id} - {None})
        user._gb_inspector_pool = cached
    return cached


def is_inspector(user: Any) -> bool:
    """Whether the user inspects anything at all (the navigation, the counts page)."""
    if not _active(user):
        return False
    city, districts = pool_districts(user)
    return bool(is_bureau_admin(user) or district_ids(user) or city or districts)


def in_scope(user: Any, project: Any) -> bool:
    """Whether ``user`` may inspect ``project``."""
    if not _active(user) or project is None:
        return False
    if is_bureau_admin(user):
        return True
    if project.district_id in district_ids(user):
        return True
    city, districts = pool_districts(user)
    return city or project.district_id in districts


def scope_q(user: Any, prefix: str = "") -> Q:
    """The SQL form of :func:`in_scope` over projects (``prefix``: the path to the project)."""
    if not _active(user):
        return Q(pk__in=[])
    if is_bureau_admin(user):
        return Q()
    city, districts = pool_districts(user)
    if city:
        return Q()
    return Q(**{prefix + "district_id__in": district_ids(user) | districts})


def sees_project(user: Any, project: Any) -> bool:
    from greenbuild.projects.permissions import can as can_project

    return bool(can_project(user, VIEW_INTERNAL, project))


def is_owner(user: Any, project: Any) -> bool:
    return _active(user) and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


def works_inspection(user: Any, inspection: Any) -> bool:
    """The inspection's own inspector, or the bureau; both in scope."""
    if not in_scope(user, inspection.project):
        return False
    return inspection.inspector_id == user.pk or is_bureau_admin(user)


@rules.predicate
def can_view(user: Any, obj: Any) -> bool:
    return obj is not None and _active(user) and (sees_project(user, obj.project) or in_scope(user, obj.project))


@rules.predicate
def can_inspect(user: Any, obj: Any) -> bool:
    return obj is not None and in_scope(user, obj.project)


@rules.predicate
def can_work(user: Any, inspection: Any) -> bool:
    return inspection is not None and works_inspection(user, inspection)


@rules.predicate
def can_answer(user: Any, order: Any) -> bool:
    return order is not None and is_owner(user, order.project)


for _model in ("inspection", "finding", "rectificationorder"):
    rules.add_perm("inspections.view_{}".format(_model), can_view)
rules.add_perm("inspections.change_inspection", can_work)
rules.add_perm("inspections.start_inspection", can_work)
rules.add_perm("inspections.submit_inspection", can_work)
rules.add_perm("inspections.cancel_inspection", can_inspect)
rules.add_perm("inspections.change_finding", can_inspect)
rules.add_perm("inspections.answer_rectificationorder", can_answer)
rules.add_perm("inspections.verify_rectificationorder", can_inspect)
rules.add_perm("inspections.reopen_rectificationorder", can_inspect)
rules.add_perm("inspections.change_rectificationorder", can_inspect)


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` ``obj`` (an inspection, a finding or an order)."""
    if not can_view(user, obj):
        return False
    if action == VIEW:
        return True
    from greenbuild.inspections.models import Inspection, RectificationOrder

    if action == ANSWER:
        return isinstance(obj, RectificationOrder) and bool(can_answer(user, obj))
    if action in (CHANGE, "start", "submit") and isinstance(obj, Inspection):
        return bool(can_work(user, obj))
    if action in (CHANGE, INSPECT, "verify", "reopen", "cancel"):
        return bool(can_inspect(user, obj))
    return False


def restrict(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``can`` for lists (``view``; ``change``: in the inspector's scope)."""
    if action not in ACTIONS:
        raise ValueError("unknown action {!r}".format(action))
    if not _active(user):
        return queryset.none()
    scope = scope_q(user, "project__")
    if action == CHANGE:
        if queryset.model._meta.label == "inspections.Inspection" and not is_bureau_admin(user):
            return queryset.filter(scope, inspector_id=user.pk)
        return queryset.filter(scope)
    from greenbuild.projects.models import Project

    internal = Project.objects.for_user(user, VIEW_INTERNAL).values("pk")
    return queryset.filter(Q(project__in=internal) | scope)


def _gate(model: str, *related: str) -> Gate:
    return Gate(model=model, can=can, restrict=restrict, sql_actions=ACTIONS, select_related=("project", *related))


INSPECTION_GATE = register_gate(_gate("inspections.Inspection", "inspector", "step"))
FINDING_GATE = register_gate(_gate("inspections.Finding", "inspection"))
ORDER_GATE = register_gate(_gate("inspections.RectificationOrder", "finding"))


def may_see_stats(user: Any) -> bool:
    return _active(user) and bool(is_bureau_admin(user) or district_ids(user))


def stats_projects(user: Any) -> Any:
    """The projects whose counts ``user`` reads: the bureau all, a district its own."""
    from greenbuild.projects.models import Project

    if not may_see_stats(user):
        return Project.objects.none()
    if is_bureau_admin(user):
        return Project.objects.all()
    return Project.objects.filter(district_id__in=district_ids(user))
