"""The sections read from their own apps through the real services: the inspection and
rectification figures (``inspections``), the technologies chosen in a reviewed plan (``plans``)."""

import datetime as dt

import pytest
from django.utils import timezone

from greenbuild.summaries.selectors import summary_figures

pytestmark = pytest.mark.django_db


def test_inspection_figures_and_chosen_technologies(personas, filed_project, programme):
    from greenbuild.guidelines.models import GuidelineItem
    from greenbuild.inspections import services as inspections

    project = filed_project("confirmed", name="检查试点")  # its plan passed review: technologies chosen
    dan, today = personas["dan_district"], timezone.localdate()
    inspection = inspections.schedule_inspection(
        project=project, inspector=dan, due_on=today, actor=personas["bureau"], reason="定期检查"
    )
    inspections.transition_inspection(actor=dan, inspection_id=inspection.pk, action="start")
    for summary, severity, deadline in (
        ("裸土未覆盖", "major", today + dt.timedelta(days=7)),
        ("噪声超标", "minor", None),
    ):
        inspections.raise_finding(
            project=project,
            actor=dan,
            summary=summary,
            severity=severity,
            source="inspection",
            clause="GB/T 50905 4.2.1",
            inspection=inspection,
            deadline=deadline,
            instructions="整改" if deadline else "",
        )
    content = summary_figures(programme=programme, as_of=today + dt.timedelta(days=30))
    totals = content["inspections"]["totals"]
    assert (totals["findings"], totals["open_orders"], totals["overdue_orders"], totals["closed_orders"]) == (
        2,
        1,
        1,
        0,
    )
    assert {k: v for k, v in content["inspections"]["findings_by_severity"].items() if v} == {"major": 1, "minor": 1}
    district = next(r for r in content["inspections"]["rows"] if r["district_id"] == project.district_id)
    assert (district["findings"], district["overdue_orders"]) == (2, 1)

    technologies = content["technologies"]
    assert technologies["available"] is True and technologies["source"] == "plans"
    assert technologies["pilots_with_plan"] == 1
    assert [row["code"] for row in technologies["rows"]] == ["T-01", "T-04", "T-05", "T-10"]
    assert all(row["pilots"] == 1 and row["projects"] == ["检查试点"] for row in technologies["rows"])
    title = GuidelineItem.objects.filter(code="T-04", is_technology=True).values_list("text_zh", flat=True).first()
    assert technologies["rows"][1]["title"] == title
    # not completed: the requirements section is empty and the summary says so
    assert content["pilots"] == {"confirmed": 1, "completed": 0, "accepted": 0}
    assert content["warnings"] == ["no_completed_pilots"]
