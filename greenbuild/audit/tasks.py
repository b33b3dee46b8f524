"""Job kinds of the audit app: a large export of the security audit log.

Registered at ready time (``AuditConfig.ready``), not at import: the jobs app reads accounts, which
audits its actions, so a module-level import of the job registry here would close an import cycle
between the apps (core/tests/test_import_cycles.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

AUDIT_EXPORT = "audit.export"


def may_export(user: Any, project: Any = None) -> bool:
    from greenbuild.audit import permissions

    return permissions.can(user, "export_audit")


def export_audit_log(job: Any, report: Any) -> Any:
    """The log as the reader's gate and filters give it, written to a file only they read."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment
    from greenbuild.audit import exports, permissions
    from greenbuild.audit.choices import EventKind
    from greenbuild.audit.filters import AuditEventFilterSet
    from greenbuild.audit.services import record_event

    query = QueryDict(str(job.params.get("query", "")))
    events = AuditEventFilterSet(query, queryset=permissions.events_for_user(job.actor)).qs
    report(10, _("Collecting the events"))
    count = events.count()
    data = exports.audit_workbook(events.iterator(chunk_size=2000))
    report(90, _("Writing the workbook"))
    record_event(EventKind.EXPORT, actor=job.actor, export="audit_log", filters=query.urlencode(), rows=count)
    return store_attachment(
        actor=job.actor,
        project=None,
        kind=AttachmentKind.REPORT,
        uploaded_file=ContentFile(data, name=exports.export_filename()),
    )


def register() -> None:
    from greenbuild.jobs.registry import job_kind

    job_kind(AUDIT_EXPORT, label=_("Security audit log (Excel)"), permitted=may_export)(export_audit_log)
