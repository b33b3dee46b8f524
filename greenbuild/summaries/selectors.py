"""Reads of the programme summary: its figures, gathered from live data (frozen by the job).

:func:`summary_figures` returns plain JSON: it is stored as a revision's ``content``, and the page,
the PDF and the workbook are all made from it, so the three always agree and never change once
generated. Every section reads the app that owns its data, through that app's own reading function:

* ``requirements``: R7–R14 across the completed pilots (baseline target and achieved value per
  pilot; met / missed / missing / not applicable counted in total, per district and per category),
  from ``completion.selectors.completion_results`` (the completion evaluation of record, whose
  comparison rows carry the requirement each criterion serves). A pilot counts as completed when
  its evaluation is final (the bureau's conclusion recorded);
* ``technologies``: the suitable technologies (适宜技术, R21) chosen in each pilot's reviewed plan
  (``plans.selectors.passed_plan``). No source records which were adopted on site, so the section
  says so (``source: "plans"``) and shows what exists;
* ``costs``: the incremental costs (增量成本) each owner reported (``completion.selectors.cost_summary``);
* ``inspections``: ``inspections.selectors.inspection_stats`` over the whole programme;
* ``lessons``: each pilot's lessons (经验总结, ``completion.selectors.lessons_of``);
* ``recommendations``: the bureau's text, as it stood when the revision was generated.

``warnings`` says when the summary is drafted early: the programme not yet in its last phase
(``not_last_phase``), or no pilot completed (``no_completed_pilots``). The summary is still drafted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from greenbuild.summaries.choices import REQUIREMENTS

SCHEMA_VERSION = 1
MET, MISSED, MISSING, NOT_APPLICABLE = "met", "missed", "missing", "not_applicable"
OUTCOMES = (MET, MISSED, MISSING, NOT_APPLICABLE)
NOT_LAST_PHASE = "not_last_phase"
NO_COMPLETED_PILOTS = "no_completed_pilots"


def pct(numerator: int, denominator: int) -> float | None:
    """numerator / denominator × 100 with one decimal (half up), None when the denominator is 0."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def money(value: Decimal | None) -> float | None:
    """Yuan with two decimals (half up), as a JSON number."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _phase(programme: Any, as_of: dt.date) -> dict[str, Any]:
    phases = sorted(programme.phases.all(), key=lambda p: p.order)
    last = phases[-1] if phases else None
    current = programme.phase_on(as_of)
    return {
        "current": current.name_zh if current else None,
        "current_en": current.name_en if current else None,
        "last": last.name_zh if last else None,
        "last_en": last.name_en if last else None,
        "last_starts_on": last.starts_on.isoformat() if last else None,
        "last_ends_on": last.ends_on.isoformat() if last else None,
        "in_last_phase": bool(last and as_of >= last.starts_on),
    }


def _criteria() -> list[dict[str, Any]]:
    """The requirement each criterion of the current evaluation scheme serves, in R7–R14 order."""
    from greenbuild.completion.services import current_scheme

    scheme = current_scheme()
    by_requirement = {}
    for criterion in scheme.criteria if scheme else []:
        requirement = criterion.get("requirement") or ""
        if requirement in REQUIREMENTS and requirement not in by_requirement:
            by_requirement[requirement] = {
                "requirement": requirement,
                "indicator": criterion.get("indicator", ""),
                "title": criterion.get("title_zh") or requirement,
                "title_en": criterion.get("title_en") or requirement,
            }
    return [by_requirement.get(r, {"requirement": r, "indicator": "", "title": r, "title_en": r}) for r in REQUIREMENTS]


def _empty_counts() -> dict[str, Any]:
    return {key: 0 for key in OUTCOMES}


def _finish(counts: dict[str, Any]) -> dict[str, Any]:
    judged = counts[MET] + counts[MISSED]
    return {**counts, "pilots": sum(counts[k] for k in OUTCOMES), "met_pct": pct(counts[MET], judged)}


def _requirements(pilots: list[Any], results: dict[int, Any]) -> dict[str, Any]:
    criteria = _criteria()
    rows = []
    totals: dict[str, dict[str, int]] = {r: _empty_counts() for r in REQUIREMENTS}
    by_district: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {r: _empty_counts() for r in REQUIREMENTS})
    by_category: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {r: _empty_counts() for r in REQUIREMENTS})
    districts: dict[int, Any] = {}
    categories: dict[int, Any] = {}
    for project in pilots:
        result = results.get(project.pk)
        if result is None or not result.is_final:
            continue
        districts[project.district_id] = project.district
        categories[project.category_id] = project.category
        cells: dict[str, dict[str, Any]] = {}
        for row in result.rows:
            requirement = row.get("requirement") or ""
            if requirement not in REQUIREMENTS or requirement in cells:
                continue
            status = row.get("status") if row.get("status") in OUTCOMES else MISSING
            cells[requirement] = {
                "indicator": row.get("indicator", ""),
                "target": row.get("target", "—"),
                "achieved": row.get("achieved", "—"),
                "status": status,
            }
            for bucket in (totals, by_district[project.district_id], by_category[project.category_id]):
                bucket[requirement][status] += 1
        rows.append(
            {
                "project_id": project.pk,
                "name": project.name,
                "district_id": project.district_id,
                "district": project.district.name_zh,
                "district_en": project.district.name_en,
                "category_id": project.category_id,
                "category": project.category.name_zh,
                "category_en": project.category.name_en,
                "verdict": result.verdict,
                "accepted": result.accepted,
                "score": None if result.score is None else float(result.score),
                "requirements": {r: cells.get(r) for r in REQUIREMENTS},
            }
        )

    def table(keyed: dict[int, Any], names: dict[int, Any]) -> list[dict[str, Any]]:
        ordered = sorted(names.values(), key=lambda o: (getattr(o, "sort_order", 0), o.code))
        return [
            {
                "id": o.pk,
                "code": o.code,
                "name": o.name_zh,
                "name_en": o.name_en,
                "requirements": {r: _finish(keyed[o.pk][r]) for r in REQUIREMENTS},
            }
            for o in ordered
        ]

    return {
        "available": bool(rows),
        "criteria": criteria,
        "totals": {r: _finish(totals[r]) for r in REQUIREMENTS},
        "by_district": table(by_district, districts),
        "by_category": table(by_category, categories),
        "rows": rows,
    }


def _technologies(pilots: list[Any]) -> dict[str, Any]:
    from greenbuild.guidelines.models import GuidelineItem
    from greenbuild.plans.selectors import passed_plan

    chosen: dict[str, list[str]] = defaultdict(list)
    with_plan = 0
    for project in pilots:
        found = passed_plan(project)
        if found is None:
            continue
        with_plan += 1
        _plan, version, _round = found
        for code in sorted(set((version.data or {}).get("technologies") or [])):
            chosen[code].append(project.name)
    titles: dict[str, str] = {}
    for item in GuidelineItem.objects.filter(is_technology=True, code__in=list(chosen)).order_by("-guideline_id"):
        titles.setdefault(item.code, item.text_zh)
    rows = [
        {"code": code, "title": titles.get(code, code), "pilots": len(names), "projects": names}
        for code, names in sorted(chosen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return {
        "available": bool(rows),
        "source": "plans",  # adoption on site has no record: what the reviewed plans chose
        "pilots_with_plan": with_plan,
        "rows": rows,
    }


def _costs(pilots: list[Any]) -> dict[str, Any]:
    from greenbuild.completion.selectors import cost_summary

    rows: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    total = Decimal(0)
    area = Decimal(0)
    for project in pilots:
        summary = cost_summary(project)
        if not summary.rows:
            continue
        total += summary.total_yuan
        if summary.floor_area_m2:
            area += summary.floor_area_m2
        rows.append(
            {
                "project_id": project.pk,
                "name": project.name,
                "district": project.district.name_zh,
                "district_en": project.district.name_en,
                "category": project.category.name_zh,
                "category_en": project.category.name_en,
                "measures": len(summary.rows),
                "total_yuan": money(summary.total_yuan),
                "floor_area_m2": money(summary.floor_area_m2),
                "per_m2_yuan": money(summary.per_m2_yuan),
            }
        )
        measures.extend(
            {
                "project": project.name,
                "measure": cost.measure,
                "guideline_code": cost.guideline_code,
                "amount_yuan": money(cost.amount_yuan),
            }
            for cost in summary.rows
        )
    return {
        "available": bool(rows),
        "rows": rows,
        "measures": measures,
        "total_yuan": money(total),
        "floor_area_m2": money(area) if area else None,
        "per_m2_yuan": money(total / area) if area else None,
    }


INSPECTION_KEYS = ("inspections", "findings", "open_orders", "overdue_orders", "closed_orders")


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, bool) or value is None:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _inspections(programme: Any, as_of: dt.date) -> dict[str, Any]:
    from greenbuild.inspections.selectors import inspection_stats
    from greenbuild.projects.models import Project

    stats = inspection_stats(projects=Project.objects.filter(programme=programme), as_of=as_of)
    total = stats.get("total") or {}
    per_district = stats.get("districts") or {}
    rows = []
    for district in programme.districts.all().order_by("sort_order", "code"):
        figures = per_district.get(district.pk) or {}
        rows.append(
            {"district_id": district.pk, "name": district.name_zh, "name_en": district.name_en}
            | {key: _count(figures.get(key)) for key in INSPECTION_KEYS}
        )
    return {
        "available": True,
        "totals": {key: _count(total.get(key)) for key in INSPECTION_KEYS},
        "findings_by_severity": {str(k): _count(v) for k, v in (total.get("by_severity") or {}).items()},
        "rows": rows,
    }


def _lessons(pilots: list[Any]) -> dict[str, Any]:
    from greenbuild.completion.choices import LessonTopic
    from greenbuild.completion.selectors import lessons_of

    rows = []
    for project in pilots:
        for lesson in lessons_of(project):
            rows.append(
                {
                    "id": lesson.pk,
                    "project_id": project.pk,
                    "project": project.name,
                    "district": project.district.name_zh,
                    "district_en": project.district.name_en,
                    "topic": lesson.topic,
                    "topic_label": str(LessonTopic(lesson.topic).label) if lesson.topic in LessonTopic.values else "",
                    "title": lesson.title,
                    "body": lesson.body,
                }
            )
    return {"available": bool(rows), "rows": rows}


def confirmed_pilots(programme: Any) -> list[Any]:
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    return list(
        Project.objects.filter(programme=programme, status=ProjectStatus.CONFIRMED)
        .select_related("district", "category")
        .order_by("district__sort_order", "district__code", "name", "pk")
    )


def summary_figures(
    *, programme: Any, recommendations: str = "", as_of: dt.date | None = None, report: Any = None
) -> dict[str, Any]:
    """Every figure of the summary of ``programme`` as plain JSON (see the module's docstring)."""
    from greenbuild.completion.selectors import completion_results

    step = report or (lambda pct, message="": None)
    as_of = as_of or timezone.localdate()
    step(10, "pilots")
    pilots = confirmed_pilots(programme)
    results = completion_results(pilots)
    completed = [p for p in pilots if results.get(p.pk) is not None and results[p.pk].is_final]
    step(25, "requirements")
    requirements = _requirements(pilots, results)
    step(40, "technologies")
    technologies = _technologies(pilots)
    step(50, "costs")
    costs = _costs(pilots)
    step(55, "inspections")
    inspections = _inspections(programme, as_of)
    lessons = _lessons(pilots)
    phase = _phase(programme, as_of)
    warnings = []
    if not phase["in_last_phase"]:
        warnings.append(NOT_LAST_PHASE)
    if not completed:
        warnings.append(NO_COMPLETED_PILOTS)
    return {
        "schema": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "programme": {"code": programme.code, "name": programme.name_zh, "name_en": programme.name_en},
        "phase": phase,
        "warnings": warnings,
        "pilots": {
            "confirmed": len(pilots),
            "completed": len(completed),
            "accepted": sum(1 for p in completed if results[p.pk].accepted),
        },
        "requirements": requirements,
        "technologies": technologies,
        "costs": costs,
        "inspections": inspections,
        "lessons": lessons,
        "recommendations": recommendations,
    }


def lessons_of_summary(summary: Any) -> Any:
    """The lessons a change to the next guideline edition may cite: those of the programme's pilots,
    the confirmed projects the summary reports (not a draft, withdrawn or rejected candidate's)."""
    from greenbuild.completion.models import Lesson
    from greenbuild.projects.choices import ProjectStatus

    return (
        Lesson.objects.filter(project__programme=summary.programme, project__status=ProjectStatus.CONFIRMED)
        .select_related("project")
        .order_by("project__name", "pk")
    )
