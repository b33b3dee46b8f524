"""Every write of inspections, findings and rectification orders (R24).

Views, the API, the admin, jobs and the demo all come through here. The rules that hold on every
path: an inspection (and a finding) only of a project in the inspector's scope; no deadline or due
date in the past; photos checked as images and size-limited by the attachments' photo policy; a
rectification order answered and closed only with evidence (the workflow's guard, and the model's
``save`` as the last line)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import VIEW
from greenbuild.core.workflow import apply_move
from greenbuild.inspections.choices import (
    CheckResult,
    CheckSource,
    FindingSource,
    FindingStatus,
    InspectionStatus,
    OrderStatus,
    Severity,
)
from greenbuild.inspections.models import ChecklistItem, Finding, FindingPhoto, Inspection, RectificationOrder
from greenbuild.inspections.permissions import ANSWER, can, in_scope, is_owner
from greenbuild.inspections.workflow import INSPECTION_WORKFLOW, ORDER_WORKFLOW

MAX_TEXT = 5000
ORDER_DOCUMENT = "inspections.rectification_order"


# --- helpers -------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can(actor, VIEW, obj):
        raise DomainError(_("No such object."))
    if not can(actor, action, obj):
        raise ActionForbidden()


def _text(value: Any, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DomainError(_("Write at most {limit} characters.").format(limit=limit), field=field)
    return text


def _future(day: Any, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise DomainError(_("Enter a valid date."), field=field)
    if isinstance(day, dt.datetime):
        day = day.date()
    if day < timezone.localdate():
        raise DomainError(_("The date {date} lies in the past.").format(date=day.isoformat()), field=field)
    checked: dt.date = day
    return checked


def _store_file(*, actor: Any, project: Any, kind: str, uploaded_file: Any) -> Any:
    """Check ``uploaded_file`` against the attachments' policy of ``kind`` and file it for ``project``.

    The writers' table of attachments lets only the owner write site photos to a project; an
    inspector's photo is checked and stored as the inspector's own file and then filed with the
    project, after this app's gate allowed the move (the caller checked it)."""
    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.permissions import can_write_kind
    from greenbuild.attachments.services import store_attachment

    if uploaded_file is None:
        raise DomainError(_("Choose a file."), field="file")
    try:
        if can_write_kind(actor, kind, project):
            return store_attachment(actor=actor, project=project, kind=kind, uploaded_file=uploaded_file)
        attachment = store_attachment(actor=actor, project=None, kind=kind, uploaded_file=uploaded_file)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="file") from None
    Attachment.objects.filter(pk=attachment.pk).update(project=project)
    attachment.project = project
    return attachment


def _digest(uploaded_file: Any) -> str | None:
    """The SHA-256 of an upload (chunk by chunk), to know the same file sent twice; None if unreadable."""
    import hashlib

    if uploaded_file is None or not hasattr(uploaded_file, "chunks"):
        return None
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


# --- the checklist -------------------------------------------------------------------------------


def current_step(project: Any) -> Any:
    """The project's current lifecycle step: the first open one, else the last signed one, else the
    first pending one (None without steps)."""
    from greenbuild.lifecycle.choices import SIGNED_STATUSES, StepStatus
    from greenbuild.lifecycle.models import ProjectStep

    steps = list(ProjectStep.objects.filter(project=project).select_related("type").order_by("type__order", "pk"))
    for step in steps:
        if step.status == StepStatus.OPEN:
            return step.type
    signed = [s for s in steps if s.status in SIGNED_STATUSES]
    if signed:
        return signed[-1].type
    return steps[0].type if steps else None


