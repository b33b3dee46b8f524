"""Reads of the bulletins: the figures of a period, computed from live data (frozen by the job).

:func:`bulletin_figures` returns plain JSON: it is stored as a revision's ``content`` and the HTML
page, the PDF and the workbook are all made from it, so the three always agree and never change
once generated. The sections:

* ``districts``: progress per district against its quota (``dashboards.services.programme_overview``,
  the rule of the programme overview) and the programme phase on the period's last day;
* ``attainment``: per confirmed pilot, its declared targets against what it achieved — the completion
  evaluation's result where there is a final one (``completion.selectors.completion_results``), else
  the GB/T 50378 result of record and its R7 verdict (``scoring.selectors.results_of_record``);
* ``inspections`` and ``rectification``: ``inspections.selectors.inspection_stats`` for the period;
* ``ranking``: districts ranked by the rule in ``ranking.py`` (stored with the result).

A section whose source app is not there yet, or gives no figures, says so (``available: false``,
shown as "no data yet"); nothing stands in for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from greenbuild.bulletins.choices import BulletinKind
from greenbuild.bulletins.ranking import rank, rule_as_data

SCHEMA_VERSION = 1
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def period_bounds(kind: str, year: int, period: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month (``monthly``) or a quarter (``quarterly``)."""
    if kind == BulletinKind.QUARTERLY:
        if not 1 <= period <= 4:
            raise ValueError("quarter")
        first_month, months = 3 * (period - 1) + 1, 3
    else:
        if not 1 <= period <= 12:
            raise ValueError("month")
        first_month, months = period, 1
    start = dt.date(year, first_month, 1)
    next_month = first_month + months
    end = dt.date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def pct(numerator: int, denominator: int) -> float | None:
    """numerator / denominator × 100 with one decimal (half up), None when the denominator is 0."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _progress(programme: Any, as_of: dt.date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from greenbuild.dashboards.services import programme_overview
    from greenbuild.projects.models import Project

    overview = programme_overview(programme, Project.objects.all(), as_of)
    rows = []
    for row in overview.rows:
        required = sum(cell.required for cell in row.cells)
        counted = sum(min(cell.confirmed, cell.required) for cell in row.cells)
        rows.append(
            {
                "district_id": row.district.pk,
                "code": row.district.code,
                "name": row.district.name_zh,
                "name_en": row.district.name_en,
                "sort_order": row.district.sort_order,
                "required": required,
                "confirmed": row.confirmed_total,
                "candidates": row.candidate_total,
                "in_review": row.in_review,
                "quota_attainment_pct": pct(counted, required) if required else 100.0,
                "quota_met": row.quota_met,
                "shortfall": [c.name_zh for c in row.shortfall],
                "categories": [
                    {"name": cell.category.name_zh, "required": cell.required, "confirmed": cell.confirmed}
                    for cell in row.cells
                ],
            }
        )
    phase = overview.phase
    summary = {
        "confirmed_total": overview.confirmed_total,
        "candidate_total": overview.candidate_total,
        "min_pilots": overview.min_pilots,
        "city_minimum_met": overview.city_minimum_met,
        "districts": len(rows),
        "districts_meeting_quota": overview.districts_meeting_quota,
        "quota_deadline": overview.quota_deadline.isoformat() if overview.quota_deadline else None,
        "phase": (
            {
                "name": phase.name_zh,
                "name_en": phase.name_en,
                "starts_on": phase.starts_on.isoformat(),
                "ends_on": phase.ends_on.isoformat(),
                "days_left": (phase.ends_on - as_of).days,
            }
            if phase
            else None
        ),
    }
    return rows, summary


def _completion_results(projects: list[Any]) -> dict[int, Any] | None:
    try:
        from greenbuild.completion.selectors import completion_results
    except ImportError:  # the completion app is being written (issue 20 item 5)
        return None
    return completion_results(projects)


def _attainment(programme: Any) -> dict[str, Any]:
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project
    from greenbuild.scoring.selectors import results_of_record

    pilots = list(
        Project.objects.filter(programme=programme, status=ProjectStatus.CONFIRMED)
        .select_related("district")
        .order_by("district__sort_order", "district__code", "name", "pk")
    )
    records = results_of_record(pilots)
    completion = _completion_results(pilots)
    rows = []
    for project in pilots:
        record = records[project.pk]
        final = completion.get(project.pk) if completion else None
        if final is not None and not getattr(final, "is_final", False):
            final = None
        r7 = str(record.r7.status) if record.r7 is not None else UNKNOWN
        if final is not None:
            verdict = str(getattr(final, "verdict", "") or "")
            status = MET if verdict == MET else (NOT_MET if verdict == NOT_MET else UNKNOWN)
            source = "completion"
        else:
            status = {"pass": MET, "fail": NOT_MET}.get(r7, UNKNOWN)
            source = "gbt50378" if status != UNKNOWN else ""
        rows.append(
            {
                "project_id": project.pk,
                "name": project.name,
                "district_id": project.district_id,
                "district": project.district.name_zh,
                "target_star_level": project.target_star_level,
                "achieved_star_level": record.level,
                "r7": r7,
                "waste_target": _number(project.waste_target_t_per_10k_m2),
                "green_material_target": _number(project.green_material_target_pct),
                "completion_verdict": str(getattr(final, "verdict", "")) if final is not None else None,
                "completion_score": _number(getattr(final, "score", None)) if final is not None else None,
                "status": status,
                "source": source,
            }
        )
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in (MET, NOT_MET, UNKNOWN)}
    known = counts[MET] + counts[NOT_MET]
    return {
        "available": bool(rows) and known > 0,
        "completion_available": completion is not None,
        "pilots": len(rows),
        "met": counts[MET],
        "not_met": counts[NOT_MET],
        "unknown": counts[UNKNOWN],
        "met_pct": pct(counts[MET], known),
        "rows": rows,
    }


def _count(value: Any) -> int:
    """A count from the inspection figures: a number, or a breakdown (by severity, type) summed."""
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, bool) or value is None:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _inspection_stats(programme: Any, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    try:
        from greenbuild.inspections.selectors import inspection_stats
    except ImportError:  # the inspections app is being written (issue 20 item 2)
        return None
    from greenbuild.projects.models import Project

    stats = inspection_stats(projects=Project.objects.filter(programme=programme), start=start, end=end)
    # ``{"total": {...}, "districts": {district_id: {...}}, "projects": {...}}`` (inspections.selectors)
    return stats if isinstance(stats, dict) else None


INSPECTION_KEYS = ("inspections", "findings", "open_orders", "overdue_orders")


def _inspections(stats: dict[str, Any] | None, districts: list[dict[str, Any]]) -> dict[str, Any]:
    if stats is None:
        return {"available": False}
    totals_source = stats.get("total") or stats.get("totals") or {}
    totals = {key: _count(totals_source.get(key)) for key in INSPECTION_KEYS}
    by_district_source = stats.get("districts") or stats.get("by_district") or {}
    rows = []
    for district in districts:
        figures = by_district_source.get(district["district_id"]) or by_district_source.get(
            str(district["district_id"])
        )
        figures = figures if isinstance(figures, dict) else {}
        rows.append(
            {"district_id": district["district_id"], "name": district["name"]}
            | {key: _count(figures.get(key)) for key in INSPECTION_KEYS}
        )
    severity = totals_source.get("by_severity") or {}
    return {
        "available": True,
        "totals": totals,
        "findings_by_severity": {str(k): _count(v) for k, v in (severity or {}).items()},
        "rows": rows,
    }


def bulletin_figures(*, programme: Any, kind: str, start: dt.date, end: dt.date, report: Any = None) -> dict[str, Any]:
    """Every figure of the bulletin of ``programme`` for ``start``–``end``, as plain JSON."""
    step = report or (lambda pct, message="": None)
    as_of = min(end, timezone.localdate())
    step(15, "districts")
    districts, summary = _progress(programme, as_of)
    step(35, "attainment")
    attainment = _attainment(programme)
    per_district: dict[int, list[str]] = defaultdict(list)
    for row in attainment["rows"]:
        per_district[row["district_id"]].append(row["status"])
    step(50, "inspections")
    stats = _inspection_stats(programme, start, end)
    inspections = _inspections(stats, districts)
    overdue_by_district = {r["district_id"]: r["overdue_orders"] for r in inspections.get("rows", [])}
    for district in districts:
        statuses = per_district.get(district["district_id"], [])
        known = sum(1 for s in statuses if s != UNKNOWN)
        district["targets_met_pct"] = pct(sum(1 for s in statuses if s == MET), known)
        district["overdue_orders"] = (
            overdue_by_district.get(district["district_id"]) if inspections["available"] else None
        )
    rectification: dict[str, Any] = {"available": inspections["available"]}
    if inspections["available"]:
        rectification.update(
            open_orders=inspections["totals"]["open_orders"],
            overdue_orders=inspections["totals"]["overdue_orders"],
            rows=[
                {
                    "district_id": r["district_id"],
                    "name": r["name"],
                    "open_orders": r["open_orders"],
                    "overdue_orders": r["overdue_orders"],
                }
                for r in inspections["rows"]
            ],
        )
    step(60, "ranking")
    rule = rule_as_data(
        {"districts": True, "attainment": attainment["available"], "rectification": rectification["available"]}
    )
    return {
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "programme": {"code": programme.code, "name": programme.name_zh, "name_en": programme.name_en},
        "summary": summary,
        "districts": districts,
        "attainment": attainment,
        "inspections": inspections,
        "rectification": rectification,
        "ranking": {"rule": rule, "rows": rank(districts, rule)},
    }
