"""The three outputs of one summary revision, all made from its frozen ``content``: the HTML page
(``summaries/_sections.html``), the PDF and the workbook (through ``reports``).

The summary is an official document of the bureau: the PDF and the workbook are made in Chinese
(zh-Hans) whatever the language of whoever generated them; the page follows the reader's language
for its headings (names of districts, pilots and lessons are kept as recorded).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenbuild.reports.excel import Sheet, build_workbook
from greenbuild.reports.pdf import render_pdf
from greenbuild.summaries.choices import REQUIREMENTS
from greenbuild.summaries.selectors import NO_COMPLETED_PILOTS, NOT_LAST_PHASE

DOCUMENT_LANGUAGE = "zh-hans"


def outcome_label(status: str | None) -> str:
    return {
        "met": pgettext("summary outcome", "Met"),
        "missed": pgettext("summary outcome", "Missed"),
        "missing": pgettext("summary outcome", "Data missing"),
        "not_applicable": pgettext("summary outcome", "Not applicable"),
    }.get(status or "", "—")


def verdict_label(verdict: str | None) -> str:
    return {"met": _("Targets met"), "not_met": _("Targets not met"), "incomplete": _("Data missing")}.get(
        verdict or "", "—"
    )


def warning_label(code: str) -> str:
    return {
        NOT_LAST_PHASE: _(
            "The programme is not yet in its last phase (summary and evaluation): these figures are provisional."
        ),
        NO_COMPLETED_PILOTS: _("No pilot has completed its evaluation yet: there are no achieved values to summarise."),
    }.get(code, code)


def _shown(cell: dict[str, Any] | None) -> dict[str, str]:
    """A pilot's baseline and achieved values in the active language (stored as codes)."""
    from greenbuild.completion.selectors import shown_value

    if not cell:
        return {}
    indicator = cell.get("indicator", "")
    return {"target": shown_value(indicator, cell["target"]), "achieved": shown_value(indicator, cell["achieved"])}


def _in_english(value: Any) -> Any:
    """The content with every name that has an English form (``X_en`` beside ``X``: districts,
    categories, phases, the programme) in English; names recorded only in Chinese stay."""
    if isinstance(value, list):
        return [_in_english(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _in_english(item) for key, item in value.items()}
    for key in value:
        english = value.get(key + "_en") if isinstance(key, str) else None
        if english:
            out[key] = english
    return out


def _relabelled(lesson: dict[str, Any]) -> dict[str, Any]:
    """A lesson with its topic in the active language: the stored ``topic_label`` is in the
    language of whoever generated the revision (the English page showed 技术)."""
    from greenbuild.completion.choices import LessonTopic

    topic = lesson.get("topic")
    if topic in LessonTopic.values:
        return {**lesson, "topic_label": str(LessonTopic(topic).label)}
    return lesson


def _or_dash(value: Any) -> Any:
    return "—" if value is None else value


def present(content: dict[str, Any]) -> dict[str, Any]:
    """The content with the labels a page, a PDF or a workbook shows (in the active language)."""
    if not content:
        return {}
    english = (translation.get_language() or "").startswith("en")
    if english:
        content = _in_english(content)
    requirements = content["requirements"]
    titles = {c["requirement"]: c for c in requirements["criteria"]}

    def title(r: str) -> str:
        c = titles.get(r, {})
        return str((c.get("title_en") if english else c.get("title")) or r)

    totals = [{"requirement": r, "title": title(r), **requirements["totals"][r]} for r in REQUIREMENTS]

    def grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**row, "cells": [{"requirement": r, **row["requirements"][r]} for r in REQUIREMENTS]} for row in rows]

    pilot_rows = [
        {
            **row,
            "verdict_label": verdict_label(row["verdict"]),
            "cells": [
                {
                    "requirement": r,
                    **(row["requirements"][r] or {"target": "—", "achieved": "—", "status": None}),
                    **_shown(row["requirements"][r]),
                    "status_label": outcome_label((row["requirements"][r] or {}).get("status")),
                }
                for r in REQUIREMENTS
            ],
        }
        for row in requirements["rows"]
    ]
    return {
        **content,
        "lessons": {**content["lessons"], "rows": [_relabelled(row) for row in content["lessons"]["rows"]]},
        "warning_labels": [warning_label(w) for w in content["warnings"]],
        "requirement_codes": list(REQUIREMENTS),
        "requirement_totals": totals,
        "district_rows": grouped(requirements["by_district"]),
        "category_rows": grouped(requirements["by_category"]),
        "pilot_rows": pilot_rows,
    }


