"""Bulletin figures for a hand-made data set, computed by the job and frozen in a revision."""

import importlib.util

import pytest

from greenbuild.bulletins.choices import RevisionStatus
from greenbuild.bulletins.ranking import RANKING_RULE
from greenbuild.bulletins.selectors import pct, period_bounds

pytestmark = pytest.mark.django_db

INSPECTIONS_READY = importlib.util.find_spec("greenbuild.inspections.selectors") is not None


def test_periods():
    assert period_bounds("monthly", 2021, 2) == (
        __import__("datetime").date(2021, 2, 1),
        __import__("datetime").date(2021, 2, 28),
    )
    start, end = period_bounds("quarterly", 2021, 4)
    assert (start.isoformat(), end.isoformat()) == ("2021-10-01", "2021-12-31")
    assert pct(1, 3) == 33.3 and pct(2, 3) == 66.7 and pct(1, 0) is None


def test_figures_of_the_hand_made_data_set(pilots, generate):
    bulletin = generate()
    revision = bulletin.revisions.get()
    assert revision.status == RevisionStatus.READY, revision.job.error
    assert revision.job.status == "succeeded" and revision.job.progress == 100
    assert revision.job.result_id == revision.pdf_id
    c = revision.content
    assert c["period"] == {"start": "2021-11-01", "end": "2021-11-30"}
    assert c["summary"]["confirmed_total"] == 5
    assert c["summary"]["candidate_total"] == 1
    assert c["summary"]["districts"] == 7
    assert c["summary"]["districts_meeting_quota"] == 1
    assert c["summary"]["phase"] is not None  # the 2021 programme was running in November 2021
    by_code = {d["code"]: d for d in c["districts"]}
    assert (by_code["tianning"]["required"], by_code["tianning"]["confirmed"]) == (2, 2)
    assert by_code["tianning"]["quota_attainment_pct"] == 100.0 and by_code["tianning"]["quota_met"]
    assert by_code["wujin"]["quota_attainment_pct"] == 50.0 and by_code["wujin"]["candidates"] == 1
    assert by_code["xinbei"]["confirmed"] == 2 and by_code["xinbei"]["quota_attainment_pct"] == 50.0
    assert by_code["zhonglou"]["confirmed"] == 0 and by_code["zhonglou"]["quota_attainment_pct"] == 0.0

    # attainment per pilot: confirmed pilots only, none has a reviewed result yet
    rows = c["attainment"]["rows"]
    assert sorted(r["name"] for r in rows) == sorted(["天宁住宅", "天宁公建", "武进住宅", "新北住宅一", "新北住宅二"])
    assert all(r["target_star_level"] == "two_star" and r["status"] == "unknown" for r in rows)
    assert c["attainment"]["available"] is False

    # the ranking: the rule is stored with the result; criteria without data are not applied
    rule = c["ranking"]["rule"]
    assert rule["code"] == RANKING_RULE["code"]
    applied = [cr["key"] for cr in rule["criteria"] if cr["applied"]]
    if INSPECTIONS_READY:
        assert applied == ["quota_attainment_pct", "overdue_orders", "confirmed"]
    else:
        assert applied == ["quota_attainment_pct", "confirmed"]
    ranks = [(r["name"], r["rank"]) for r in c["ranking"]["rows"]]
    assert ranks[:3] == [("天宁区", 1), ("新北区", 2), ("武进区", 3)]
    assert {rank for _name, rank in ranks[3:]} == {4}  # equal figures share a rank


@pytest.mark.skipif(INSPECTIONS_READY, reason="the inspections app gives its figures now")
def test_inspections_without_their_app_say_no_data_yet(pilots, generate):
    c = generate().revisions.get().content
    assert c["inspections"] == {"available": False}
    assert c["rectification"] == {"available": False}
    assert all(d["overdue_orders"] is None for d in c["districts"])


@pytest.mark.skipif(not INSPECTIONS_READY, reason="runs once greenbuild.inspections.selectors exists")
def test_inspections_read_from_their_app(pilots, generate):
    c = generate().revisions.get().content
    assert c["inspections"]["available"] is True
    assert c["inspections"]["totals"]["overdue_orders"] == 0
    assert c["rectification"]["overdue_orders"] == 0


def test_a_revision_is_frozen_and_regenerating_makes_a_new_one(pilots, generate, regenerate, personas):
    from greenbuild.projects.models import Project

    bulletin = generate()
    first = bulletin.revisions.get()
    Project.objects.filter(name="武进公建").update(status="confirmed")  # the data changes
    second = regenerate(bulletin)
    assert second.number == 2 and second.status == RevisionStatus.READY
    first.refresh_from_db()
    assert first.content["summary"]["confirmed_total"] == 5
    assert second.content["summary"]["confirmed_total"] == 6
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        first.content = {}
        first.save()
