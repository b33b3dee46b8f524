"""Reading inspections: the counts by project, district, type and period (bulletins and completion
read :func:`inspection_stats`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.utils import timezone

from greenbuild.inspections.choices import FindingSource, OrderStatus, Severity
from greenbuild.inspections.models import Finding, Inspection, RectificationOrder


def _zero() -> dict[str, Any]:
    return {
        "inspections": 0,
        "findings": 0,
        "by_severity": {s: 0 for s in Severity.values},
        "by_source": {s: 0 for s in FindingSource.values},
        "open_orders": 0,
        "overdue_orders": 0,
        "closed_orders": 0,
    }


def _in_period(queryset: Any, field: str, start: dt.date | None, end: dt.date | None) -> Any:
    if start is not None:
        queryset = queryset.filter(
            **{"{}__date__gte".format(field) if field.endswith("_at") else field + "__gte": start}
        )
    if end is not None:
        queryset = queryset.filter(**{"{}__date__lte".format(field) if field.endswith("_at") else field + "__lte": end})
    return queryset


def inspection_stats(
    *, projects: Any = None, start: dt.date | None = None, end: dt.date | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Counts of inspections (submitted, by due date in the period), findings (recorded in the
    period; by severity and type), and rectification orders (issued in the period: still open,
    overdue as of ``as_of`` (today), closed), in total, per project id and per district id.

    ``{"total": {...}, "projects": {project_id: {...}}, "districts": {district_id: {...}}}``; each
    ``{...}`` holds ``inspections``, ``findings``, ``by_severity``, ``by_source``, ``open_orders``,
    ``overdue_orders``, ``closed_orders``."""
    as_of = as_of or timezone.localdate()
    inspections = _in_period(Inspection.objects.filter(status="submitted"), "due_on", start, end)
    findings = _in_period(Finding.objects.all(), "raised_at", start, end)
    orders = _in_period(RectificationOrder.objects.all(), "issued_at", start, end)
    if projects is not None:
        ids = projects.values("pk") if hasattr(projects, "values") else [getattr(p, "pk", p) for p in projects]
        inspections = inspections.filter(project__in=ids)
        findings = findings.filter(project__in=ids)
        orders = orders.filter(project__in=ids)
    total = _zero()
    per_project: dict[int, dict[str, Any]] = defaultdict(_zero)
    per_district: dict[int, dict[str, Any]] = defaultdict(_zero)

    def add(project_id: int, district_id: int, key: str, n: int, sub: str | None = None) -> None:
        for bucket in (total, per_project[project_id], per_district[district_id]):
            if sub is None:
                bucket[key] += n
            else:
                bucket[key][sub] = bucket[key].get(sub, 0) + n

    for row in inspections.values("project_id", "project__district_id").annotate(n=Count("pk")):
        add(row["project_id"], row["project__district_id"], "inspections", row["n"])
    for row in findings.values("project_id", "project__district_id", "severity", "source").annotate(n=Count("pk")):
        p, d = row["project_id"], row["project__district_id"]
        add(p, d, "findings", row["n"])
        add(p, d, "by_severity", row["n"], row["severity"])
        add(p, d, "by_source", row["n"], row["source"])
    for row in orders.values("project_id", "project__district_id", "status", "deadline").annotate(n=Count("pk")):
        p, d = row["project_id"], row["project__district_id"]
        if row["status"] == OrderStatus.CLOSED:
            add(p, d, "closed_orders", row["n"])
            continue
        add(p, d, "open_orders", row["n"])
        if row["status"] == OrderStatus.ISSUED and row["deadline"] < as_of:
            add(p, d, "overdue_orders", row["n"])
    return {"total": total, "projects": dict(per_project), "districts": dict(per_district)}


def stats_rows(stats: dict[str, Any], by: str) -> list[dict[str, Any]]:
    """Rows for the counts page and its workbook: per project or per district, with names."""
    from greenbuild.projects.models import Project
    from greenbuild.reference.models import District

    if by == "district":
        names = {d.pk: str(d) for d in District.objects.filter(pk__in=list(stats["districts"]))}
        source = stats["districts"]
    else:
        names = {p.pk: p.name for p in Project.objects.filter(pk__in=list(stats["projects"]))}
        source = stats["projects"]
    rows = [{"key": key, "name": names.get(key, "—"), **values} for key, values in source.items()]
    rows.sort(key=lambda r: (-r["overdue_orders"], -r["findings"], r["name"]))
    return rows
