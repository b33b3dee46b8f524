"""The summaries' test world: a hand-made data set of the 2021 programme's pilots in three districts
and two categories, three of them with a final completion evaluation whose comparison rows are
written by hand (so every figure per requirement, district and category is known), costs and
lessons filed by the owner through the completion services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from greenbuild.projects.models import Project
from greenbuild.testing.factories import make_project

M, X, G, NA = "met", "missed", "missing", "not_applicable"
REQ = ("R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")

#: (name, district, category, status, evaluation status, verdict, outcome per R7..R14)
PILOTS = [
    ("天宁住宅", "tianning", "real-estate", "confirmed", "accepted", "met", (M, M, M, M, M, M, M, M)),
    ("天宁公建", "tianning", "government-public", "confirmed", "not_accepted", "not_met", (X, NA, X, M, G, X, M, M)),
    ("武进住宅", "wujin", "real-estate", "confirmed", "accepted", "met", (M, M, M, X, M, M, NA, M)),
    ("新北住宅", "xinbei", "real-estate", "confirmed", "panel", "incomplete", (M, M, M, M, M, M, M, M)),
    ("钟楼草稿", "zhonglou", "real-estate", "draft", None, None, None),
]

#: (pilot, measure, guideline code, yuan)
COSTS = [
    ("天宁住宅", "装配式内装", "T-04", Decimal("100000.00")),
    ("天宁住宅", "扬尘在线监测", "", Decimal("50000.50")),
    ("武进住宅", "铝模体系", "T-05", Decimal("30000.00")),
]
#: (pilot, title, body)
LESSONS = [
    ("天宁住宅", "装配式装修前置策划", "装配式装修宜在方案阶段确定部品体系，避免后期返工。"),
    ("武进住宅", "建筑垃圾分类计量", "建筑垃圾按类别称重计量，排放强度数据可核。"),
]

TARGETS = {"R7": "二星级", "R9": "50", "R10": "300", "R11": "40"}
ACHIEVED = {"R7": "三星级", "R9": "55", "R10": "280", "R11": "45"}


@pytest.fixture(autouse=True)
def _attachments_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _rows(outcomes):
    from greenbuild.completion.scheme_data import FIRST_VERSION

    by_requirement = {c["requirement"]: c for c in FIRST_VERSION["criteria"]}
    return [
        {
            "code": by_requirement[r]["code"],
            "requirement": r,
            "indicator": by_requirement[r]["indicator"],
            "weight": by_requirement[r]["weight"],
            "mandatory": by_requirement[r]["mandatory"],
            "status": status,
            "achieved": "—" if status == G else ACHIEVED.get(r, "是"),
            "target": TARGETS.get(r, "—"),
            "requirement_status": "",
            "note": "",
        }
        for r, status in zip(REQ, outcomes, strict=True)
    ]


@pytest.fixture
def pilots(personas):
    """The hand-made data set; statuses set directly (the workflows that reach them are tested in
    their apps), costs and lessons filed through the completion services while the pilots are open."""
    from greenbuild.completion import services as completion
    from greenbuild.completion.models import CompletionEvaluation
    from greenbuild.scoring.tests.factories import file_scorecard

    owner, bureau = personas["alice_owner"], personas["bureau"]
    made = {}
    for name, district, category, status, *_rest in PILOTS:
        project = make_project(owner, name=name, district=district, category=category)
        Project.objects.filter(pk=project.pk).update(status=status)
        made[name] = Project.objects.get(pk=project.pk)
    for name, measure, code, amount in COSTS:
        completion.report_cost(
            actor=owner,
            project_id=made[name].pk,
            data={"measure": measure, "guideline_code": code, "amount_yuan": amount},
        )
    for name, title, body in LESSONS:
        completion.file_lesson(
            actor=owner, project_id=made[name].pk, data={"topic": "technology", "title": title, "body": body}
        )
    scheme = completion.current_scheme()
    for name, _district, _category, _status, evaluation_status, verdict, outcomes in PILOTS:
        if evaluation_status is None:
            continue
        project = made[name]
        file_scorecard(project, actor=owner)
        CompletionEvaluation.objects.create(
            project=project,
            scheme=scheme,
            scorecard=project.scorecards.get(stage="evaluation"),
            status=evaluation_status,
            verdict=verdict,
            score=Decimal("90.0") if verdict == "met" else Decimal("60.0"),
            outcome={"verdict": verdict, "rows": _rows(outcomes)},
            created_by=bureau,
        )
    return made


@pytest.fixture
def programme(db):
    from greenbuild.programmes.models import Programme

    return Programme.objects.get(code="changzhou-2021")


@pytest.fixture
def draft(personas, immediate, programme, django_capture_on_commit_callbacks):
    """Draft the programme's summary as the bureau and run its job to the end."""
    from greenbuild.summaries import services

    def _draft(recommendations="建议一：推广装配式装修。", actor=None, of=None):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            summary = services.create_summary(
                actor=actor or personas["bureau"], programme=of or programme, recommendations=recommendations
            )
        summary.refresh_from_db()
        return summary

    return _draft


@pytest.fixture
def regenerate(personas, immediate, django_capture_on_commit_callbacks):
    from greenbuild.summaries import services

    def _regenerate(summary, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            revision = services.generate_summary(actor=actor or personas["bureau"], summary_id=summary.pk)
        revision.refresh_from_db()
        return revision

    return _regenerate


@pytest.fixture
def issued(pilots, draft, personas):
    from greenbuild.summaries import services

    summary = draft()
    bureau = personas["bureau"]
    services.transition_summary(actor=bureau, summary_id=summary.pk, action="approve", revision=1)
    services.transition_summary(actor=bureau, summary_id=summary.pk, action="issue", revision=1)
    summary.refresh_from_db()
    return summary
