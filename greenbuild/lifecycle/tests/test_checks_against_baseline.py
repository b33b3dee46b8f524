"""R7–R14 in the API against a locked baseline (issue 18 item 5, API-07): the baseline column
and the reason codes where the baseline decides the verdict."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from greenbuild.lifecycle import services
from greenbuild.lifecycle.selectors import current_baseline
from greenbuild.lifecycle.tests.test_baseline_attacks import ask
from greenbuild.scoring.figures import pilot_checks

pytestmark = pytest.mark.django_db


def test_a_verdict_the_baseline_decides_carries_its_own_reason_code(pilot, personas):
    change = ask(pilot, personas, waste_t_per_10k_m2="350")
    services.decide_baseline_change(
        actor=personas["bureau"], request_id=change.pk, action="approve_exception", comment="场地条件所限"
    )
    latest = {"waste": SimpleNamespace(result={"intensity_t_per_10k_m2": "320"}, building=None)}
    r10 = next(c for c in pilot_checks(pilot, latest, {}) if c.requirement == "R10")
    assert r10.status == "fail" and r10.message.code == "pilot.baseline.r10.above_national_target"
    latest["waste"] = SimpleNamespace(result={"intensity_t_per_10k_m2": "150"}, building=None)
    r10 = next(c for c in pilot_checks(pilot, latest, {}) if c.requirement == "R10")
    assert r10.status == "pass" and r10.message.code == "pilot.r10"
    latest = {"green-materials": SimpleNamespace(result={"green_material_ratio_pct": "10"}, building=None)}
    r11 = next(c for c in pilot_checks(pilot, latest, {}) if c.requirement == "R11")
    assert r11.status == "fail" and r11.message.code == "pilot.baseline.r11.below_target"


def test_the_api_shows_the_locked_baseline_beside_the_declared_values(pilot, personas, client):
    baseline = current_baseline(pilot)
    client.force_login(personas["alice_owner"])
    answer = client.get("/api/v1/projects/{}/checks/".format(pilot.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["baseline_version"] == baseline.version
    rows = {row["code"]: row for row in answer["requirements"]}
    assert rows["R10"]["baseline"] == str(baseline.targets["waste_t_per_10k_m2"])
    assert rows["R10"]["declared"] == format(pilot.waste_target_t_per_10k_m2.normalize(), "f")
    assert rows["R7"]["baseline"] and rows["R7"]["declared"]
    assert {row["achieved"] for row in rows.values()} <= {"pass", "fail", "unknown", "not_started"}
