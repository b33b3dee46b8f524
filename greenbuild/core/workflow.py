"""The workflow engine every state machine of the platform uses (style.md §6).

A workflow is a declared table of moves on a model with a status field, plus a concrete
transition model (a subclass of :class:`greenbuild.core.models.TransitionLog` with a foreign
key to the object). :func:`apply_move` makes one move: it locks the row, checks that the
actor may see the object and make the move, checks the state, the comment rule and the
guards, sets the new status (with the move's effects), records the history author, writes the
transition row and schedules the after-commit hooks. :meth:`Workflow.available_moves` is the
list a template (and later the API) shows.

Example, a two-state plan review::

    from django.utils.translation import gettext_lazy as _
    from greenbuild.core.workflow import Move, Workflow, REQUIRED, apply_move

    PLAN_WORKFLOW = Workflow(
        name="plan",
        model="plans.Plan",                    # has ``status``
        transition_model="plans.PlanTransition",  # TransitionLog + ``plan`` foreign key
        object_field="plan",
        moves=[
            Move("approve", {"submitted"}, "approved", _("Approve"), permission="plans.approve_plan"),
            Move("reject", {"submitted"}, "rejected", _("Reject"), comment=REQUIRED, button="danger",
                 guards=[lambda plan, actor: [] if plan.pages.exists() else [_("The plan has no pages.")]]),
        ],
        status_label=lambda status: PlanStatus(status).label,
        view_permission="plans.view_plan",
        after_commit=[lambda transition: notify_plan_transition(transition.pk)],
    )

    transition = apply_move(workflow=PLAN_WORKFLOW, actor=user, obj_or_pk=plan.pk, action="reject",
                            comment="缺少图纸")

``permission`` names a ``rules`` permission (checked with ``rules.has_perm``, never
``user.has_perm``, which would let a superuser make any move) or is a predicate
``(user, obj) -> bool``; left out, it is ``"<app_label>.<action>_<model_name>"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import rules
from django.apps import apps
from django.db import models, transaction
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed

#: Comment rules: the comment must be given, or may be left out. A callable rule
#: ``(obj) -> str | None`` returns why a comment is needed for this object (or None).
REQUIRED = "required"
OPTIONAL = "optional"

CommentRule = str | Callable[[Any], "str | Promise | None"]
Guard = Callable[[Any, Any], Iterable["str | Promise"]]  # (obj, actor) -> reasons the move is blocked
Effect = Callable[[Any, Any, str], Iterable[str]]  # (obj, actor, comment) -> names of the extra fields it set
Hook = Callable[[Any], Any]  # (transition) -> anything; run after commit
Context = Callable[[Any, Any], "dict[str, Any]"]  # (obj, actor) -> facts the move rests on, kept on the row


@dataclass(frozen=True)
class Move:
    """One move of a workflow: ``action`` takes the object from any of ``sources`` to ``target``."""

    action: str
    sources: AbstractSet[str]  # any set; stored as a frozenset
    target: str
    label: str | Promise
    permission: str | Callable[[Any, Any], bool] | None = None
    comment: CommentRule = OPTIONAL
    guards: Sequence[Guard] = ()  # any sequence; stored as a tuple
    effects: Sequence[Effect] = ()
    after_commit: Sequence[Hook] = ()
    button: str = "primary"  # Bootstrap colour of the button
    context: Sequence[Context] = ()  # what the move rests on, written to the transition's ``context``

    def __post_init__(self) -> None:
        for name in ("sources", "guards", "effects", "after_commit", "context"):
            value = getattr(self, name)
            object.__setattr__(self, name, frozenset(value) if name == "sources" else tuple(value))

    @property
    def comment_required(self) -> bool:
        """Whether a comment is always required (a callable rule decides per object)."""
        return self.comment == REQUIRED

    def comment_reason(self, obj: Any) -> str | Promise | None:
        """Why a comment is needed for ``obj``, or None when it may be left out."""
        if self.comment == REQUIRED:
            return _("Please give a reason in the comment.")
        if self.comment == OPTIONAL:
            return None
        return self.comment(obj)  # type: ignore[operator]


@dataclass(frozen=True)
class BoundMove:
    """A move as offered for one object, its comment rule evaluated; reads like a ``Move``.

    ``comment_required`` says whether this object's move needs a comment; ``comment_hint``
    is the reason a callable rule gave (for the form), None otherwise.
    """

    move: Move
    comment_required: bool
    comment_hint: str | Promise | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.move, name)

    @classmethod
    def bind(cls, move: Move, obj: Any) -> BoundMove:
        reason = move.comment_reason(obj)
        hint = reason if callable(move.comment) else None
        return cls(move, comment_required=reason is not None, comment_hint=hint)


@dataclass
class Workflow:
    """A state machine over ``model``'s ``status_field``, logged in ``transition_model``.

    ``model`` and ``transition_model`` may be ``"app_label.ModelName"`` strings (resolved on
    first use, so a ``workflow.py`` need not import models). ``view_permission`` is what the
    actor must hold to see the object at all (else the move is refused as forbidden).
    ``not_allowed`` is the message for a move from the wrong state (``{action}``, ``{status}``).
    """

    name: str
    model: Any
    transition_model: Any
    object_field: str
    moves: Sequence[Move]
    status_label: Callable[[str], Any] = str
    status_field: str = "status"
    view_permission: str | Callable[[Any, Any], bool] | None = None
    after_commit: Sequence[Hook] = ()
    not_allowed: str | Promise = _("“{action}” is not possible: it is now “{status}”.")
    table: dict[str, Move] = field(init=False)

    def __post_init__(self) -> None:
        self.table = {move.action: move for move in self.moves}
        if len(self.table) != len(self.moves):
            raise ValueError("workflow {}: two moves share an action".format(self.name))

    # --- the declared table ----------------------------------------------------------------

    @cached_property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model) if isinstance(self.model, str) else self.model

    @cached_property
    def transition_class(self) -> type[models.Model]:
        model = self.transition_model
        return apps.get_model(model) if isinstance(model, str) else model

    def allowed(self) -> dict[str, frozenset[str]]:
        """``allowed()[from]``: the states reachable in one move, for every state a move names."""
        states = {s for m in self.moves for s in (*m.sources, m.target)}
        return {s: frozenset(m.target for m in self.moves if s in m.sources) for s in states}

    # --- permission ------------------------------------------------------------------------

    def _permission_name(self, move: Move) -> str:
        meta = self.model_class._meta
        return "{}.{}_{}".format(meta.app_label, move.action, meta.model_name)

    @staticmethod
    def _check(permission: str | Callable[[Any, Any], bool], user: Any, obj: Any) -> bool:
        if callable(permission):
            return bool(permission(user, obj))
        return rules.has_perm(permission, user, obj)

    def may_see(self, user: Any, obj: Any) -> bool:
        return self.view_permission is None or self._check(self.view_permission, user, obj)

    def may(self, user: Any, move: Move, obj: Any) -> bool:
        """Whether ``user`` holds the permission of ``move`` on ``obj`` (whatever its state)."""
        return self._check(move.permission or self._permission_name(move), user, obj)

    def available_moves(self, obj: Any, user: Any) -> list[BoundMove]:
        """The moves ``user`` may make on ``obj`` now, in table order (for buttons)."""
        status = getattr(obj, self.status_field, None)
        return [
            BoundMove.bind(move, obj) for move in self.moves if status in move.sources and self.may(user, move, obj)
        ]

    # --- the move --------------------------------------------------------------------------

    def apply(self, *, actor: Any, obj_or_pk: Any, action: str, comment: str = "") -> Any:
        """Make one move; see :func:`apply_move`."""
        with transaction.atomic():
            return self._apply(actor=actor, obj_or_pk=obj_or_pk, action=action, comment=comment)

    def _apply(self, *, actor: Any, obj_or_pk: Any, action: str, comment: str) -> Any:
        move = self.table.get(action)
        if move is None:
            raise DomainError(gettext("Unknown action."))
        pk = obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk
        obj = self.model_class._default_manager.select_for_update().get(pk=pk)
        if not self.may_see(actor, obj) or not self.may(actor, move, obj):
            raise ActionForbidden()
        from_status = getattr(obj, self.status_field)
        if from_status not in move.sources:
            raise TransitionNotAllowed(
                str(self.not_allowed).format(action=move.label, status=self.status_label(from_status))
            )
        comment = (comment or "").strip()
        reason = move.comment_reason(obj)
        if reason is not None and not comment:
            raise DomainError(reason, field="comment")
        blocked = [str(r) for guard in move.guards for r in guard(obj, actor)]
        if blocked:
            raise DomainError(pgettext("reasons separator", "; ").join(blocked))
        facts: dict[str, Any] = {}
        for provide in move.context:
            facts.update(provide(obj, actor))

        setattr(obj, self.status_field, move.target)
        fields = [self.status_field]
        for effect in move.effects:
            fields.extend(effect(obj, actor, comment))
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj._history_user = actor
        obj.save(update_fields=list(dict.fromkeys(fields)))
        extra = {"context": facts} if facts else {}
        transition = self.transition_class._default_manager.create(
            **{self.object_field: obj},
            from_status=from_status,
            to_status=move.target,
            actor=actor,
            comment=comment,
            **extra,
        )
        for hook in (*self.after_commit, *move.after_commit):
            transaction.on_commit(_bind(hook, transition))
        return transition


def _bind(hook: Hook, transition: Any) -> Callable[[], Any]:
    return lambda: hook(transition)


def apply_move(*, workflow: Workflow, actor: Any, obj_or_pk: Any, action: str, comment: str = "") -> Any:
    """Make the move ``action`` of ``workflow`` on an object (or its id) as ``actor``.

    In one transaction: lock the row (``select_for_update``), refuse with
    :class:`ActionForbidden` an actor who may not see the object or make the move, with
    :class:`TransitionNotAllowed` a move from the wrong state (e.g. a second click that lost a
    race), with :class:`DomainError` (``field="comment"``) a missing required comment and with
    :class:`DomainError` a move a guard blocks (its reasons joined); otherwise set the status
    and the move's effects, record ``actor`` as the history author, write the transition row
    (returned; with the move's ``context`` facts in its ``context`` field when it has one) and
    run the workflow's and the move's hooks once the transaction commits.
    """
    return workflow.apply(actor=actor, obj_or_pk=obj_or_pk, action=action, comment=comment)
