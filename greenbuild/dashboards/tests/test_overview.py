"""R1–R3: quotas, the city-wide minimum and representativeness, computed by hand for small cases."""

import datetime as dt

import pytest
from django.urls import reverse

from greenbuild.dashboards.services import programme_overview
from greenbuild.programmes.models import Programme
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(filed_project):
    return lambda name, status="confirmed", **fields: filed_project(status, name, **fields)


def overview_for(user, day=dt.date(2021, 9, 1)):
    programme = Programme.objects.get(code="changzhou-2021")
    return programme_overview(programme, Project.objects.for_user(user, "view"), day)


def row(overview, district_code):
    return next(r for r in overview.rows if r.district.code == district_code)


def test_r3_a_district_with_only_a_real_estate_pilot_falls_short(pilot, bureau):
    pilot("天宁住宅", category="real-estate")
    tianning = row(overview_for(bureau), "tianning")
    assert [(c.category.code, c.confirmed, c.met) for c in tianning.cells] == [
        ("real-estate", 1, True),
        ("government-public", 0, False),
    ]
    assert not tianning.quota_met
    assert [c.code for c in tianning.shortfall] == ["government-public"]


def test_r3_a_district_with_both_kinds_of_pilot_meets_its_quota(pilot, bureau):
    pilot("天宁住宅", category="real-estate")
    pilot("天宁学校", category="government-public")
    overview = overview_for(bureau)
    assert row(overview, "tianning").quota_met
    assert overview.districts_meeting_quota == 1
    assert not row(overview, "wujin").quota_met


def test_r3_candidates_withdrawn_and_rejected_projects_do_not_meet_the_quota(pilot, bureau):
    pilot("候选住宅", status="candidate", category="real-estate")
    pilot("撤回学校", status="withdrawn", category="government-public")
    pilot("落选学校", status="rejected", category="government-public")
    tianning = row(overview_for(bureau), "tianning")
    assert [(c.confirmed, c.candidates) for c in tianning.cells] == [(0, 1), (0, 0)]
    assert not tianning.quota_met
    assert (tianning.confirmed_total, tianning.candidate_total) == (0, 1)


def test_r1_the_city_wide_count_and_both_kinds_of_project(pilot, bureau):
    pilot("住宅一", category="real-estate")
    pilot("学校一", category="government-public")
    pilot("候选二", status="candidate", category="real-estate")
    pilot("撤回三", status="withdrawn", category="real-estate")
    overview = overview_for(bureau)
    assert (overview.confirmed_total, overview.candidate_total, overview.min_pilots) == (2, 1, 10)
    assert overview.pilots_still_needed == 8
    assert not overview.city_minimum_met
    assert overview.top_categories == {"房屋建筑": 2, "市政基础设施": 0}
    assert not overview.both_kinds_covered


def test_r1_representativeness_lists_covered_and_missing_structures_and_uses(pilot, bureau):
    from greenbuild.reference.models import BuildingUse, StructureMaterial

    pilot(
        "钢结构学校",
        category="government-public",
        structure_material=StructureMaterial.objects.get(code="steel"),
        use=BuildingUse.objects.get(code="school"),
    )
    pilot("混凝土住宅", category="real-estate")  # concrete, residential
    pilot("候选木结构", status="candidate", structure_material=StructureMaterial.objects.get(code="timber"))
    overview = overview_for(bureau)
    assert [s.code for s in overview.structures.covered] == ["concrete", "steel"]
    assert [s.code for s in overview.structures.missing] == ["timber", "hybrid"]
    assert {u.code for u in overview.uses.covered} == {"residential", "school"}


def test_r2_the_current_phase_and_days_left(bureau):
    assert overview_for(bureau, dt.date(2021, 6, 20)).phase.name_zh == "部署启动"
    assert overview_for(bureau, dt.date(2021, 6, 20)).days_left_in_phase == 10
    assert overview_for(bureau, dt.date(2023, 10, 1)).phase.name_zh == "总结评估"
    assert overview_for(bureau, dt.date(2024, 1, 1)).phase is None
    assert overview_for(bureau, dt.date(2022, 1, 1)).quota_overdue
    assert not overview_for(bureau, dt.date(2021, 12, 31)).quota_overdue


def test_the_overview_counts_only_what_the_viewer_may_see(pilot, personas):
    pilot("天宁草稿", status="draft")
    pilot("天宁申报", status="submitted")
    pilot("天宁试点", status="confirmed")
    # A district official of another district sees only the published (confirmed) pilot.
    wu = overview_for(personas["wu_district"])
    assert (wu.confirmed_total, row(wu, "tianning").in_review) == (1, 0)
    assert row(overview_for(personas["dan_district"]), "tianning").in_review == 1


def test_the_overview_page_renders_the_chart_from_local_static_files(client, pilot, bureau):
    pilot("天宁住宅", category="real-estate")
    client.force_login(bureau)
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/echarts/echarts-6.1.0.min.js" in html
    assert 'id="chart-data"' in html
    assert "天宁区" in html
