"""Gate helpers shared by every app's ``permissions.py`` (style.md §7).

Each app keeps one gate per model: a predicate form, ``can(user, action, obj)`` (``rules``
predicates, read for one object) and an SQL form, ``Model.objects.for_user(user, action)`` (a
queryset for lists, like NetBox's ``restrict()``). This module gives them a shared vocabulary
and the plumbing around them:

* :class:`Action`: the action names every app uses (``view``, ``change``, …);
* :class:`Gate`: both forms of one model's gate, registered by the app (``register_gate``);
* :func:`get_object_for_user`: the object, or 404 when the user may not see it (also for a
  malformed or overflowing id), or :class:`~greenbuild.core.errors.ActionForbidden` (403)
  when they may see it but not act;
* :func:`get_child_or_404`: a child object (a building, a participant, …) through its parent;
* :class:`ProjectScopedQuerySet`: ``for_user`` for models that belong to a project, delegating
  to the project gate through the foreign key.

Example, for a model ``Plan`` with a ``project`` foreign key::

    class Plan(models.Model):
        project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="plans")
        objects = ProjectScopedQuerySet.as_manager()

    # plans/permissions.py: an action on a plan is that action on its project
    PLAN_GATE = register_gate(project_scoped_gate("plans.Plan"))

    plans = Plan.objects.for_user(request.user, Action.VIEW)          # a list
    plan = get_object_for_user(Plan.objects.all(), request.user, pk, Action.CHANGE)  # one object
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import models
from django.http import Http404

from greenbuild.core.errors import ActionForbidden

#: The largest id any supported database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class Action(StrEnum):
    """The action vocabulary of every gate; workflow moves add their own names (``submit``, …)."""

    VIEW = "view"  # see the object's public face
    VIEW_INTERNAL = "view_internal"  # see its internal sections (history, timeline, participants)
    CHANGE = "change"  # edit it
    CREATE = "create"  # add one (to a parent)
    DELETE = "delete"  # remove it
    DECIDE = "decide"  # take a decision on it (approve, refuse, …)


VIEW = Action.VIEW
VIEW_INTERNAL = Action.VIEW_INTERNAL
CHANGE = Action.CHANGE


def parse_id(value: Any) -> int | None:
    """``value`` as a database id, or None when it is not one (``"abc"``, ``-1``, 10**20, ``None``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not text.isdigit() or not text.isascii() or len(text) > 19:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


# --- gates -------------------------------------------------------------------------------------


Predicate = Callable[[Any, str, Any], bool]  # can(user, action, obj)
Restrict = Callable[[Any, Any, str], Any]  # restrict(queryset, user, action) -> queryset


@dataclass(frozen=True)
class Gate:
    """One model's gate: the predicate form ``can`` and the SQL form ``restrict``.

    ``model`` is the model or its ``"app_label.ModelName"`` (resolved on first use, so a
    ``permissions.py`` need not import models). ``sql_actions`` are the actions ``restrict``
    answers; for them the two forms must agree (``greenbuild.testing.gates`` proves it).
    ``select_related`` is applied by :func:`get_object_for_user`.
    """

    model: Any
    can: Predicate
    restrict: Restrict
    sql_actions: frozenset[str] = frozenset({VIEW})
    select_related: tuple[str, ...] = field(default_factory=tuple)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model) if isinstance(self.model, str) else self.model

    @property
    def label(self) -> str:
        return model_label(self.model)

    def for_user(self, user: Any, action: str = VIEW, queryset: Any = None) -> Any:
        if action not in self.sql_actions:
            raise ValueError("the gate of {} has no SQL form for {!r}".format(self.label, action))
        base = self.model_class._default_manager.all() if queryset is None else queryset
        return self.restrict(base, user, action)


def model_label(model: Any) -> str:
    """``app_label.modelname`` of a model, an instance or an ``"app_label.ModelName"`` string."""
    return model.lower() if isinstance(model, str) else model._meta.label_lower


_GATES: dict[str, Gate] = {}


