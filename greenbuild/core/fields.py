"""The field policy (issue 17 item 1, SEC-02): which fields of a model each kind of reader may see.

A gate (``core.permissions``) decides *which objects* a reader sees; the field policy decides
*which fields* of a visible object they see. Each app declares it once per model with
confidential fields, in its ``fields.py``::

    # projects/fields.py
    PROJECT_FIELDS = register_field_policy(
        FieldPolicy(
            model="projects.Project",
            internal=frozenset({"investment_wan_yuan", "approval_code", "submitted_at", ...}),
            audience=project_audience,           # (user, project) -> Audience
            internal_scope=project_internal_scope,  # user -> Q of the rows the user sees inside
        )
    )

Three kinds of reader, from the least to the most trusted (:class:`Audience`):

* ``PUBLIC``: anyone, signed out or signed in with no relation to the object;
* ``INSIDER``: a party of the object (e.g. an expert seated on the project's review) who reads
  more than the public face but not its internals;
* ``INTERNAL``: the readers of the object's internal sections (for a project: the bureau, the
  owner, the district, the department reviewers and the participants: ``view_internal``).

A field not named in ``insider`` or ``internal`` is public. Every surface asks the policy:

* templates: ``{% load fields %}{% field_access project as shown %}{% if shown.approval_code %}``;
* exports and open data: :func:`redact` (blanks the hidden fields of an object) and
  :func:`assert_public` (a column list that names a hidden field fails at import);
* API serializers: :class:`PolicySerializerMixin` drops the hidden fields of each object;
* search and filters: :func:`search_q` matches a hidden field only on the rows whose internals
  the reader sees;
* ordering: :class:`PolicyOrderingFilter` refuses (400, the API's error shape) an ordering on a
  field the reader does not see on every row of the list, see :func:`may_order_by`.

An object's audience is cached on it per user, and read from a ``gb_internal`` annotation when a
list annotated it (:func:`annotate_internal`), so a page of 50 rows costs no query per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import ExpressionWrapper, Q, Value
from rest_framework.filters import OrderingFilter

from greenbuild.core.permissions import model_label


class Audience(IntEnum):
    """Kinds of reader, ordered: each sees everything the ones before it see."""

    PUBLIC = 0
    INSIDER = 1
    INTERNAL = 2


AudienceOf = Callable[[Any, Any], Audience]  # (user, obj) -> Audience
InternalScope = Callable[[Any], Q]  # user -> the rows whose internals the user sees


def _public(user: Any, obj: Any) -> Audience:
    return Audience.PUBLIC


@dataclass(frozen=True)
class FieldPolicy:
    """One model's field policy. ``insider`` and ``internal`` name the fields (and API names such
    as ``investment_nature_name``) only those readers see; every other field is public.

    ``audience(user, obj)`` says which kind of reader ``user`` is for ``obj``; ``internal_scope(user)``
    is its SQL form for ``INTERNAL`` (a ``Q`` over the model's rows), used by search, ordering and
    :func:`annotate_internal`. Without them every reader is the public.
    """

    model: Any
    insider: frozenset[str] = frozenset()
    internal: frozenset[str] = frozenset()
    audience: AudienceOf = _public
    internal_scope: InternalScope | None = None
    #: API or export names that stand for a model field (``investment_nature_name`` → its level)
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model) if isinstance(self.model, str) else self.model

    @property
    def label(self) -> str:
        return model_label(self.model)

    def level(self, name: str) -> Audience:
        """The least trusted reader who may see field ``name`` (a field path's first part counts:
        ``approval_code__icontains`` is ``approval_code``)."""
        name = self.aliases.get(name, name)
        parts = name.lstrip("-").split("__")
        base = self.aliases.get(parts[0], parts[0])
        if base in self.internal:
            return Audience.INTERNAL
        if base in self.insider:
            return Audience.INSIDER
        if len(parts) > 1 and self._related_path_is_hidden(base, "__".join(parts[1:])):
            # ``owner__credit_code``: a field the related model's policy hides. Seeing this
            # object's internals says nothing about the related object's, so only internal readers.
            return Audience.INTERNAL
        return Audience.PUBLIC

    def _related_path_is_hidden(self, base: str, rest: str) -> bool:
        if not apps.ready:
            return False
        try:
            related = self.model_class._meta.get_field(base).related_model
        except Exception:  # not a field (a lookup such as ``name__icontains``) or no such model
            return False
        if related is None or related is self.model_class:
            return False
        return policy_for(related).level(rest) > Audience.PUBLIC

    @property
    def hidden(self) -> frozenset[str]:
        """Every field some reader may not see."""
        return self.insider | self.internal

    def hidden_from(self, audience: Audience) -> frozenset[str]:
        """The fields ``audience`` may not see (names as declared, aliases included)."""
        names = {n for n in self.hidden | set(self.aliases) if self.level(n) > audience}
        return frozenset(names)

    def visible(self, audience: Audience, names: Iterable[str]) -> list[str]:
        return [n for n in names if self.level(n) <= audience]

    def audience_of(self, user: Any, obj: Any) -> Audience:
        """``user``'s kind for ``obj`` (cached on the object; a ``gb_internal`` annotation counts)."""
        key = "_gb_audience_{}".format(getattr(user, "pk", None) or 0)
        cached = obj.__dict__.get(key)
        if cached is not None:
            return Audience(cached)
        annotated = obj.__dict__.get("gb_internal")
        if annotated:
            result = Audience.INTERNAL
        elif annotated is not None and not self.insider:
            result = Audience.PUBLIC  # the annotation said no, and insiders read no more than the public
        else:
            result = self.audience(user, obj)
            if annotated is not None and result == Audience.INTERNAL:  # the annotation said no
                result = Audience.INSIDER
        obj.__dict__[key] = int(result)
        return result

    def may_see(self, user: Any, obj: Any, name: str) -> bool:
        return self.level(name) <= self.audience_of(user, obj)

    def scope(self, user: Any) -> Q:
        """The rows whose internals ``user`` sees (none when the policy has no SQL form)."""
        if self.internal_scope is None:
            return Q(pk__in=[])
        return self.internal_scope(user)


_POLICIES: dict[str, FieldPolicy] = {}


def register_field_policy(policy: FieldPolicy) -> FieldPolicy:
    """Make ``policy`` the field policy of its model (an app's ``fields.py`` calls this once)."""
    _POLICIES[policy.label] = policy
    return policy


def policy_for(model: Any) -> FieldPolicy:
    """The model's policy; a model without one has every field public."""
    label = model_label(model)  # a name, a model, an instance (lazy ones too: ``request.user``)
    return _POLICIES.get(label) or FieldPolicy(model=label)


def registered_policies() -> list[FieldPolicy]:
    return list(_POLICIES.values())


# --- objects: templates, exports, serializers --------------------------------------------------


class FieldAccess:
    """What a template asks: ``shown.approval_code`` is True when the reader may see it."""

    def __init__(self, policy: FieldPolicy, audience: Audience) -> None:
        self.policy = policy
        self.audience = audience

    def __getitem__(self, name: str) -> bool:
        if name == "internal":  # templates look items up first: ``shown.internal`` lands here
            return self.internal
        return self.policy.level(name) <= self.audience

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __contains__(self, name: str) -> bool:
        return self[name]

    @property
    def internal(self) -> bool:
        return self.audience >= Audience.INTERNAL


def field_access(user: Any, obj: Any) -> FieldAccess:
    policy = policy_for(obj)
    return FieldAccess(policy, policy.audience_of(user, obj))


def hidden_fields(user: Any, obj: Any) -> frozenset[str]:
    policy = policy_for(obj)
    return policy.hidden_from(policy.audience_of(user, obj))


def redact(user: Any, obj: Any) -> Any:
    """Blank, on ``obj`` itself, every concrete field ``user`` may not see (for exports; never save it)."""
    policy = policy_for(obj)
    hidden = policy.hidden_from(policy.audience_of(user, obj))
    for f in obj._meta.concrete_fields:
        if f.name in hidden:
            blank = "" if isinstance(f, (models.CharField, models.TextField)) and not f.null else None
            setattr(obj, f.attname, blank)
            if f.is_relation:
                obj._state.fields_cache.pop(f.name, None)
    return obj


def redact_dict(user: Any, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a representation of ``obj``) without the keys ``user`` may not see."""
    for name in hidden_fields(user, obj):
        data.pop(name, None)
    return data


def assert_public(model: Any, names: Iterable[str]) -> list[str]:
    """``names`` unchanged, or ``ValueError`` when one of them is not public (open data columns)."""
    policy = policy_for(model)
    names = list(names)
    hidden = [n for n in names if policy.level(n) > Audience.PUBLIC]
    if hidden:
        raise ValueError("not public in the field policy of {}: {}".format(policy.label, ", ".join(hidden)))
    return names


class PolicySerializerMixin:
    # A ``ModelSerializer`` mixin: each object's representation leaves out what the reader may not
    # see (the request's user; no request means the public). A comment, not a docstring: the schema
    # would take a docstring for the description of every serializer that mixes it in.

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        request = getattr(self, "context", {}).get("request")
        user = getattr(request, "user", None)
        return redact_dict(user, instance, data)


# --- querysets: annotation, search, ordering ---------------------------------------------------


def annotate_internal(queryset: Any, user: Any) -> Any:
    """``queryset`` with ``gb_internal`` (the reader sees the row's internals), one subquery."""
    policy = policy_for(queryset.model)
    scope = policy.scope(user)
    if scope == Q():  # every row (the bureau): no subquery at all
        return queryset.annotate(gb_internal=Value(True, output_field=models.BooleanField()))
    # ``pk IN (rows of the scope)``, not a correlated EXISTS: the database evaluates the scope once
    # for the page instead of once per row (bench/api.py). The rows, not the bare ``scope`` on the
    # outer row, so a scope that joins a to-many relation cannot duplicate the list's rows.
    inside = queryset.model._default_manager.filter(scope).values("pk")
    return queryset.annotate(gb_internal=ExpressionWrapper(Q(pk__in=inside), output_field=models.BooleanField()))


def search_q(model: Any, user: Any, value: str, lookups: Iterable[str]) -> Q:
    """``value`` matched over ``lookups`` (``name__icontains`` …); a lookup on a field the public may
    not see matches only the rows whose internals ``user`` sees, so it can never be probed."""
    policy = policy_for(model)
    query = Q(pk__in=[])
    for lookup in lookups:
        term = Q(**{lookup: value})
        if policy.level(lookup) > Audience.PUBLIC:
            term &= policy.scope(user)
        query |= term
    return query


def may_order_by(queryset: Any, user: Any, name: str) -> bool:
    """Whether ``user`` may order ``queryset`` by ``name``: a public field always; a hidden one only
    when the reader sees it on every row of the list (else the order itself would leak it)."""
    policy = policy_for(queryset.model)
    if policy.level(name) == Audience.PUBLIC:
        return True
    scope = policy.scope(user)
    return scope == Q() or not queryset.exclude(scope).exists()


class PolicyOrderingFilter(OrderingFilter):
    """DRF's ``OrderingFilter`` that asks the field policy: an ``?ordering=`` on a field the
    reader does not see on every row is a 400 in the API's error shape (``errors.ordering``).
    An unknown name (or one written ``--name``) on a list is a 400 too, naming it and the names
    the list orders by (issue 18, API-13); DRF would ignore it."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        from django.utils.translation import gettext as _
        from rest_framework.exceptions import ValidationError

        params = request.query_params.get(self.ordering_param)
        if params:
            terms = [t.strip() for t in params.split(",") if t.strip()]
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [t for t in terms if t.removeprefix("-") not in valid]
            if unknown and getattr(view, "action", "list") == "list":
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("This list cannot be ordered by: {names}. It orders by: {fields}.").format(
                                names=", ".join(unknown), fields=", ".join(sorted(valid))
                            )
                        ]
                    }
                )
            refused = [
                t for t in terms if t.lstrip("-") in valid and not may_order_by(queryset, request.user, t.lstrip("-"))
            ]
            if refused:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("You cannot order this list by: {fields}.").format(fields=", ".join(refused))
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)
