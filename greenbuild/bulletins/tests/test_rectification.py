"""Inspection results and overdue rectification in a bulletin, from the inspections app's own
records (made through its services, with frozen time), and their weight in the ranking."""

import datetime as dt
import importlib.util

import pytest
import time_machine

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        importlib.util.find_spec("greenbuild.inspections.services") is None,
        reason="runs once the inspections app exists",
    ),
]


def test_an_overdue_order_counts_for_its_district_and_ranks_it_down(pilots, generate, personas):
    from greenbuild.inspections import services as inspections

    bureau = personas["bureau"]
    with time_machine.travel(dt.datetime(2021, 11, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        inspections.raise_finding(
            project=pilots["新北住宅一"],
            actor=bureau,
            summary="扬尘防治措施不到位",
            severity="major",
            source="other",
            deadline=dt.date(2021, 11, 20),
        )
        inspections.raise_finding(
            project=pilots["天宁住宅"], actor=bureau, summary="围挡破损", severity="minor", source="other"
        )
    c = generate().revisions.get().content
    assert c["inspections"]["available"] is True
    assert c["inspections"]["totals"]["findings"] == 2
    assert c["rectification"]["open_orders"] == 1 and c["rectification"]["overdue_orders"] == 1
    by_name = {r["name"]: r for r in c["rectification"]["rows"]}
    assert by_name["新北区"]["overdue_orders"] == 1 and by_name["天宁区"]["overdue_orders"] == 0
    assert c["inspections"]["findings_by_severity"] == {"minor": 1, "major": 1, "critical": 0}
    # 新北区 and 武进区 both attain 50 % of their quota: the overdue order ranks 新北区 after 武进区
    ranks = [(r["name"], r["rank"]) for r in c["ranking"]["rows"]]
    assert ranks[:3] == [("天宁区", 1), ("武进区", 2), ("新北区", 3)]
