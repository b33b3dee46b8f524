"""The security audit log page (bureau administrator only). Thin: gate, filter, page, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from greenbuild.audit import permissions
from greenbuild.audit.filters import AuditEventFilterSet
from greenbuild.audit.services import retention_days

PAGE_SIZE = 50


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = permissions.events_for_user(request.user)
    filterset = AuditEventFilterSet(request.GET, queryset=events)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"filterset": filterset, "page": page, "query": query.urlencode(), "retention_days": retention_days()},
    )
