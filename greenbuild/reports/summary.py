"""A project's standards summary (R7–R14, star level, assembly rates, waste, materials, carbon) as a PDF.

The figures are the ones the standards page shows (``scoring.figures``); this module only reads
them and lays them out.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from greenbuild.projects.choices import StarLevel
from greenbuild.reports.charts import bar_chart_svg, svg_data_uri
from greenbuild.reports.pdf import render_pdf
from greenbuild.scoring import messages
from greenbuild.scoring.figures import latest_building_runs, pilot_checks
from greenbuild.scoring.selectors import current_runs, result_of_record


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def star_label(run: Any, *, claims_pending: bool = False) -> str:
    if run is None:
        if claims_pending:
            return _("No reviewed result yet: the star level and R7 are not yet known.")
        return _("No scorecard scored yet.")
    level = run.result.get("level")
    if level in StarLevel.values:
        return capfirst(messages.label("level", level))  # as the standards page words it
    return str(run.result.get("level_title", ""))


def summary_context(project: Any) -> dict[str, Any]:
    latest = current_runs(project)
    building_runs = latest_building_runs(project)
    record = result_of_record(project)  # the same result of record as the page, open data and API
    star = record.official
    buildings = [(b, building_runs.get(b.pk)) for b in project.buildings.all()]
    assembly = [(b.name, _number(run.result.get("assembly_rate_pct"))) for b, run in buildings if run]
    rated = [(name, value) for name, value in assembly if value is not None]
    charts = {}
    if rated:
        charts["assembly"] = svg_data_uri(
            bar_chart_svg(
                [name for name, _v in rated],
                [value for _n, value in rated],
                title=_("Assembly rate per building"),
                unit="%",
                reference=50,
                reference_label=_("prefabricated from 50 %"),
            )
        )
    carbon = latest.get("carbon")
    if carbon:
        stages = [
            ("A1–A3", _number(carbon.result.get("a1_a3_kgco2e_per_m2"))),
            ("A4", _number(carbon.result.get("a4_kgco2e_per_m2"))),
            ("A5", _number(carbon.result.get("a5_kgco2e_per_m2"))),
        ]
        parts = [(label, value) for label, value in stages if value is not None]
        if parts:
            charts["carbon"] = svg_data_uri(
                bar_chart_svg(
                    [label for label, _v in parts],
                    [value for _l, value in parts],
                    title=_("Embodied carbon by stage"),
                    unit="kgCO2e/m²",
                )
            )
    return {
        "project": project,
        "checks": pilot_checks(project, latest, building_runs),
        "star": star,
        "star_label": star_label(star, claims_pending=record.pending is not None),
        "record": record,
        "pending_label": star_label(record.pending) if record.pending else "",
        "buildings": buildings,
        "waste": latest.get("waste"),
        "materials": latest.get("green-materials"),
        "carbon": carbon,
        "charts": charts,
        "generated_at": timezone.localtime(),
    }


def render_standards_summary(project: Any, *, report: Any = None) -> bytes:
    """The PDF bytes, in the active language. ``report(pct, message)`` hears of the progress."""
    report = report or (lambda pct, message="": None)
    report(10, _("Collecting the figures"))
    context = summary_context(project)
    report(50, _("Laying out the pages"))
    title = _("Standards summary")
    pdf = render_pdf("reports/pdf/standards_summary.html", context, title=title)
    report(90, _("Saving the file"))
    return pdf
