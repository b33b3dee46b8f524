"""Frozen versions, the diff, the self-check and bad input."""

import pytest

from greenbuild.core.errors import DomainError
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.data import diff
from greenbuild.plans.models import FrozenVersionError, PlanVersion
from greenbuild.plans.selfcheck import plan_self_check

pytestmark = pytest.mark.django_db


def test_a_frozen_version_cannot_be_edited(plan_in, personas):
    plan = plan_in("submitted")
    version = plan.current_version
    before = dict(version.data)
    version.data = {"targets": {"star_level": "one_star"}}
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        services.edit_version(actor=personas["alice_owner"], version_id=version.pk, data={})
    with pytest.raises(FrozenVersionError):
        version.delete()
    assert PlanVersion.objects.get(pk=version.pk).data == before


def test_the_owner_cannot_change_the_plan_under_review(plan_in, personas, good_data):
    plan = plan_in("in_review")
    with pytest.raises(DomainError):
        services.save_plan_draft(
            actor=personas["alice_owner"], plan_id=plan.pk, data=good_data(plan.project, plan.guideline)
        )
    assert plan.history.count() == type(plan).objects.get(pk=plan.pk).history.count()


def test_the_diff_lists_changed_fields_only(plan_in, personas, good_data):
    plan = plan_in("passed_with_revisions")
    v1, v2 = plan.versions.order_by("number")
    changes = {c.key: (c.before, c.after) for c in diff(v1, v2)}
    assert changes == {"targets.waste_t_per_10k_m2": ("180", "150"), "targets.green_material_pct": ("60", "65")}
    assert diff(v1, v1) == []


def test_the_diff_names_buildings_measures_and_technologies():
    a = {"targets": {"assembly_rate_pct_by_building": {"7": "50"}}, "measures": {"P-01": "x"}, "technologies": ["T-04"]}
    b = {"targets": {"assembly_rate_pct_by_building": {"7": "50.0"}}, "measures": {}, "technologies": ["T-04", "T-05"]}
    changes = {c.key: c for c in diff(a, b, {"measures.P-01": "P-01 目标"})}
    assert set(changes) == {"measures.P-01", "technologies"}  # 50 and 50.0 are the same number
    assert changes["measures.P-01"].kind == "removed" and changes["measures.P-01"].label == "P-01 目标"
    assert changes["technologies"].after == ["T-04", "T-05"]


def test_the_self_check_passes_a_complete_plan(plan_in, good_data):
    plan = plan_in("draft")
    check = plan_self_check(plan.project, good_data(plan.project, plan.guideline), plan.guideline)
    assert check.ok, check.blockers()
    assert [r.requirement for r in check.rows] == ["R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14"]


@pytest.mark.parametrize(
    ("targets", "requirement"),
    [
        ({"star_level": "one_star"}, "R7"),
        ({"green_material_pct": "0"}, "R11"),
        ({"waste_t_per_10k_m2": "250"}, "R10"),  # prefabricated buildings: at most 200
    ],
)
def test_the_self_check_fails_targets_below_the_requirements(plan_in, good_data, targets, requirement):
    plan = plan_in("draft")
    check = plan_self_check(plan.project, good_data(plan.project, plan.guideline, **targets), plan.guideline)
    failed = [r.requirement for r in check.rows if r.status == "fail"]
    assert failed == [requirement]


def test_the_self_check_fails_a_building_below_the_assembly_rate(plan_in, good_data):
    plan = plan_in("draft")
    building = plan.project.buildings.first()
    check = plan_self_check(
        plan.project,
        good_data(plan.project, plan.guideline, assembly_rate_pct_by_building={str(building.pk): "45"}),
        plan.guideline,
    )
    assert {r.requirement: r.status for r in check.rows}["R9"] == "fail"


def test_a_plan_that_fails_its_self_check_is_not_submitted(plan_in, personas, good_data):
    plan = plan_in("draft")
    services.save_plan_draft(
        actor=personas["alice_owner"], plan_id=plan.pk, data=good_data(plan.project, plan.guideline, star_level="basic")
    )
    with pytest.raises(DomainError) as error:
        services.submit_plan(actor=personas["alice_owner"], plan_id=plan.pk)
    assert "R7" in str(error.value.message)
    plan.refresh_from_db()
    assert (plan.status, plan.versions.count()) == (S.DRAFT, 0)


def test_an_empty_plan_lists_its_gaps(plan_in):
    plan = plan_in("draft")
    check = plan_self_check(plan.project, {}, plan.guideline)
    assert not check.ok
    assert any("P-01" in gap for gap in check.gaps)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"targets": {"green_material_pct": "120"}}, "targets.green_material_pct"),
        ({"targets": {"waste_t_per_10k_m2": "abc"}}, "targets.waste_t_per_10k_m2"),
        ({"targets": {"star_level": "five_star"}}, "targets.star_level"),
        ({"targets": {"assembly_rate_pct_by_building": {"999999": "60"}}}, "targets.assembly_rate_pct_by_building"),
        ({"measures": {"Z-99": "x"}}, "measures"),
        ({"technologies": ["T-99"]}, "technologies"),
        ({"bim_plan": {"stages": ["operation"]}}, "bim_plan.stages"),
        ({"organisation_mode": "nope"}, "organisation_mode"),
        ({"colour": "green"}, "colour"),
    ],
)
def test_bad_plan_data_is_refused_and_nothing_saved(plan_in, personas, data, field):
    plan = plan_in("draft")
    saved = dict(plan.draft)
    with pytest.raises(DomainError) as error:
        services.save_plan_draft(actor=personas["alice_owner"], plan_id=plan.pk, data=data)
    assert error.value.field == field
    plan.refresh_from_db()
    assert plan.draft == saved
