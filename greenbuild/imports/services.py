"""Every write of the imports app: accept a workbook, check every row, write all or nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.services import check_file, store_attachment
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.errors import ActionForbidden
from greenbuild.imports import permissions
from greenbuild.imports.base import ImportRefused, error_workbook, open_rows, validate
from greenbuild.imports.models import ImportBatch, ImportStatus
from greenbuild.imports.organisations import IMPORTERS, check_initial_password
from greenbuild.imports.safety import check_workbook_archive

logger = logging.getLogger(__name__)

JOB_KIND = "imports.run"


def read_upload(uploaded_file: Any) -> bytes:
    """The upload's bytes once it passed the import policy (type by content, size, not encrypted)
    and the archive limits (no "zip bomb": ``safety.check_workbook_archive``). Nothing is parsed.

    Raises ``ValidationError`` with a message naming the file.
    """
    check_file(AttachmentKind.IMPORT, uploaded_file)
    if not str(uploaded_file.name).lower().endswith(".xlsx"):
        raise ValidationError(_("Only Excel workbooks (.xlsx) can be imported: save the file as .xlsx."))
    uploaded_file.seek(0)
    data: bytes = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        check_workbook_archive(data)
    except ImportRefused as refused:
        raise ValidationError(refused.message, code="refused") from None
    return data


@transaction.atomic
def submit_import(importer_name: str, *, actor: Any, uploaded_file: Any, initial_password: str = "") -> ImportBatch:
    """Accept a workbook for ``importer_name`` and queue its import as a background job (the
    workbook is parsed there, by a process under a memory cap, with progress on the batch's page).

    A file refused by the upload policy or the archive limits raises ``ValidationError`` (keyed
    ``workbook``) with nothing written."""
    permissions.require(actor, "run", importer_name)
    importer_class = IMPORTERS.get(importer_name)
    if importer_class is None:
        raise ValueError("unknown importer {!r}".format(importer_name))
    options: dict[str, Any] = {}
    if importer_name == "users":
        if not initial_password:
            raise ValidationError({"initial_password": _("Enter the initial password of the imported users.")})
        try:
            check_initial_password(initial_password)
        except ValidationError as error:
            raise ValidationError({"initial_password": error.messages}) from None
        options["password_hash"] = make_password(initial_password)
    try:
        read_upload(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"workbook": error.messages}) from None
    source = store_attachment(actor=actor, project=None, kind=AttachmentKind.IMPORT, uploaded_file=uploaded_file)
    batch = ImportBatch.objects.create(importer=importer_name, actor=actor, source=source, options=options)
    from greenbuild.jobs.services import start_job

    batch.job = start_job(JOB_KIND, actor=actor, params={"batch": batch.pk})
    batch.save(update_fields=["job"])
    return batch


def run_import(batch_id: int, *, actor: Any, report: Any = None) -> ImportBatch:
    """Check every row of the batch's workbook; write them all in one transaction, or none."""
    report = report or (lambda pct, message="": None)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("source").get(pk=batch_id)
        if batch.status not in (ImportStatus.QUEUED, ImportStatus.FAILED, ImportStatus.RUNNING):
            return batch
        if not permissions.can(actor, "run", batch):
            raise ActionForbidden()
        batch.status = ImportStatus.RUNNING
        batch.errors = []
        batch.save(update_fields=["status", "errors"])
    importer = IMPORTERS[batch.importer]()
    report(2, _("Reading the workbook"))
    with batch.source.file.open("rb") as handle:
        data = handle.read()
    try:
        check_workbook_archive(data)  # again: the stored file is what is parsed
        result = validate(importer, data, report=report)
    except ImportRefused as refused:
        return _finish(batch, ImportStatus.INVALID, errors=[[0, "", refused.message]])
    if result.errors:
        return _finish(batch, ImportStatus.INVALID, errors=[e.as_list() for e in result.errors], rows=result.total)
    report(80, _("Writing {count} rows").format(count=len(result.rows)))
    try:
        with transaction.atomic():
            created = importer.write([values for _n, values in result.rows], actor=actor, options=batch.options)
            record_event(EventKind.IMPORT, actor=actor, target=batch, importer=batch.importer, created=created)
    except ValidationError as error:  # a last check by the models: still nothing written
        return _finish(batch, ImportStatus.INVALID, errors=[[0, "", m] for m in error.messages], rows=result.total)
    except Exception:
        logger.exception("import %s failed while writing", batch.pk)
        return _finish(
            batch,
            ImportStatus.FAILED,
            errors=[[0, "", _("The import stopped because of an unexpected error: nothing was imported.")]],
        )
    return _finish(batch, ImportStatus.DONE, created=created, rows=result.total)


def _finish(
    batch: ImportBatch, status: str, *, errors: list[Any] | None = None, created: int = 0, rows: int | None = None
) -> ImportBatch:
    batch.status = status
    batch.errors = errors or []
    batch.created_count = created
    if rows is not None:
        batch.row_count = rows
    batch.finished_at = timezone.now()
    if status != ImportStatus.FAILED:  # a failed batch may be run again by its job's retry
        batch.options = {k: v for k, v in batch.options.items() if k != "password_hash"}
    batch.save()
    return batch


def error_report(batch: ImportBatch) -> bytes:
    """The error workbook of a refused batch (SEC-18): its rows as uploaded, each with its problems,
    and the list of problems. The stored workbook is read again by the capped reader; when it
    cannot be read at all, the report is the list alone.

    A batch refused as a whole (row 0: unreadable, over a limit, the reader out of memory or time,
    headers that match no column) has no rows to report: the list alone, without reading the
    workbook again (that read may have cost the job worker a minute; it must not cost a web worker
    a minute per download)."""
    if not batch.errors or any(not row for row, _column, _message in batch.errors):
        return error_workbook(batch.errors)
    with batch.source.file.open("rb") as handle:
        data = handle.read()
    try:
        check_workbook_archive(data)
        headers, rows, _total = open_rows(data)
    except ImportRefused:
        return error_workbook(batch.errors)
    try:
        return error_workbook(batch.errors, (headers, rows))
    except ImportRefused:  # stopped part-way (it was read once already, so hardly ever)
        return error_workbook(batch.errors)
    finally:
        rows.close()
