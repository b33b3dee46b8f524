"""The one permission gate of the attachments app. It delegates to the projects gate.

* view (download) a project's attachment: whoever may see the project's internal pages
  (projects ``view_internal``: never the public, even for a confirmed pilot);
* view a programme-level attachment (an import, a report): its uploader and the bureau;
* a pending attachment (uploaded with a form not saved yet): its uploader only;
* readers other apps register (``register_attachment_reader``): the reviews app lets an expert
  seated on a plan's review read the files of the plan versions under review (not the project's
  other files);
* attach a file to a project: whoever may see its internals (the calling service checks the
  domain right, e.g. scoring ``claim``); change or remove it: the same, and for a pending file
  its uploader only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import Http404

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core import typed_rules as rules
from greenbuild.core.permissions import VIEW, VIEW_INTERNAL, Gate, gate_for, get_object_for_user, register_gate

#: The projects gate, looked up when used (attachments is a platform app: it never imports projects).
PROJECT = "projects.Project"


def can_project(user: Any, action: str, project: Any) -> bool:
    return gate_for(PROJECT).can(user, action, project)


# ``predicate(user, attachment) -> bool`` and its SQL form ``scope(user) -> Q`` over attachments.
_extra_readers: list[tuple[Callable[[Any, Any], bool], Callable[[Any], Q]]] = []


def register_attachment_reader(predicate: Callable[[Any, Any], bool], scope: Callable[[Any], Q]) -> None:
    if (predicate, scope) not in _extra_readers:
        _extra_readers.append((predicate, scope))


def _extra_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    for _predicate, make in _extra_readers:
        scope |= make(user)
    return scope


def _is_uploader(user: Any, attachment: Any) -> bool:
    return bool(user.is_authenticated) and attachment.uploaded_by_id == user.pk


@rules.predicate
def can_attach_to(user: Any, project: Any) -> bool:
    if not user.is_authenticated:
        return False
    return project is None or can_project(user, "view_internal", project)


@rules.predicate
def can_view_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None or not user.is_authenticated:
        return False
    if attachment.pending:
        return _is_uploader(user, attachment)
    if attachment.project_id is None:
        return _is_uploader(user, attachment) or is_bureau_admin(user)
    if can_project(user, "view_internal", attachment.project):
        return True
    return any(predicate(user, attachment) for predicate, _scope in _extra_readers)


@rules.predicate
def can_change_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None or not can_view_attachment(user, attachment):
        return False
    return bool(can_attach_to(user, attachment.project))


rules.add_perm("attachments.attach_attachment", can_attach_to)
rules.add_perm("attachments.view_attachment", can_view_attachment)
rules.add_perm("attachments.change_attachment", can_change_attachment)


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` (attach to a project; view, change an attachment)."""
    return rules.has_perm("attachments.{}_attachment".format(action), user, obj)


def restrict_attachments(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``can(user, "view", attachment)``, for lists (``Attachment.objects.for_user``)."""
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not user.is_authenticated:
        return queryset.none()
    mine = Q(uploaded_by_id=user.pk)
    internal = gate_for(PROJECT).for_user(user, VIEW_INTERNAL).values("pk")
    programme = Q(project__isnull=True) & (Q() if is_bureau_admin(user) else mine)
    readable = Q(project__in=internal) | programme | _extra_scope(user)
    return queryset.filter((Q(pending=True) & mine) | (Q(pending=False) & readable))


ATTACHMENT_GATE = register_gate(
    Gate(model="attachments.Attachment", can=can, restrict=restrict_attachments, select_related=("project",))
)


def get_attachment_for_user(user: Any, pk: Any) -> Any:
    """The attachment with its file still kept, or 404 when ``user`` may not see it.

    The 404 does not reveal whether an attachment with that id exists.
    """
    from greenbuild.attachments.models import Attachment

    try:
        return get_object_for_user(Attachment.objects.filter(removed_at__isnull=True), user, pk)
    except Http404:
        raise Http404("No such attachment.") from None
