"""Summary figures for a hand-made data set: each requirement R7–R14 across the completed pilots,
per district and per category; costs, lessons, technologies and inspections; the warnings."""

import datetime as dt

import pytest

from greenbuild.summaries.choices import RevisionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(pilots, draft):
    summary = draft()
    revision = summary.revisions.get()
    assert revision.status == RevisionStatus.READY, revision.job.error
    assert revision.job.status == "succeeded" and revision.job.progress == 100
    assert revision.job.result_id == revision.pdf_id
    return revision.content


def test_requirement_totals_across_the_completed_pilots(content):
    assert content["pilots"] == {"confirmed": 4, "completed": 3, "accepted": 2}
    assert content["warnings"] == []  # 2026: the 2021 programme is past the start of its last phase
    totals = content["requirements"]["totals"]
    expected = {  # (met, missed, missing, not applicable, met %)
        "R7": (2, 1, 0, 0, 66.7),
        "R8": (2, 0, 0, 1, 100.0),
        "R9": (2, 1, 0, 0, 66.7),
        "R10": (2, 1, 0, 0, 66.7),
        "R11": (2, 0, 1, 0, 100.0),
        "R12": (2, 1, 0, 0, 66.7),
        "R13": (2, 0, 0, 1, 100.0),
        "R14": (3, 0, 0, 0, 100.0),
    }
    got = {r: (t["met"], t["missed"], t["missing"], t["not_applicable"], t["met_pct"]) for r, t in totals.items()}
    assert got == expected
    assert all(t["pilots"] == 3 for t in totals.values())
    titles = {c["requirement"]: c["title"] for c in content["requirements"]["criteria"]}
    assert titles["R9"].startswith("装配率")


def test_requirements_per_district_and_category(content):
    districts = {row["code"]: row["requirements"] for row in content["requirements"]["by_district"]}
    assert set(districts) == {"tianning", "wujin"}
    assert (districts["tianning"]["R7"]["met"], districts["tianning"]["R7"]["missed"]) == (1, 1)
    assert districts["tianning"]["R7"]["met_pct"] == 50.0
    assert (districts["wujin"]["R10"]["met"], districts["wujin"]["R10"]["missed"]) == (0, 1)
    assert districts["wujin"]["R13"]["not_applicable"] == 1 and districts["wujin"]["R13"]["met_pct"] is None
    categories = {row["code"]: row["requirements"] for row in content["requirements"]["by_category"]}
    assert set(categories) == {"real-estate", "government-public"}
    assert (categories["real-estate"]["R10"]["met"], categories["real-estate"]["R10"]["missed"]) == (1, 1)
    assert categories["real-estate"]["R7"]["met_pct"] == 100.0
    assert categories["government-public"]["R11"]["missing"] == 1


def test_baseline_and_achieved_per_pilot(content):
    rows = {row["name"]: row for row in content["requirements"]["rows"]}
    assert set(rows) == {"天宁住宅", "天宁公建", "武进住宅"}  # 新北住宅's evaluation is not final
    assert rows["天宁住宅"]["requirements"]["R7"] == {
        "indicator": "star_level",
        "target": "二星级",
        "achieved": "三星级",
        "status": "met",
    }
    assert rows["天宁公建"]["requirements"]["R11"]["status"] == "missing"
    assert rows["天宁公建"]["verdict"] == "not_met" and rows["天宁公建"]["accepted"] is False