def render_summary_pdf(summary: Any, revision_number: int, content: dict[str, Any], draft: Any = None) -> bytes:
    """The summary's PDF; ``draft`` (the documents register's ``IssueDraft``) adds the number, the
    date and the verification code of the issued document."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf(
            "summaries/pdf/summary.html",
            {"summary": summary, "revision_number": revision_number, "c": present(content), "draft": draft},
            title=summary.title,
        )


def workbook_sheets(summary: Any, content: dict[str, Any]) -> list[Sheet]:
    """The workbook's sheets (in the active language)."""
    c = present(content)
    no_data = _("No data yet")
    overview = Sheet(
        _("Summary overview"),
        [_("Item"), _("Value")],
        [
            [_("Summary"), summary.title],
            [_("Programme"), c["programme"]["name"]],
            [_("Figures as of"), c["as_of"]],
            [_("Current phase"), c["phase"]["current"] or "—"],
            [_("Confirmed pilots"), c["pilots"]["confirmed"]],
            [_("Completed pilots"), c["pilots"]["completed"]],
            [_("Accepted pilots"), c["pilots"]["accepted"]],
            *[[_("Note"), text] for text in c["warning_labels"]],
        ],
    )
    count_headers = [_("Met"), _("Missed"), _("Data missing"), _("Not applicable"), _("Met (%)")]

    def counts(cell: dict[str, Any]) -> list[Any]:
        return [cell["met"], cell["missed"], cell["missing"], cell["not_applicable"], _or_dash(cell["met_pct"])]

    requirements = Sheet(
        _("Requirements R7–R14"),
        [_("Requirement"), _("Criterion"), *count_headers],
        [[t["requirement"], t["title"], *counts(t)] for t in c["requirement_totals"]],
    )

    def per_group(title: str, label: str, rows: list[dict[str, Any]]) -> Sheet:
        return Sheet(
            title,
            [label, _("Requirement"), *count_headers],
            [[row["name"], cell["requirement"], *counts(cell)] for row in rows for cell in row["cells"]] or [[no_data]],
        )

    pilots = Sheet(
        _("Baseline and achieved per pilot"),
        [_("Pilot"), _("District"), _("Category"), _("Requirement"), _("Baseline target"), _("Achieved"), _("Result")],
        [
            [
                row["name"],
                row["district"],
                row["category"],
                cell["requirement"],
                cell["target"],
                cell["achieved"],
                cell["status_label"],
            ]
            for row in c["pilot_rows"]
            for cell in row["cells"]
        ]
        or [[no_data]],
    )
    technologies = Sheet(
        _("Suitable technologies"),
        [_("Code"), _("Technology"), _("Pilots"), _("Pilots choosing it")],
        [[t["code"], t["title"], t["pilots"], "、".join(t["projects"])] for t in c["technologies"]["rows"]]
        + [[_("Source"), _("Chosen in the reviewed plans; adoption on site is not recorded.")]],
    )
    costs = c["costs"]
    cost_sheet = Sheet(
        _("Incremental costs"),
        [
            _("Pilot"),
            _("District"),
            _("Category"),
            _("Measures"),
            _("Incremental cost (yuan)"),
            _("Gross floor area (m²)"),
            _("Per m² (yuan)"),
        ],
        [
            [
                r["name"],
                r["district"],
                r["category"],
                r["measures"],
                r["total_yuan"],
                _or_dash(r["floor_area_m2"]),
                _or_dash(r["per_m2_yuan"]),
            ]
            for r in costs["rows"]
        ]
        + [
            [
                _("Total"),
                "",
                "",
                sum(r["measures"] for r in costs["rows"]),
                costs["total_yuan"],
                _or_dash(costs["floor_area_m2"]),
                _or_dash(costs["per_m2_yuan"]),
            ]
        ],
    )
    inspections = c["inspections"]
    totals = inspections["totals"]
    inspection_sheet = Sheet(
        _("Inspection and rectification"),
        [
            _("District"),
            _("Inspections"),
            _("Findings"),
            _("Open rectification orders"),
            _("Overdue rectification orders"),
            _("Closed rectification orders"),
        ],
        [
            [r["name"], r["inspections"], r["findings"], r["open_orders"], r["overdue_orders"], r["closed_orders"]]
            for r in inspections["rows"]
        ]
        + [
            [
                _("Total"),
                totals["inspections"],
                totals["findings"],
                totals["open_orders"],
                totals["overdue_orders"],
                totals["closed_orders"],
            ]
        ],
    )
    lessons = Sheet(
        _("Lessons learnt"),
        [_("Pilot"), _("District"), pgettext("lesson", "Topic"), pgettext("lesson", "Title"), _("Lesson")],
        [[r["project"], r["district"], r["topic_label"], r["title"], r["body"]] for r in c["lessons"]["rows"]]
        or [[no_data]],
    )
    recommendations = Sheet(
        _("Recommendations of the bureau"), [_("Recommendations of the bureau")], [[c["recommendations"] or no_data]]
    )
    return [
        overview,
        requirements,
        per_group(_("Requirements per district"), _("District"), c["district_rows"]),
        per_group(_("Requirements per category"), _("Category"), c["category_rows"]),
        pilots,
        technologies,
        cost_sheet,
        inspection_sheet,
        lessons,
        recommendations,
    ]


def render_summary_workbook(summary: Any, content: dict[str, Any]) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return build_workbook(workbook_sheets(summary, content))
