"""The security audit log page and its Excel export (audit administrator; docs/security.md).

Thin: gate, filter, page or export, render. The export takes the page's filters and the reader's
gate; above ``exports.INLINE_ROWS`` rows it is written by a background job.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.audit import exports, permissions
from greenbuild.audit.choices import EventKind
from greenbuild.audit.filters import KIND_GROUPS, AuditEventFilterSet
from greenbuild.audit.services import record_event, retention_days
from greenbuild.reports.excel import xlsx_response

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> AuditEventFilterSet:
    events = permissions.events_for_user(request.user)
    return AuditEventFilterSet(request.GET, queryset=events)


def _query(request: HttpRequest, **changes: str | list[str] | None) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if isinstance(value, list):
            query.setlist(key, value)
        elif value:
            query[key] = value
    return query.urlencode()


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = set(request.GET.getlist("kind"))
    groups = [
        {
            "label": label,
            "query": _query(request, kind=list(kinds)),
            "active": chosen == set(kinds),
        }
        for label, kinds in KIND_GROUPS
    ]
    return render(
        request,
        "audit/event_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": _query(request),
            "all_kinds_query": _query(request, kind=None),
            "kind_groups": groups,
            "chosen_kinds": chosen,
            "retention_days": retention_days(),
            "inline_rows": exports.INLINE_ROWS,
        },
    )


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as Excel: in the response, or by a job when it is large (POST)."""
    filterset = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect("{}?{}".format(reverse("audit:list"), _query(request)))
    events = filterset.qs
    count = events.count()
    if count > exports.INLINE_ROWS:
        messages.info(
            request,
            _("{count} events are too many to download at once: start the export in the background.").format(
                count=count
            ),
        )
        return redirect("{}?{}".format(reverse("audit:list"), _query(request)))
    record_event(EventKind.EXPORT, request=request, export="audit_log", filters=_query(request), rows=count)
    return xlsx_response(exports.audit_workbook(events.iterator(chunk_size=1000)), exports.export_filename())


@login_required
@require_POST
def event_export_start(request: HttpRequest) -> HttpResponse:
    """Start the export of the filtered log as a background job; its page shows the progress."""
    from greenbuild.audit.tasks import AUDIT_EXPORT
    from greenbuild.jobs.services import start_job

    filterset = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect("audit:list")
    job = start_job(AUDIT_EXPORT, actor=request.user, params={"query": _query(request)})
    return redirect("jobs:job-detail", pk=job.pk)
