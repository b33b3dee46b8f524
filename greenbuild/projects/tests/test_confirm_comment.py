"""Confirming a pilot whose R7–R14 are still unknown asks for a confirming comment (issue 10 item 17).

The projects app learns which requirements are unknown from the scoring app through
``greenbuild.projects.hooks`` (scoring registers at app-ready time; projects never imports it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import DomainError
from greenbuild.projects import hooks, services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.workflow import available_moves
from greenbuild.scoring import services as scoring
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.tests.conftest import GOLDEN, HEADER, WORKED, accept_everything, claims_from
from greenbuild.testing.factories import pass_plan_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(filed_project, personas):
    project = filed_project("candidate", name="待确认试点")
    pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])  # issue 13 item 5
    return project


def everything_known(project, owner):
    """Score runs for R7 (star level), R9 (every building), R10 (waste) and R11 (materials)."""
    scoring.save_scorecard(
        actor=owner, project=project, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    golden = json.loads((GOLDEN / "gbt51129" / "01_upper_ends_all_maximum.json").read_text(encoding="utf-8"))
    for building in project.buildings.all():
        scoring.assess_building(actor=owner, building=building, inputs=golden["input"])
    scoring.record_waste(
        actor=owner,
        project=project,
        data={"recorded_on": dt.date(2022, 5, 1), "category": "construction_waste", "tonnes": Decimal(500)},
    )
    scoring.save_material_line(
        actor=owner,
        project=project,
        data={
            "name": "C30 预拌混凝土",
            "item_type": "预拌混凝土",
            "group": "main_structure_envelope",
            "quantity": Decimal(9000),
            "unit": "m3",
            "certified": True,
            "carbon_material": "concrete_c30",
            "mass_t": Decimal(21600),
            "distance_km": Decimal(30),
        },
    )
    scoring.run_project_engines(actor=owner, project=project)


def test_scoring_tells_projects_which_requirements_are_unknown(candidate):
    assert "R7" in hooks.unknown_pilot_requirements(candidate)  # no scorecard yet


@pytest.mark.parametrize("comment", ["", "   "])
def test_confirming_with_unknown_requirements_and_no_comment_is_refused(candidate, personas, comment):
    with translation.override("zh-hans"), pytest.raises(DomainError) as excinfo:
        services.transition_project(
            actor=personas["bureau"], project_id=candidate.pk, action="confirm", comment=comment
        )
    assert excinfo.value.field == "comment"
    message = str(excinfo.value.message)
    assert "R7" in message and re.search(r"[\u4e00-\u9fff]", message)
    candidate.refresh_from_db()
    assert candidate.status == S.CANDIDATE
    assert not candidate.transitions.filter(to_status=S.CONFIRMED).exists()


def test_confirming_with_unknown_requirements_and_a_comment_is_allowed(candidate, personas):
    transition = services.transition_project(
        actor=personas["bureau"], project_id=candidate.pk, action="confirm", comment="R7 待竣工评价，先行确认"
    )
    assert transition.to_status == S.CONFIRMED and transition.comment == "R7 待竣工评价，先行确认"


def test_confirming_with_every_requirement_known_needs_no_comment(candidate, personas):
    everything_known(candidate, personas["alice_owner"])
    # R7 is known once the claims are reviewed: unreviewed claims are provisional (issue 16 item 7).
    assert hooks.unknown_pilot_requirements(candidate) == ["R7"]
    scoring.review_scorecard(
        actor=personas["bureau"], scorecard=candidate.scorecards.get(), decisions=accept_everything()
    )
    assert hooks.unknown_pilot_requirements(candidate) == []
    [confirm] = [m for m in available_moves(candidate, personas["bureau"]) if m.action == "confirm"]
    assert not confirm.comment_required and confirm.comment_hint is None
    services.transition_project(actor=personas["bureau"], project_id=candidate.pk, action="confirm")
    candidate.refresh_from_db()
    assert candidate.status == S.CONFIRMED


def test_the_confirm_form_says_a_comment_is_required_and_why(client, candidate, personas):
    client.force_login(personas["bureau"])
    with translation.override("zh-hans"):
        html = client.get(reverse("projects:project-detail", args=[candidate.pk])).content.decode()
    form = re.search(r'<form[^>]*data-action="confirm".*?</form>', html, re.S).group(0)
    assert "required" in form and 'id="move-confirm-hint"' in form and "R7" in form
    with translation.override("en"):
        html = client.get(reverse("projects:project-detail", args=[candidate.pk])).content.decode()
    assert "not yet known" in html
