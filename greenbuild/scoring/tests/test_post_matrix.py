"""The permission matrix of every POST of the scoring pages (issue 10): every persona against
every endpoint, on a pilot in their scope and on one outside it. 404 when the scores are
invisible, 403 when visible but the act is not theirs, and the database unchanged on a refusal."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from greenbuild.scoring import services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.models import BuildingAssessment, ClauseClaim, EnergyRecord, MaterialLine, ScoreRun, WasteRecord
from greenbuild.scoring.tests.conftest import GOLDEN, HEADER, WORKED, claims_from, make_pilot
from greenbuild.testing.factories import make_project, move_to

pytestmark = pytest.mark.django_db

PERSONAS = [
    "alice_owner",
    "olivia_other_owner",
    "dan_district",
    "wu_district",
    "bureau",
    "dept_reviewer",
    "carl_contractor",
    "eve_expert",
    "ted_evaluator",
    "dave_outsider",
]

#: Who sees alice's pilot's scores, who may claim (fill in) and who may review them.
VIEW = {"alice_owner", "bureau", "dan_district", "dept_reviewer", "carl_contractor", "ted_evaluator"}
CLAIM = {"alice_owner", "bureau"}
REVIEW = {"bureau", "ted_evaluator"}
#: On olivia's pilot (no evaluator, no contractor, in 武进区): only the bureau (and olivia).
VIEW_OTHER = {"bureau", "olivia_other_owner", "wu_district", "dept_reviewer"}
CLAIM_OTHER = {"bureau", "olivia_other_owner"}
REVIEW_OTHER = {"bureau"}


_GOLDEN_BUILDING = json.loads((GOLDEN / "gbt51129" / "03_middles_and_q2_condition_fails.json").read_text("utf-8"))
BUILDING = {k: ("on" if v is True else v) for k, v in _GOLDEN_BUILDING["input"].items() if v is not False}


def add_waste(project, actor):
    return services.record_waste(
        actor=actor,
        project=project,
        data={"recorded_on": dt.date(2022, 5, 1), "category": "construction_waste", "tonnes": Decimal(10)},
    )


def scorecard_post():
    data = {"building_type": "residential", "full_decoration": "on"}
    data.update({"c_" + c.replace(".", "_"): "true" for c in WORKED["control_items"]})
    data["c_4_2_1"] = "10"
    return data


def review_post():
    data = {"a_" + c.replace(".", "_"): "true" for c in WORKED["control_items"]}
    data["a_4_2_1"] = "5"
    return data


def waste_post(tonnes="12"):
    return {
        "kind": "waste",
        "waste-recorded_on": "2022-06-01",
        "waste-category": "construction_waste",
        "waste-tonnes": tonnes,
    }


#: endpoint -> (action it needs, builds (url, data) for a fresh target on ``project``)
ENDPOINTS = {
    "scorecard-edit": (
        "claim",
        lambda p, owner: (reverse("scoring:scorecard-edit", args=[p.pk, "evaluation"]), scorecard_post()),
    ),
    "scorecard-review": (
        "review",
        lambda p, owner: (reverse("scoring:scorecard-review", args=[p.pk, "evaluation"]), review_post()),
    ),
    "building-assess": (
        "claim",
        lambda p, owner: (
            reverse("scoring:building-assess", args=[p.pk, p.buildings.get().pk]),
            BUILDING,
        ),
    ),
    "records-add": ("claim", lambda p, owner: (reverse("scoring:records", args=[p.pk]), waste_post())),
    "record-edit": (
        "claim",
        lambda p, owner: (
            reverse("scoring:record-edit", args=[p.pk, "waste", add_waste(p, owner).pk]),
            waste_post("15"),
        ),
    ),
    "record-delete": (
        "claim",
        lambda p, owner: (reverse("scoring:record-delete", args=[p.pk, "waste", add_waste(p, owner).pk]), {}),
    ),
    "run-engines": ("claim", lambda p, owner: (reverse("scoring:run-engines", args=[p.pk]), {})),
}


def snapshot():
    return (
        list(
            ClauseClaim.objects.values_list("pk", "claimed_points", "claimed_pass", "accepted_points", "accepted_pass")
        ),
        list(WasteRecord.objects.values_list("pk", "tonnes")),
        ScoreRun.objects.count(),
        BuildingAssessment.objects.count(),
        MaterialLine.objects.count(),
        EnergyRecord.objects.count(),
    )


@pytest.fixture
def pilots(personas):
    mine = make_pilot(personas)
    other = move_to(
        make_project(personas["olivia_other_owner"], name="武进项目", district="wujin"),
        "confirmed",
        owner=personas["olivia_other_owner"],
        district_official=personas["wu_district"],
        bureau=personas["bureau"],
    )
    for project, owner in ((mine, "alice_owner"), (other, "olivia_other_owner")):
        services.save_scorecard(
            actor=personas[owner], project=project, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
        )
        add_waste(project, personas[owner])
    return {"mine": (mine, "alice_owner"), "other": (other, "olivia_other_owner")}


@pytest.mark.parametrize("scope", ["mine", "other"])
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_scoring_post_answers_each_persona_as_the_gate_says(client, personas, pilots, endpoint, scope):
    project, owner = pilots[scope]
    action, build = ENDPOINTS[endpoint]
    view, allowed = (
        (VIEW, CLAIM if action == "claim" else REVIEW)
        if scope == "mine"
        else (VIEW_OTHER, CLAIM_OTHER if action == "claim" else REVIEW_OTHER)
    )
    refused = [p for p in PERSONAS if p not in allowed]
    for persona in refused + [p for p in PERSONAS if p in allowed]:  # refusals first, on untouched data
        url, data = build(project, personas[owner])
        before = snapshot()
        client.force_login(personas[persona])
        response = client.post(url, data)
        if persona in allowed:
            assert response.status_code == 302, (persona, endpoint, scope, response.status_code)
        else:
            expected = 403 if persona in view else 404
            assert response.status_code == expected, (persona, endpoint, scope, response.status_code)
            assert snapshot() == before, (persona, endpoint, scope)
    client.logout()
    url, data = build(project, personas[owner])
    before = snapshot()
    assert client.post(url, data).status_code in (302, 404)  # anonymous: to the login page
    assert snapshot() == before
