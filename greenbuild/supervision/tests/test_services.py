"""Plans, draws and evaluations through their services: the bad input of issue 20 gives a clear
error and saves nothing; a draw's record reproduces with the CLI; the schedule of a plan."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.supervision import selectors, services
from greenbuild.supervision.cli import main
from greenbuild.supervision.draw import draw as pure_draw
from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _counts():
    return (Draw.objects.count(), InspectionPlan.objects.count(), Evaluation.objects.count())


@pytest.mark.parametrize("ratio", ["0", "0.0", "1.01", "2", "-0.5", "abc", "", "NaN", "Infinity", "0.12345"])
def test_a_bad_ratio_is_refused_and_nothing_saved(sv, personas, ratio):
    before = _counts()
    with pytest.raises(DomainError) as refused:
        services.make_draw(
            actor=personas["bureau"],
            title="x",
            kind="projects",
            ratio=ratio,
            inspectors=[personas["bureau"]],
            due_on=sv["today"],
        )
    assert refused.value.field == "ratio"
    assert "ratio" in str(refused.value.message)
    assert _counts() == before


def test_a_draw_from_an_empty_population_is_refused(sv, personas):
    """No confirmed pilot in 金坛区: nothing to draw, nothing saved."""
    from greenbuild.reference.models import District

    empty = District.objects.exclude(pk__in=[sv["tianning"].pk, sv["wujin"].pk]).first()
    before = _counts()
    with pytest.raises(DomainError, match="population is empty"):
        services.make_draw(
            actor=personas["bureau"],
            title="x",
            kind="both",
            district=empty,
            ratio="0.5",
            inspector_ratio="1",
            due_on=sv["today"],
        )
    assert _counts() == before


def test_a_deadline_in_the_past_is_refused(sv, personas):
    before = _counts()
    yesterday = sv["today"] - dt.timedelta(days=1)
    with pytest.raises(DomainError, match="in the past") as refused:
        services.make_draw(
            actor=personas["bureau"], title="x", kind="both", ratio="0.5", inspector_ratio="1", due_on=yesterday
        )
    assert refused.value.field == "due_on"
    with pytest.raises(DomainError, match="in the past"):
        services.create_plan(
            actor=personas["bureau"],
            project=sv["alice_pilot"],
            step_type=sv["step"],
            interval_days=7,
            inspectors=[personas["dan_district"]],
            next_due=yesterday,
        )
    with pytest.raises(DomainError, match="in the past"):
        services.assign_evaluation(
            actor=personas["bureau"],
            project=sv["alice_pilot"],
            step_type=sv["step"],
            evaluator=sv["evaluator"],
            scope="x",
            due_on=yesterday,
        )
    assert _counts() == before


def test_a_plan_for_a_project_outside_the_district_is_refused(sv, personas):
    before = _counts()
    with pytest.raises(DomainError, match="outside your district") as refused:
        services.create_plan(
            actor=personas["dan_district"],
            project=sv["olivia_pilot"],
            step_type=sv["step"],
            interval_days=7,
            inspectors=[personas["dan_district"]],
            next_due=sv["today"],
        )
    assert refused.value.field == "project"
    with pytest.raises(ActionForbidden):  # not a supervisor at all
        services.create_plan(
            actor=personas["alice_owner"],
            project=sv["alice_pilot"],
            step_type=sv["step"],
            interval_days=7,
            inspectors=[personas["dan_district"]],
            next_due=sv["today"],
        )
    assert _counts() == before


def test_a_plan_names_inspectors_of_the_pool_for_its_district(sv, personas):
    with pytest.raises(DomainError, match="inspector pool"):
        services.create_plan(
            actor=personas["bureau"],
            project=sv["alice_pilot"],
            step_type=sv["step"],
            interval_days=7,
            inspectors=[personas["wu_district"]],
            next_due=sv["today"],
        )


def test_a_district_official_draws_only_in_their_district(sv, personas):
    before = _counts()
    with pytest.raises(DomainError, match="own district"):
        services.make_draw(
            actor=personas["dan_district"], title="x", kind="both", ratio="1", inspector_ratio="1", due_on=sv["today"]
        )
    with pytest.raises(DomainError, match="own district"):
        services.make_draw(
            actor=personas["dan_district"],
            title="x",
            kind="both",
            district=sv["wujin"],
            ratio="1",
            inspector_ratio="1",
            due_on=sv["today"],
        )
    with pytest.raises(ActionForbidden):
        services.make_draw(
            actor=personas["alice_owner"], title="x", kind="both", ratio="1", inspector_ratio="1", due_on=sv["today"]
        )
    assert _counts() == before


def test_the_draw_records_population_ratio_seed_and_result(sv):
    record = sv["published"]
    assert record.project_population == sorted([sv["alice_pilot"].pk, sv["olivia_pilot"].pk])
    assert record.inspector_population == [sv["pool"]["bureau"].user_id]  # city-wide: city-wide members
    assert str(record.ratio) == "0.5000"
    assert len(record.seed) == 32 and int(record.seed, 16) >= 0  # from new_seed()
    assert len(record.project_selected) == 1  # ⌈2 × 0.5⌉
    expected = pure_draw(record.seed, "0.5", record.project_population)
    assert record.project_selected == [int(i) for i in expected.selected]
    assert record.pairs() == [(record.project_selected[0], sv["pool"]["bureau"].user_id)]


def test_two_draws_get_different_seeds(sv):
    assert sv["published"].seed != sv["unpublished"].seed


def test_the_record_reproduces_with_the_cli(sv, capsys):
    record = sv["published"]
    side = selectors.draw_sides(record)[0]
    assert side.matches
    args = side.command.split()[2:]  # after "greenbuild supervision"
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "seed": record.seed,
        "ratio": 0.5,
        "population": len(record.project_population),
        "k": len(record.project_selected),
        "selected": record.project_selected,
    }


def test_the_cli_as_a_process_reproduces_the_record(sv):
    record = sv["published"]
    side = selectors.draw_sides(record)[0]
    done = subprocess.run(  # noqa: S603  (our own CLI, with the record's words)
        [sys.executable, "-m", "greenbuild", *side.command.split()[1:]], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["selected"] == record.project_selected


def test_the_record_of_a_draw_never_changes(sv):
    record = Draw.objects.get(pk=sv["published"].pk)
    record.seed = "0" * 32
    with pytest.raises(ValidationError):
        record.save()
    record = Draw.objects.get(pk=sv["published"].pk)
    record.project_selected = list(reversed(record.project_population))
    with pytest.raises(ValidationError):
        record.save()


def test_publishing_is_the_bureau_s_or_the_district_s(sv, personas):
    from greenbuild.core.errors import TransitionNotAllowed

    with pytest.raises(ActionForbidden):
        services.publish_draw(actor=personas["wu_district"], draw_id=sv["unpublished"].pk)
    with pytest.raises(TransitionNotAllowed):
        services.publish_draw(actor=personas["bureau"], draw_id=sv["published"].pk)
    services.publish_draw(actor=personas["dan_district"], draw_id=sv["unpublished"].pk)
    assert Draw.objects.get(pk=sv["unpublished"].pk).published_by == personas["dan_district"]


def test_a_projects_only_draw_pairs_the_named_inspectors_in_turn(sv, personas):
    record = services.make_draw(
        actor=personas["bureau"],
        title="只抽项目",
        kind="projects",
        district=sv["tianning"],
        ratio="1",
        inspectors=[personas["dan_district"]],
        due_on=sv["today"],
    )
    assert record.inspector_population == []
    assert record.pairs() == [(sv["alice_pilot"].pk, personas["dan_district"].pk)]
    assert [s.what for s in selectors.draw_sides(record)] == ["projects"]


def test_plans_move_through_their_workflow(sv, personas):
    plan = sv["plan"]
    with pytest.raises(DomainError):
        services.move_plan(actor=personas["bureau"], plan_id=plan.pk, action="pause")  # comment required
    services.move_plan(actor=personas["dan_district"], plan_id=plan.pk, action="pause", comment="停工")
    with pytest.raises(ActionForbidden):
        services.move_plan(actor=personas["wu_district"], plan_id=plan.pk, action="resume")
    services.move_plan(actor=personas["bureau"], plan_id=plan.pk, action="resume")
    assert [t.to_status for t in plan.transitions.all()] == ["paused", "active"]


def test_the_daily_job_schedules_the_due_inspections_of_a_plan(sv, personas):
    from greenbuild.inspections.models import Inspection

    plan = sv["plan"]
    today = sv["today"]
    assert services.schedule_due_plan_inspections(today=today) == 0  # due in 20 days: not yet
    later = today + dt.timedelta(days=15)
    assert services.schedule_due_plan_inspections(today=later) == 1
    plan.refresh_from_db()
    assert plan.next_due == today + dt.timedelta(days=50) and plan.scheduled_count == 1
    inspection = Inspection.objects.get(plan=plan)
    assert inspection.inspector == personas["dan_district"] and inspection.project == sv["alice_pilot"]
    assert services.schedule_due_plan_inspections(today=later) == 0  # once


def test_a_draw_schedules_the_inspections_of_its_pairs(sv):
    from greenbuild.inspections.models import Inspection

    record = sv["published"]
    scheduled = list(Inspection.objects.filter(draw=record).values_list("project_id", "inspector_id"))
    assert scheduled == record.pairs()


# --- third-party evaluations --------------------------------------------------------------------


def _report(**overrides):
    data = {
        "summary": "总体符合试点方案。",
        "scores": [{"aspect": "装配率", "score": "82.5", "comment": ""}, {"aspect": "绿色建材", "score": 70}],
        "recommendations": [
            {"text": "补充建筑垃圾减量台账", "demands_action": True, "severity": "major", "clause": "R11"},
            {"text": "加强宣传", "demands_action": False},
        ],
    }
    data.update(overrides)
    return data


def test_only_the_evaluator_files_the_report(sv, personas):
    evaluation = sv["evaluation"]
    for outsider in ("alice_owner", "bureau", "carl_contractor"):
        with pytest.raises(ActionForbidden):
            services.file_evaluation_report(actor=personas[outsider], evaluation_id=evaluation.pk, **_report())
    with pytest.raises(DomainError, match="0 to 100"):
        services.file_evaluation_report(
            actor=personas["ted_evaluator"],
            evaluation_id=evaluation.pk,
            **_report(scores=[{"aspect": "x", "score": "101"}]),
        )
    evaluation.refresh_from_db()
    assert evaluation.status == "assigned" and not evaluation.scores.exists()


def test_the_evaluator_becomes_the_project_s_participant(sv):
    assert sv["alice_pilot"].participants.filter(organisation=sv["evaluator"], role="evaluator").exists()


def test_return_and_file_again(sv, personas):
    evaluation = sv["evaluation"]
    services.file_evaluation_report(actor=personas["ted_evaluator"], evaluation_id=evaluation.pk, **_report())
    services.return_evaluation(actor=personas["bureau"], evaluation_id=evaluation.pk, comment="请补充数据")
    services.file_evaluation_report(
        actor=personas["ted_evaluator"], evaluation_id=evaluation.pk, **_report(recommendations=[])
    )
    evaluation.refresh_from_db()
    assert evaluation.status == "filed" and evaluation.recommendations.count() == 0


def test_acceptance_turns_recommendations_demanding_action_into_findings(sv, personas):
    from greenbuild.inspections.models import Finding

    evaluation = sv["evaluation"]
    services.file_evaluation_report(actor=personas["ted_evaluator"], evaluation_id=evaluation.pk, **_report())
    with pytest.raises(ActionForbidden):
        services.accept_evaluation(actor=personas["dan_district"], evaluation_id=evaluation.pk)
    services.accept_evaluation(actor=personas["bureau"], evaluation_id=evaluation.pk)
    recs = list(evaluation.recommendations.order_by("number"))
    assert recs[0].finding_id is not None and recs[1].finding_id is None
    finding = Finding.objects.get(pk=recs[0].finding_id)
    assert finding.project == sv["alice_pilot"] and finding.severity == "major" and finding.source == "evaluation"


def test_the_demo_seeds_a_plan_a_published_draw_and_a_filed_evaluation(personas, filed_project):
    from greenbuild.supervision.demo import seed_supervision

    filed_project("confirmed", name="演示试点")
    assert seed_supervision(personas["bureau"]) == 1
    assert InspectionPlan.objects.count() == 1
    assert Draw.objects.get().is_published
    assert selectors.draw_sides(Draw.objects.get())[0].matches
    assert sorted(Evaluation.objects.values_list("status", flat=True)) == ["assigned", "filed"]
    assert seed_supervision(personas["bureau"]) == 0  # idempotent