def register_gate(gate: Gate) -> Gate:
    """Make ``gate`` the gate of its model (each app's ``permissions.py`` calls this once)."""
    _GATES[gate.label] = gate
    return gate


def gate_for(model: Any) -> Gate:
    try:
        return _GATES[model_label(model)]
    except KeyError:
        raise LookupError("no gate registered for {}".format(model_label(model))) from None


def registered_gates() -> list[Gate]:
    return list(_GATES.values())


def get_object_for_user(queryset_or_gate: Any, user: Any, pk: Any, action: str = VIEW) -> Any:
    """The object with id ``pk``, fetched through the gate.

    404 when ``user`` may not see it (a malformed, overflowing or unknown id gives the same
    404, so nothing tells whether an invisible object exists); :class:`ActionForbidden` (403)
    when they may see it but may not ``action`` it. ``queryset_or_gate`` is a :class:`Gate`,
    a model with a registered gate, or a queryset of such a model (to add ``select_related``
    and the like); the gate narrows it to what ``user`` may see.
    """
    if isinstance(queryset_or_gate, Gate):
        gate, queryset = queryset_or_gate, None
    elif isinstance(queryset_or_gate, type) and issubclass(queryset_or_gate, models.Model):
        gate, queryset = gate_for(queryset_or_gate), None
    else:
        gate, queryset = gate_for(queryset_or_gate.model), queryset_or_gate
    number = parse_id(pk)
    if number is None:
        raise Http404("No such object.")
    visible = gate.for_user(user, VIEW, queryset)
    if gate.select_related:
        visible = visible.select_related(*gate.select_related)
    # Neither ORDER BY nor LIMIT: an id names one row, and PostgreSQL takes several times longer
    # to plan the gate's joins with them (the model's ordering and first()'s LIMIT 1) than to run
    # the query.
    obj = next(iter(visible.filter(pk=number).order_by()), None)
    if obj is None:
        raise Http404("No such object.")
    if action != VIEW and not gate.can(user, action, obj):
        raise ActionForbidden()
    return obj


def get_child_or_404(parent: models.Model, related_name_or_queryset: str | Any, pk: Any) -> Any:
    """The child ``pk`` of ``parent`` (fetched through its gate already), or 404.

    ``related_name_or_queryset`` is the reverse accessor (``"buildings"``) or a queryset of the
    children (``project.buildings.select_related(...)``); a child of another parent, a
    malformed or an overflowing id all give 404.
    """
    if isinstance(related_name_or_queryset, str):
        queryset = getattr(parent, related_name_or_queryset).all()
    else:
        queryset = related_name_or_queryset
    number = parse_id(pk)
    child = queryset.filter(pk=number).first() if number is not None else None
    if child is None:
        raise Http404("No such object.")
    return child


# --- project-scoped models ---------------------------------------------------------------------


class ProjectScopedQuerySet(models.QuerySet):
    """``for_user`` for a model that belongs to a project: what the project gate allows.

    ``project_field`` names the foreign key (a path like ``"scorecard__project"`` works too).
    """

    project_field = "project"

    def for_user(self, user: Any, action: str = VIEW) -> Any:
        from greenbuild.projects.models import Project

        projects = Project.objects.for_user(user, action).values("pk")
        return self.filter(**{"{}__in".format(self.project_field): projects})


def project_scoped_gate(
    model: Any,
    *,
    project_of: Callable[[Any], Any] = lambda obj: obj.project,
    actions: Iterable[str] = (VIEW, VIEW_INTERNAL, CHANGE),
) -> Gate:
    """A gate for a project-scoped model: an action on the child is that action on its project."""

    def can(user: Any, action: str, obj: Any) -> bool:
        from greenbuild.projects.permissions import can as can_project

        return can_project(user, action, project_of(obj))

    def restrict(queryset: Any, user: Any, action: str) -> Any:
        return queryset.for_user(user, action)

    return Gate(model=model, can=can, restrict=restrict, sql_actions=frozenset(actions))
