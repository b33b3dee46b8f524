"""Writes of a frozen revision: start it (a background job), build it inside the job, take a
failed one up again on retry, and refuse a move on a revision the actor has not seen.

The app keeps its own words: every message that names the document (“No such bulletin.”) is
passed in, already translated, so each app's msgids stay in its own files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.core.errors import DomainError, TransitionNotAllowed
from greenbuild.reports.revisions.models import FrozenRevision, RevisionStatus

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from greenbuild.attachments.models import Attachment

R = TypeVar("R", bound=FrozenRevision)

#: ``(pct, message="") -> None``: a job's progress report
Progress = Callable[..., None]
Message: TypeAlias = "str | _StrPromise"  # a message, already translated (or lazy)


def start_revision(model: type[R], parent: Any, *, actor: Any, job_kind: str) -> R:
    """The parent's next revision, generating, and its job (``job_kind``, params ``revision_id``
    and ``<parent_field>_id``). Call inside the transaction that locked the parent."""
    from greenbuild.jobs.services import start_job

    number = (model._default_manager.filter(**{model.parent_field: parent}).aggregate(n=Max("number"))["n"] or 0) + 1
    revision = model._default_manager.create(**{model.parent_field: parent}, number=number, requested_by=actor)
    params = {"revision_id": revision.pk, "{}_id".format(model.parent_field): parent.pk}
    job = start_job(job_kind, actor=actor, params=params)
    model._default_manager.filter(pk=revision.pk).update(job=job)
    revision.job = job
    return revision


def build_revision(
    model: type[FrozenRevision],
    *,
    actor: Any,
    revision_id: int,
    authorise: Callable[[Any], None],
    is_draft: Callable[[Any], bool],
    collect: Callable[[Any, Progress], dict[str, Any]],
    render_pdf: Callable[[Any, int, dict[str, Any]], bytes],
    render_workbook: Callable[[Any, dict[str, Any]], bytes],
    file_stem: Callable[[Any, int], str],
    missing: Message,
    not_draft: Message,
    storing: Message,
    superseded: Message | None = None,
    select_related: Sequence[str] = (),
    report: Progress | None = None,
) -> Attachment:
    """The job's work: collect the content, make the PDF and the workbook, freeze the revision.
    Returns the PDF (the job's result file).

    ``authorise(parent)`` raises when the actor may not generate it; ``is_draft(parent)`` says
    whether it may still be generated (else ``not_draft``). ``collect(parent, progress)`` returns
    the content (JSON); ``render_pdf(parent, number, content)`` and ``render_workbook(parent,
    content)`` the files' bytes, stored as report attachments named ``file_stem(parent, number)``.
    With ``superseded``, a revision older than the parent's latest stays failed (a retried job
    of an old failed revision would otherwise hold newer figures than the latest). Any error
    marks the revision failed."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment

    step: Progress = report or (lambda pct, message="": None)
    revision = model._default_manager.select_related(model.parent_field, *select_related).filter(pk=revision_id).first()
    if revision is None:
        raise DomainError(missing)
    parent = revision.parent
    authorise(parent)
    if revision.status == RevisionStatus.READY:
        raise DomainError(_("This revision has been generated already."))
    if not is_draft(parent):
        raise DomainError(not_draft)
    try:
        if superseded is not None and parent.revisions.filter(number__gt=revision.number).exists():
            raise DomainError(superseded)
        step(5, _("Collecting the figures"))
        content = collect(parent, lambda pct, message="": step(pct, _("Collecting the figures")))
        step(65, _("Making the PDF"))
        pdf = render_pdf(parent, revision.number, content)
        step(85, _("Making the workbook"))
        workbook = render_workbook(parent, content)
        step(95, storing)
        stem = file_stem(parent, revision.number)
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=revision.pk)
            if locked.status == RevisionStatus.READY:
                raise DomainError(_("This revision has been generated already."))
            pdf_file: Attachment = store_attachment(
                actor=actor,
                project=None,
                kind=AttachmentKind.REPORT,
                uploaded_file=ContentFile(pdf, name=stem + ".pdf"),
            )
            xlsx_file: Attachment = store_attachment(
                actor=actor,
                project=None,
                kind=AttachmentKind.REPORT,
                uploaded_file=ContentFile(workbook, name=stem + ".xlsx"),
            )
            locked.content = content
            locked.pdf = pdf_file
            locked.workbook = xlsx_file
            locked.status = RevisionStatus.READY
            locked.generated_at = timezone.now()
            locked.save()
        return pdf_file
    except Exception:
        model._default_manager.filter(pk=revision.pk, status=RevisionStatus.GENERATING).update(
            status=RevisionStatus.FAILED
        )
        raise


def restart_failed_revision(model: type[FrozenRevision], revision_id: int) -> None:
    """A retried job takes its failed revision up again."""
    model._default_manager.filter(pk=revision_id, status=RevisionStatus.FAILED).update(status=RevisionStatus.GENERATING)


def refuse_unseen_revision(parent: Any, *, seen: int | None, of_record: bool, changed: str, action: object) -> None:
    """Refuse a move when the revision the actor saw (``seen``, the number the page's form or the
    API sent; None: not checked) is no longer the one it would act on: the revision of record
    (``of_record``, e.g. publishing) or else the latest revision (approving). ``parent`` is
    locked by the caller. ``changed`` is the app's message, with ``{number}`` and ``{action}``."""
    if seen is None:
        return
    current = parent.revision if of_record else parent.latest_revision()
    if current is not None and current.number != seen:
        raise TransitionNotAllowed(changed.format(number=current.number, action=action))
