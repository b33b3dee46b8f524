"""Shared fixtures of the scoring tests: alice's confirmed pilot, with a contractor and ted's
evaluation organisation (assigned by the bureau) on it, and the worked example's scorecard."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from greenbuild.projects import services as project_services
from greenbuild.scoring.choices import ClauseKind
from greenbuild.testing.factories import make_project, move_to

GOLDEN = Path(__file__).resolve().parents[2] / "standards" / "tests" / "golden"
WORKED = json.loads((GOLDEN / "gbt50378" / "25_worked_example_80_5.json").read_text(encoding="utf-8"))["input"]

HEADER = {
    "building_type": "residential",
    "full_decoration": True,
    "star_requirements": {k: v for k, v in WORKED["star_requirements"].items() if v is not None},
}


def claims_from(contract):
    claims = {c: {"kind": ClauseKind.CONTROL, "passed": v} for c, v in contract["control_items"].items()}
    claims.update(
        {c: {"kind": ClauseKind.SCORED, "points": Decimal(str(v))} for c, v in contract["scored_items"].items()}
    )
    claims.update(
        {c: {"kind": ClauseKind.BONUS, "points": Decimal(str(v))} for c, v in contract["bonus_items"].items()}
    )
    return claims


def accept_everything(contract=WORKED):
    """A reviewer's decisions accepting every claim of ``contract`` as filed."""
    return {
        c: ({"passed": True} if v["kind"] == ClauseKind.CONTROL else {"points": v["points"]})
        for c, v in claims_from(contract).items()
    }


def make_pilot(personas, owner="alice_owner", name="评分项目"):
    project = make_project(personas[owner], name=name)
    project_services.add_participant(
        actor=personas[owner],
        project_id=project.pk,
        organisation=personas["carl_contractor"].memberships.get().organisation,
        role="contractor",
    )
    project_services.assign_evaluator(
        actor=personas["bureau"],
        project_id=project.pk,
        organisation=personas["ted_evaluator"].memberships.get().organisation,
    )
    return move_to(
        project,
        "confirmed",
        owner=personas[owner],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )


@pytest.fixture
def pilot(personas):
    return make_pilot(personas)
