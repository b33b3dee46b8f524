"""The three outputs of one bulletin revision, all made from its frozen ``content``: the HTML page
(templates ``bulletins/_content.html``), the PDF and the workbook (through ``reports``).

Bulletins are official documents of the bureau: the PDF and the workbook are made in Chinese
(zh-Hans) whatever the language of whoever generated them; the page follows the reader's language
for its headings (names of districts and pilots are kept as recorded).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from greenbuild.bulletins.choices import BulletinKind
from greenbuild.reports.excel import Sheet, build_workbook
from greenbuild.reports.pdf import render_pdf

DOCUMENT_LANGUAGE = "zh-hans"


def _star_label(code: str | None) -> str:
    from greenbuild.projects.choices import StarLevel

    if not code:
        return _("No data yet")
    try:
        return str(StarLevel(code).label)
    except ValueError:
        return code


def status_label(status: str) -> str:
    return {"met": _("Targets met"), "not_met": _("Targets not met")}.get(status, _("No data yet"))


def r7_label(status: str) -> str:
    return {"pass": _("Pass"), "fail": _("Fail")}.get(status, _("Not yet known"))


def source_label(source: str) -> str:
    return {"completion": _("Completion evaluation"), "gbt50378": _("GB/T 50378 result of record")}.get(source, "—")


def kind_label(kind: str) -> str:
    return str(BulletinKind(kind).label) if kind in BulletinKind.values else kind


def present(content: dict[str, Any]) -> dict[str, Any]:
    """The content with the labels a page, a PDF or a workbook shows (in the active language)."""
    if not content:
        return {}
    attainment = dict(content["attainment"])
    attainment["rows"] = [
        {
            **row,
            "target_label": _star_label(row["target_star_level"]),
            "achieved_label": _star_label(row["achieved_star_level"]),
            "r7_label": r7_label(row["r7"]),
            "status_label": status_label(row["status"]),
            "source_label": source_label(row["source"]),
        }
        for row in attainment["rows"]
    ]
    return {**content, "attainment": attainment, "kind_label": kind_label(content["kind"])}


def render_bulletin_pdf(bulletin: Any, revision_number: int, content: dict[str, Any]) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf(
            "bulletins/pdf/bulletin.html",
            {"bulletin": bulletin, "revision_number": revision_number, "c": present(content)},
            title=bulletin.title,
        )


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _or_dash(value: Any) -> Any:
    return "—" if value is None else value


def workbook_sheets(bulletin: Any, content: dict[str, Any]) -> list[Sheet]:
    """The workbook's sheets (in the active language): overview, districts, attainment, inspections
    and rectification, ranking and its rule."""
    c = present(content)
    summary = c["summary"]
    phase = summary.get("phase")
    no_data = _("No data yet")
    overview = Sheet(
        _("Bulletin overview"),
        [_("Item"), _("Value")],
        [
            [_("Bulletin"), bulletin.title],
            [_("Kind"), c["kind_label"]],
            [_("Period starts"), c["period"]["start"]],
            [_("Period ends"), c["period"]["end"]],
            [_("Figures as of"), c["as_of"]],
            [_("Programme"), c["programme"]["name"]],
            [_("Programme phase"), phase["name"] if phase else no_data],
            [_("Confirmed pilots"), summary["confirmed_total"]],
            [_("City-wide minimum of pilots"), summary["min_pilots"]],
            [_("Candidate pilots"), summary["candidate_total"]],
            [_("Districts meeting their quota"), summary["districts_meeting_quota"]],
            [_("Districts"), summary["districts"]],
        ],
    )
    districts = Sheet(
        _("Progress per district"),
        [
            _("District"),
            _("Quota (pilots)"),
            _("Confirmed pilots"),
            _("Candidate pilots"),
            _("In review"),
            _("Quota attainment (%)"),
            _("Quota met"),
            _("Categories still lacking"),
        ],
        [
            [
                d["name"],
                d["required"],
                d["confirmed"],
                d["candidates"],
                d["in_review"],
                d["quota_attainment_pct"],
                _yes_no(d["quota_met"]),
                "、".join(d["shortfall"]),
            ]
            for d in c["districts"]
        ],
    )
    attainment = Sheet(
        _("Target attainment per pilot"),
        [
            _("Pilot"),
            _("District"),
            _("Target green building level"),
            _("Achieved green building level"),
            _("R7 verdict"),
            _("Completion score"),
            _("Attainment"),
            _("Source"),
        ],
        [
            [
                r["name"],
                r["district"],
                r["target_label"],
                r["achieved_label"],
                r["r7_label"],
                _or_dash(r["completion_score"]),
                r["status_label"],
                r["source_label"],
            ]
            for r in c["attainment"]["rows"]
        ]
        or [[no_data]],
    )
    inspections = c["inspections"]
    if inspections["available"]:
        inspection_rows = [
            [r["name"], r["inspections"], r["findings"], r["open_orders"], r["overdue_orders"]]
            for r in inspections["rows"]
        ]
        totals = inspections["totals"]
        inspection_rows.append(
            [_("Total"), totals["inspections"], totals["findings"], totals["open_orders"], totals["overdue_orders"]]
        )
    else:
        inspection_rows = [[no_data]]
    inspection_sheet = Sheet(
        _("Inspection results"),
        [
            _("District"),
            _("Inspections"),
            _("Findings"),
            _("Open rectification orders"),
            _("Overdue rectification orders"),
        ],
        inspection_rows,
    )
    rule = c["ranking"]["rule"]
    applied = [criterion for criterion in rule["criteria"] if criterion["applied"]]
    ranking = Sheet(
        _("District ranking"),
        [_("Rank"), _("District"), *[criterion["label"] for criterion in applied]],
        [
            [r["rank"], r["name"], *[_or_dash(r["figures"].get(cr["key"])) for cr in applied]]
            for r in c["ranking"]["rows"]
        ],
    )
    rule_sheet = Sheet(
        _("Ranking rule"),
        [_("Order"), _("Criterion"), _("Direction"), _("Applied"), _("Explanation")],
        [
            [
                index,
                criterion["label"],
                _("Higher ranks first") if criterion["order"] == "desc" else _("Lower ranks first"),
                _yes_no(criterion["applied"]) if criterion["applied"] else _("Not applied: no data yet"),
                criterion["explanation"],
            ]
            for index, criterion in enumerate(rule["criteria"], start=1)
        ]
        + [["", _("Rule"), rule["code"], "", rule["ties"]]],
    )
    return [overview, districts, attainment, inspection_sheet, ranking, rule_sheet]


def render_bulletin_workbook(bulletin: Any, content: dict[str, Any]) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return build_workbook(workbook_sheets(bulletin, content))