def test_costs_lessons_technologies_and_inspections(content, pilots):
    from decimal import Decimal

    from greenbuild.inspections.selectors import inspection_stats
    from greenbuild.projects.models import Project

    costs = content["costs"]
    assert costs["total_yuan"] == 180000.5
    by_pilot = {r["name"]: r for r in costs["rows"]}
    assert by_pilot["天宁住宅"]["measures"] == 2 and by_pilot["天宁住宅"]["total_yuan"] == 150000.5
    area = pilots["天宁住宅"].total_gfa_m2
    assert by_pilot["天宁住宅"]["per_m2_yuan"] == float((Decimal("150000.50") / area).quantize(Decimal("0.01")))
    assert sorted(m["measure"] for m in costs["measures"]) == sorted(["装配式内装", "扬尘在线监测", "铝模体系"])
    lessons = content["lessons"]["rows"]
    assert sorted((lesson["project"], lesson["title"]) for lesson in lessons) == [
        ("天宁住宅", "装配式装修前置策划"),
        ("武进住宅", "建筑垃圾分类计量"),
    ]
    # no reviewed plan among the hand-made pilots: the section says what its source is, and is empty
    assert content["technologies"] == {"available": False, "source": "plans", "pilots_with_plan": 0, "rows": []}
    stats = inspection_stats(projects=Project.objects.filter(programme__code="changzhou-2021"))
    assert content["inspections"]["totals"]["findings"] == stats["total"]["findings"]
    assert {r["name"] for r in content["inspections"]["rows"]} >= {"天宁区", "武进区", "新北区"}
    assert content["recommendations"] == "建议一：推广装配式装修。"


def test_a_programme_not_in_its_last_phase_and_without_completed_pilots_still_drafts_and_says_so(draft):
    from greenbuild.programmes.models import Phase, Programme

    future = Programme.objects.create(
        code="future-2031", name_zh="未来试点", name_en="Future", city="常州市", min_pilots=1
    )
    Phase.objects.create(
        programme=future,
        order=1,
        name_zh="总结评估",
        name_en="Review",
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 12, 31),
    )
    summary = draft(of=future)
    content = summary.revisions.get().content
    assert summary.status == "draft"
    assert content["warnings"] == ["not_last_phase", "no_completed_pilots"]
    assert content["requirements"]["available"] is False


def test_a_revision_is_frozen_and_regenerating_makes_a_new_one(pilots, draft, regenerate):
    from django.core.exceptions import ValidationError

    from greenbuild.completion.models import CompletionEvaluation

    summary = draft()
    first = summary.revisions.get()
    CompletionEvaluation.objects.filter(project=pilots["新北住宅"]).update(status="accepted", verdict="met")
    second = regenerate(summary)
    assert second.number == 2 and second.status == RevisionStatus.READY
    first.refresh_from_db()
    assert first.content["pilots"]["completed"] == 3
    assert second.content["pilots"]["completed"] == 4
    with pytest.raises(ValidationError):
        first.content = {}
        first.save()


def test_the_english_page_names_districts_and_categories_in_english(content):
    """Names recorded in both languages (districts, categories, the programme) follow the reader."""
    from django.utils import translation

    from greenbuild.reference.models import District
    from greenbuild.summaries.render import present

    with translation.override("en"):
        shown = present(content)
    english = set(District.objects.values_list("name_en", flat=True))
    assert {row["name"] for row in shown["district_rows"]} <= english
    assert all(row["district"] in english for row in shown["pilot_rows"])
    with translation.override("zh-hans"):
        shown = present(content)
    assert {row["name"] for row in shown["district_rows"]} <= set(District.objects.values_list("name_zh", flat=True))


def test_a_pilots_values_are_shown_in_the_readers_language():
    """Stored as codes ("two_star", "EPC no / consulting yes", "construction, design"), shown in words."""
    from django.utils import translation

    from greenbuild.completion.selectors import shown_value

    with translation.override("zh-hans"):
        assert shown_value("star_level", "two_star") == "二星级"
        assert shown_value("", "two_star") == "二星级"
        assert shown_value("delivery_model", "EPC no / consulting yes") == "工程总承包 否 / 全过程工程咨询 是"
        assert shown_value("bim", "construction, design") == "施工, 设计"
        assert shown_value("assembly_rate", "1#楼 60%") == "1#楼 60%"
    with translation.override("en"):
        assert shown_value("delivery_model", "EPC no / consulting yes") == "EPC No / whole-process consulting Yes"
        assert shown_value("bim", "construction, design") == "Construction, Design"