def checklist_lines(project: Any, step: Any) -> list[dict[str, Any]]:
    """The lines of a new checklist: the guideline items of ``step`` (the edition in force), then the
    baseline targets R7–R14 the project locked."""
    from greenbuild.guidelines.selectors import items_for_step

    lines: list[dict[str, Any]] = []
    if step is not None:
        for item in items_for_step(step.code):
            lines.append(
                {
                    "source": CheckSource.GUIDELINE,
                    "guideline_item": item,
                    "code": item.code,
                    "text": item.text_zh or item.text_en,
                    "target": "",
                }
            )
    try:
        from greenbuild.lifecycle.selectors import side_by_side

        rows = side_by_side(project)
    except Exception:  # noqa: BLE001 (a project without buildings or scorecard: no baseline lines)
        rows = []
    for row in rows:
        if row.baseline and row.baseline != "—":
            lines.append(
                {
                    "source": CheckSource.BASELINE,
                    "guideline_item": None,
                    "code": row.requirement,
                    "text": row.title,
                    "target": row.baseline[:200],
                }
            )
    return lines


# --- inspections ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_inspection(
    *,
    project: Any,
    inspector: Any,
    due_on: Any,
    actor: Any,
    reason: str = "",
    plan: Any = None,
    draw: Any = None,
) -> Inspection:
    """Schedule an inspection of ``project`` by ``inspector`` on ``due_on`` with its checklist.

    Refused: an actor or an inspector outside the project's scope, a due date in the past."""
    if project is None:
        raise DomainError(_("Choose a project."), field="project")
    if not in_scope(actor, project):
        raise ActionForbidden()
    if inspector is None or not in_scope(inspector, project):
        raise DomainError(
            _("{inspector} may not inspect {project}: the project lies outside the inspector's scope.").format(
                inspector=inspector or "—", project=project
            ),
            field="inspector",
        )
    due_on = _future(due_on, "due_on")
    reason = _text(reason, "reason", required=False, limit=300)
    if plan is None and draw is None:  # scheduled by hand (page, API): a doubled post is kept once
        same: Inspection | None = (
            Inspection.objects.select_for_update()
            .filter(
                project=project,
                inspector=inspector,
                due_on=due_on,
                reason=reason,
                plan=None,
                draw=None,
                status=InspectionStatus.SCHEDULED,
            )
            .first()
        )
        if same is not None:
            return same
    step = current_step(project)
    inspection = Inspection(
        project=project,
        step=step,
        inspector=inspector,
        due_on=due_on,
        plan=plan,
        draw=draw,
        reason=reason,
        created_by=actor,
    )
    set_history_user(inspection, actor)
    inspection.save()
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(inspection=inspection, sort_order=n, **line)
            for n, line in enumerate(checklist_lines(project, step))
        ]
    )
    inspection_id, actor_id = inspection.pk, actor.pk
    transaction.on_commit(lambda: _notify("notify_scheduled", inspection_id, actor_id))
    return inspection


def _notify(name: str, *args: Any) -> None:
    from greenbuild.inspections import events

    getattr(events, name)(*args)


def transition_inspection(*, actor: Any, inspection_id: Any, action: str, comment: str = "") -> Any:
    """Start, submit (every checklist item checked) or cancel an inspection."""
    return apply_move(
        workflow=INSPECTION_WORKFLOW, actor=actor, obj_or_pk=inspection_id, action=action, comment=comment
    )


def _locked_inspection(actor: Any, inspection_id: Any, *, working: bool = True) -> Inspection:
    inspection: Inspection | None = (
        Inspection.objects.select_for_update().select_related("project").filter(pk=inspection_id).first()
    )
    if inspection is None:
        raise DomainError(_("No such inspection."))
    _require(actor, "change", inspection)
    if working and inspection.status != InspectionStatus.IN_PROGRESS:
        raise DomainError(_("Start the inspection first: results are recorded while it is in progress."))
    return inspection


@transaction.atomic
def record_checks(*, actor: Any, inspection_id: Any, results: dict[Any, tuple[str, str]]) -> int:
    """Record the result (and a note) of checklist items: ``{item_id: (result, note)}``. Items left
    as they were are not written (a form posted back as shown changes nothing)."""
    inspection = _locked_inspection(actor, inspection_id)
    items = {item.pk: item for item in inspection.checklist.all()}
    changed = 0
    for key, (result, note) in results.items():
        item = items.get(int(key)) if str(key).isdigit() else None
        if item is None:
            raise DomainError(_("No such checklist item."))
        if result not in CheckResult.values:
            raise DomainError(_("Choose a valid result."), field="result")
        note = _text(note, "note", required=False, limit=500)
        if result == CheckResult.FAIL and not note:
            raise DomainError(_("Say what does not conform in the note."), field="note")
        if (item.result, item.note) == (result, note):
            continue
        item.result, item.note = result, note
        set_history_user(item, actor)
        item.save(update_fields=["result", "note"])
        changed += 1
    if inspection.draft:
        inspection.draft, inspection.draft_saved_at = {}, None
        inspection.save(update_fields=["draft", "draft_saved_at"])
    return changed


