"""The one permission gate of the attachments app. It delegates to the projects gate.

* view (download) a project's attachment: whoever may see the project's internal pages
  (projects ``view_internal``: never the public, even for a confirmed pilot);
* view a programme-level attachment (an import, a report, an audit export): its uploader only
  (the pages that show such files to others serve them themselves, e.g. a meeting's files);
* a pending attachment (uploaded with a form not saved yet): its uploader only;
* readers other apps register (``register_attachment_reader``): the reviews app lets an expert
  seated on a plan's review read the files of the plan versions under review (not the project's
  other files);
* files other apps withhold (``register_attachment_withholder``): the plans app keeps the files of
  an unsent plan draft to the owner alone (SEC-03);
* write (attach) a file of a kind to a project: the rule of that kind in :data:`KIND_WRITERS`,
  the one table of who writes what (issue 17 item 2, SEC-04), used by every page (through
  ``store_attachment``) and by the API upload; change or remove a file: the same rule for its
  kind, and for a pending file its uploader only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.attachments.choices import AttachmentKind
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


# ``predicate(user, attachment) -> bool``: the file is withheld from ``user`` (although the project
# gate would show it), and its SQL form ``scope(user) -> Q``: the attachments withheld from ``user``.
_withholders: list[tuple[Callable[[Any, Any], bool], Callable[[Any], Q]]] = []


def register_attachment_withholder(predicate: Callable[[Any, Any], bool], scope: Callable[[Any], Q]) -> None:
    if (predicate, scope) not in _withholders:
        _withholders.append((predicate, scope))


def _withheld_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    for _predicate, make in _withholders:
        scope |= make(user)
    return scope


def withheld_from(user: Any) -> Q:
    """The attachments of projects withheld from ``user`` (an unsent draft's files), for lists that
    do not go through the gate (the admin)."""
    return Q(project__isnull=False) & _withheld_scope(user)


def _extra_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    for _predicate, make in _extra_readers:
        scope |= make(user)
    return scope


def _is_uploader(user: Any, attachment: Any) -> bool:
    return bool(user.is_authenticated) and attachment.uploaded_by_id == user.pk


# --- who writes each kind (one table) ------------------------------------------------------------


def _owner_applicant(user: Any, project: Any) -> bool:
    return project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


def _project_open(project: Any) -> bool:
    return str(project.status) not in ("rejected", "withdrawn")


def writes_evidence(user: Any, project: Any) -> bool:
    """The scorecard's claimant: the owner applicant (or the bureau for it) of an open project,
    as the scorecard page (scoring ``claim``)."""
    return bool(rules.has_perm("scoring.claim_scores", user, project))


def writes_plan_files(user: Any, project: Any) -> bool:
    """The owner while its plan draft may be written (plans ``attach``), and whoever may ask to
    change the baseline of a confirmed pilot (the owner or the bureau: the request's documents)."""
    plan = apps.get_model("plans", "GreenPlan").objects.filter(project=project).first()
    if plan is not None and rules.has_perm("plans.attach_greenplan", user, plan):
        return True
    from greenbuild.lifecycle.permissions import can_request_change

    return bool(can_request_change(user, project))


def writes_owner_files(user: Any, project: Any) -> bool:
    """The owner applicant of an open project (site photos, the BIM model)."""
    return _project_open(project) and _owner_applicant(user, project)


def issues_certificates(user: Any, project: Any) -> bool:
    """Whoever issues the project's certificates and permits: a department reviewer who may sign
    an open lifecycle step of the project (the step's instrument, ``instrument`` of the sign-off)."""
    steps = apps.get_model("lifecycle", "ProjectStep").objects.filter(project=project, status="open")
    return any(rules.has_perm("lifecycle.sign_projectstep", user, step) for step in steps.select_related("type"))


def reads_internals(user: Any, project: Any) -> bool:
    """Generated files (a PDF summary, an issued document, a step's document): the service that
    files one checks its own right first; the file only renders what the reader already sees."""
    return can_project(user, VIEW_INTERNAL, project)


def bureau_only(user: Any, project: Any) -> bool:
    return is_bureau_admin(user)


@dataclass(frozen=True)
class KindWriter:
    """Who may write a file of a kind to a project, and whether the API's upload takes it."""

    predicate: Callable[[Any, Any], bool]
    who: Any  # a translated description (docs, the API's 403 message)
    api: bool = True


#: kind -> who writes it to a project (issue 17 item 2). Participants (contractor, designer,
#: supervisor, evaluator), district officials and experts write no kind: they read; their documents
#: reach the platform through the party answerable for them, so a file never looks filed by the
#: owner when it was not (SEC-04). Programme-level files (``project=None``: imports, meeting files)
#: are checked by the service that files them and read by their uploader only.
KIND_WRITERS: dict[str, KindWriter] = {
    AttachmentKind.EVIDENCE: KindWriter(writes_evidence, _("the owner applicant filing the scorecard")),
    AttachmentKind.PLAN: KindWriter(
        writes_plan_files, _("the owner applicant writing the plan, or asking to change the baseline")
    ),
    AttachmentKind.PHOTO: KindWriter(writes_owner_files, _("the owner applicant")),
    AttachmentKind.CERTIFICATE: KindWriter(issues_certificates, _("the department that signs an open step")),
    AttachmentKind.MODEL: KindWriter(writes_owner_files, _("the owner applicant")),
    AttachmentKind.REPORT: KindWriter(reads_internals, _("generated by the platform"), api=False),
    AttachmentKind.IMPORT: KindWriter(bureau_only, _("the bureau"), api=False),
}


def can_write_kind(user: Any, kind: str, project: Any) -> bool:
    """Whether ``user`` may write a file of ``kind`` to ``project`` (None: a programme-level file)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if project is None:
        return True
    writer = KIND_WRITERS.get(str(kind))
    return writer is not None and can_project(user, VIEW_INTERNAL, project) and writer.predicate(user, project)


def writable_kinds(user: Any, project: Any, *, api: bool = False) -> list[str]:
    """The kinds ``user`` may write to ``project`` (``api``: only those the API's upload takes)."""
    return [
        kind for kind, writer in KIND_WRITERS.items() if (writer.api or not api) and can_write_kind(user, kind, project)
    ]


@rules.predicate
def can_attach_to(user: Any, project: Any) -> bool:
    """Whether ``user`` may attach a file of some kind to ``project`` (see :func:`can_write_kind`)."""
    if not user.is_authenticated:
        return False
    return project is None or bool(writable_kinds(user, project))


@rules.predicate
def can_view_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None or not user.is_authenticated:
        return False
    if attachment.pending:
        return _is_uploader(user, attachment)
    if attachment.project_id is None:  # an import, an audit export: its uploader's alone
        return _is_uploader(user, attachment)
    if any(predicate(user, attachment) for predicate, _scope in _withholders):
        return False
    if can_project(user, "view_internal", attachment.project):
        return True
    return any(predicate(user, attachment) for predicate, _scope in _extra_readers)


@rules.predicate
def can_change_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None or not can_view_attachment(user, attachment):
        return False
    return can_write_kind(user, attachment.kind, attachment.project)


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
    programme = Q(project__isnull=True) & mine
    readable = Q(project__in=internal) | programme | _extra_scope(user)
    withheld = withheld_from(user)
    return queryset.filter((Q(pending=True) & mine) | (Q(pending=False) & readable & ~withheld))


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
