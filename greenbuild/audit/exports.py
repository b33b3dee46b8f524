"""The audit log as Excel: the rows the reader's gate and filters give, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.audit.describe import describe, target_text, target_type_label
from greenbuild.audit.models import AuditEvent
from greenbuild.reports.excel import Sheet, build_workbook

#: Up to this many rows the workbook is written in the request; more are written by a job.
INLINE_ROWS = 5000


def audit_sheet(events: Iterable[AuditEvent]) -> Sheet:
    headers = [
        _("Time"),
        _("Event"),
        _("User"),
        _("Network address"),
        _("Object type"),
        _("Object"),
        _("Details"),
    ]

    def rows() -> Iterator[list[Any]]:
        for event in events:
            yield [
                event.at,
                event.kind_label,
                event.username,
                event.remote_addr or "",
                target_type_label(event),
                target_text(event),
                describe(event),
            ]

    return Sheet(title=_("Security audit log"), headers=headers, rows=rows(), widths=[18, 18, 16, 18, 16, 40, 60])


def audit_workbook(events: Iterable[AuditEvent]) -> bytes:
    return build_workbook([audit_sheet(events)])


def export_filename() -> str:
    return "{}-{}.xlsx".format(_("security-audit-log"), timezone.localdate().isoformat())