@transaction.atomic
def save_draft(*, actor: Any, inspection_id: Any, data: Any) -> Inspection:
    """Keep the inspector's unsent input on the server (the page also keeps it in the browser)."""
    inspection = _locked_inspection(actor, inspection_id, working=False)
    if inspection.status not in (InspectionStatus.SCHEDULED, InspectionStatus.IN_PROGRESS):
        raise DomainError(_("The inspection is no longer being worked on."))
    if not isinstance(data, dict):
        raise DomainError(_("The draft is not readable."))
    clean = {str(k)[:100]: str(v)[:MAX_TEXT] for k, v in list(data.items())[:300] if not str(k).startswith("csrf")}
    inspection.draft = clean
    inspection.draft_saved_at = timezone.now()
    inspection.save(update_fields=["draft", "draft_saved_at"])
    return inspection


@transaction.atomic
def update_summary(*, actor: Any, inspection_id: Any, summary: str) -> Inspection:
    inspection = _locked_inspection(actor, inspection_id)
    summary = _text(summary, "summary", required=False)
    if summary != inspection.summary:
        inspection.summary = summary
        set_history_user(inspection, actor)
        inspection.save(update_fields=["summary"])
    return inspection


# --- findings ------------------------------------------------------------------------------------


@transaction.atomic
def raise_finding(
    *,
    project: Any,
    actor: Any,
    summary: str,
    severity: str,
    source: str,
    clause: str = "",
    step: Any = None,
    inspection: Any = None,
    deadline: Any = None,
    location: str = "",
    guideline_item: Any = None,
    instructions: str = "",
) -> Finding:
    """Record a finding about ``project`` (from an inspection, a third-party evaluation, …); with a
    ``deadline``, a rectification order is issued at once."""
    if not in_scope(actor, project):
        raise ActionForbidden()
    if inspection is not None:
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if inspection.project_id != project.pk:
            raise DomainError(_("The inspection is of another project."), field="inspection")
        if inspection.status != InspectionStatus.IN_PROGRESS:
            raise DomainError(_("Findings are recorded while the inspection is in progress."))
        if not can(actor, "change", inspection):
            raise ActionForbidden()
        step = step or inspection.step
    if severity not in Severity.values:
        raise DomainError(_("Choose a valid severity."), field="severity")
    if source not in FindingSource.values:
        raise DomainError(_("Choose a valid type."), field="source")
    if deadline is not None:
        deadline = _future(deadline, "deadline")
    finding = Finding(
        project=project,
        inspection=inspection,
        step=step,
        source=source,
        severity=severity,
        guideline_item=guideline_item,
        clause=_text(clause, "clause", required=False, limit=100),
        location=_text(location, "location", required=False, limit=200),
        summary=_text(summary, "summary"),
        raised_by=actor,
    )
    if not clause and guideline_item is None and source == FindingSource.INSPECTION:
        raise DomainError(_("Name the guideline item or the standard clause."), field="clause")
    same: Finding | None = None
    if inspection is not None:
        same = (
            Finding.objects.select_for_update()
            .filter(
                project=project,
                inspection=inspection,
                source=source,
                severity=severity,
                guideline_item=guideline_item,
                clause=finding.clause,
                location=finding.location,
                summary=finding.summary,
                raised_by=actor,
            )
            .exclude(status=FindingStatus.CLOSED)
            .first()
        )
    if same is not None:  # the same finding of an inspection sent twice (a doubled post, a draft sent again)
        return same
    set_history_user(finding, actor)
    finding.save()
    if deadline is not None:
        issue_order(actor=actor, finding_id=finding.pk, deadline=deadline, instructions=instructions or summary)
    return finding


@transaction.atomic
def add_finding_photo(*, actor: Any, finding_id: Any, uploaded_file: Any) -> FindingPhoto:
    """A site photo of a finding: an image (JPEG, PNG) within the photo policy's size; its thumbnail
    is made by a job."""
    from greenbuild.attachments.choices import AttachmentKind

    finding = Finding.objects.select_for_update().select_related("project").filter(pk=finding_id).first()
    if finding is None:
        raise DomainError(_("No such finding."))
    _require(actor, "change", finding)
    if finding.status == FindingStatus.CLOSED:
        raise DomainError(_("The finding is closed."))
    digest = _digest(uploaded_file)
    same: FindingPhoto | None = finding.photos.filter(attachment__sha256=digest).first() if digest else None
    if same is not None:  # the same photo sent twice (a doubled post) is kept once
        return same
    attachment = _store_file(
        actor=actor, project=finding.project, kind=AttachmentKind.PHOTO, uploaded_file=uploaded_file
    )
    photo = FindingPhoto.objects.create(finding=finding, attachment=attachment, added_by=actor)
    photo_id, actor_id = photo.pk, actor.pk
    transaction.on_commit(lambda: _start_thumbnail(photo_id, actor_id))
    return photo


def _start_thumbnail(photo_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.jobs.services import start_job

    photo = FindingPhoto.objects.select_related("finding__project").get(pk=photo_id)
    start_job(
        "inspections.thumbnail",
        actor=User.objects.get(pk=actor_id),
        project=photo.finding.project,
        params={"photo_id": photo_id},
    )


THUMBNAIL_PX = 320


def make_thumbnail(*, photo_id: int) -> FindingPhoto:
    """Make the thumbnail of a finding's photo (the job ``inspections.thumbnail``)."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    photo = FindingPhoto.objects.select_related("attachment").get(pk=photo_id)
    with photo.attachment.file.open("rb") as handle:
        image = Image.open(handle)
        image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
    if photo.thumbnail:
        photo.thumbnail.delete(save=False)
    photo.thumbnail.save("finding-{}-{}.jpg".format(photo.finding_id, photo.pk), ContentFile(out.getvalue()))
    return photo


# --- rectification orders -----------------------------------------------------------------------


@transaction.atomic
def issue_order(*, actor: Any, finding_id: Any, deadline: Any, instructions: str) -> RectificationOrder:
    """Issue the rectification order (整改通知书) of a finding with a deadline, as a numbered document."""
    from greenbuild.documents.services import issue_document

    finding = Finding.objects.select_for_update().select_related("project").filter(pk=finding_id).first()
    if finding is None:
        raise DomainError(_("No such finding."))
    _require(actor, "change", finding)
    if RectificationOrder.objects.filter(finding=finding).exists():
        raise DomainError(_("This finding has its rectification order already."))
    if finding.status == FindingStatus.CLOSED:
        raise DomainError(_("The finding is closed."))
    order = RectificationOrder(
        finding=finding,
        project=finding.project,
        deadline=_future(deadline, "deadline"),
        instructions=_text(instructions, "instructions"),
        issued_by=actor,
    )
    set_history_user(order, actor)
    order.save()
    document, _created = issue_document(actor=actor, kind=ORDER_DOCUMENT, object_id=order.pk)
    order.number = document.number
    order.save(update_fields=["number"])
    finding.status = FindingStatus.RECTIFYING
    set_history_user(finding, actor)
    finding.save(update_fields=["status"])
    order_id, actor_id = order.pk, actor.pk
    transaction.on_commit(lambda: _notify("notify_order_issued", order_id, actor_id))
    return order


def _locked_order(actor: Any, order_id: Any) -> RectificationOrder:
    order: RectificationOrder | None = (
        RectificationOrder.objects.select_for_update().select_related("project").filter(pk=order_id).first()
    )
    if order is None or not can(actor, VIEW, order):
        raise DomainError(_("No such rectification order."))
    return order


@transaction.atomic
def add_order_evidence(*, actor: Any, order_id: Any, uploaded_file: Any) -> Any:
    """The owner files evidence of the rectification while the order waits for it."""
    from greenbuild.attachments.choices import AttachmentKind

    order = _locked_order(actor, order_id)
    if not can(actor, ANSWER, order):
        raise ActionForbidden()
    if order.status != OrderStatus.ISSUED:
        raise DomainError(_("Evidence is filed while the order waits for rectification."))
    digest = _digest(uploaded_file)
    same = order.evidence.filter(sha256=digest).first() if digest else None
    if same is not None:  # the same file sent twice (a doubled post) is filed once
        return same
    attachment = _store_file(
        actor=actor, project=order.project, kind=AttachmentKind.EVIDENCE, uploaded_file=uploaded_file
    )
    order.evidence.add(attachment)
    return attachment


@transaction.atomic
def transition_order(*, actor: Any, order_id: Any, action: str, comment: str = "", deadline: Any = None) -> Any:
    """The owner answers (with evidence), the inspector verifies (closes, only with evidence) or
    reopens it (with a reason; ``deadline``: a new deadline, not in the past)."""
    if action == "reopen" and deadline is not None:
        deadline = _future(deadline, "deadline")
    transition = apply_move(workflow=ORDER_WORKFLOW, actor=actor, obj_or_pk=order_id, action=action, comment=comment)
    order = transition.order
    finding = Finding.objects.select_for_update().get(pk=order.finding_id)
    status = FindingStatus.CLOSED if order.status == OrderStatus.CLOSED else FindingStatus.RECTIFYING
    if action == "reopen" and deadline is not None:
        order.deadline = deadline
        set_history_user(order, actor)
        order.save(update_fields=["deadline"])
    if finding.status != status:
        finding.status = status
        set_history_user(finding, actor)
        finding.save(update_fields=["status"])
    return transition


@transaction.atomic
def extend_deadline(*, actor: Any, order_id: Any, deadline: Any, reason: str) -> RectificationOrder:
    """The inspector sets a new deadline for an order waiting for rectification (with a reason)."""
    order = _locked_order(actor, order_id)
    if not can(actor, "change", order):
        raise ActionForbidden()
    if order.status != OrderStatus.ISSUED:
        raise DomainError(_("Only an order waiting for rectification gets a new deadline."))
    deadline = _future(deadline, "deadline")
    reason = _text(reason, "reason")
    if deadline == order.deadline:
        return order
    order.deadline = deadline
    order.escalated_on = None
    set_history_user(order, actor)
    order._change_reason = reason  # type: ignore[attr-defined]
    order.save(update_fields=["deadline", "escalated_on"])
    return order


@transaction.atomic
def close_finding(*, actor: Any, finding_id: Any, comment: str) -> Finding:
    """Close a finding that needs no rectification order (noted on the spot)."""
    finding: Finding | None = (
        Finding.objects.select_for_update().select_related("project").filter(pk=finding_id).first()
    )
    if finding is None:
        raise DomainError(_("No such finding."))
    _require(actor, "change", finding)
    if RectificationOrder.objects.filter(finding=finding).exists():
        raise DomainError(_("The finding has a rectification order: it closes when the order is verified."))
    if finding.status == FindingStatus.CLOSED:
        return finding
    _text(comment, "comment")
    finding.status = FindingStatus.CLOSED
    set_history_user(finding, actor)
    finding._change_reason = comment  # type: ignore[attr-defined]
    finding.save(update_fields=["status"])
    return finding


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    """The daily job: every order past its deadline and not yet escalated reaches the district and
    the bureau through the inbox (once per deadline; a new deadline or a reopening starts again)."""
    today = today or timezone.localdate()
    orders = list(
        RectificationOrder.objects.select_for_update()
        .filter(status=OrderStatus.ISSUED, deadline__lt=today, escalated_on__isnull=True)
        .order_by("pk")
    )
    for order in orders:
        RectificationOrder.objects.filter(pk=order.pk).update(escalated_on=today)
        transaction.on_commit(partial(_notify, "notify_order_overdue", order.pk))
    return len(orders)


def is_owner_of(user: Any, order: Any) -> bool:
    return is_owner(user, order.project)
