"""A confirmed real-estate pilot with a contractor (carl's) and a designer, and its completion
evaluation concluded by the bureau (rows of the completion app's model as its services leave
them: the acceptance flow itself is the completion app's and is tested there)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from greenbuild.accounts.choices import OrganisationKind
from greenbuild.incentives import services
from greenbuild.testing.factories import OrganisationFactory, make_project, move_to


@pytest.fixture
def designer_org(db):
    return OrganisationFactory(name="常州市建筑设计研究院", kind=OrganisationKind.DESIGNER)


def make_pilot(personas, orgs, designer_org, *, name="激励试点", category="real-estate"):
    from greenbuild.projects import services as project_services

    owner = personas["alice_owner"]
    project = make_project(owner, name=name, category=category)
    project_services.add_participant(
        actor=owner, project_id=project.pk, organisation=orgs["contractor"], role="contractor"
    )
    project_services.add_participant(actor=owner, project_id=project.pk, organisation=designer_org, role="designer")
    return move_to(
        project, "confirmed", owner=owner, district_official=personas["dan_district"], bureau=personas["bureau"]
    )


@pytest.fixture
def pilot(personas, orgs, designer_org):
    return make_pilot(personas, orgs, designer_org)


def conclude(project, personas, *, status="accepted", verdict="met", score="85.0"):
    """The pilot's completion evaluation, concluded (``status``) with ``verdict`` and ``score``."""
    from greenbuild.completion.models import CompletionEvaluation
    from greenbuild.completion.services import current_scheme
    from greenbuild.scoring.tests.factories import file_scorecard

    if not project.scorecards.filter(stage="evaluation").exists():
        file_scorecard(project, actor=personas["alice_owner"])
    return CompletionEvaluation.objects.create(
        project=project,
        scheme=current_scheme(),
        scorecard=project.scorecards.get(stage="evaluation"),
        status=status,
        verdict=verdict,
        score=None if score is None else Decimal(score),
        decided_at=timezone.now() if status in ("accepted", "not_accepted") else None,
        created_by=personas["bureau"],
    )


RULE_POINTS = {
    ("owner", "passed"): "3",
    ("owner", "excellent"): "5",
    ("contractor", "passed"): "3",
    ("contractor", "excellent"): "5",
    ("designer", "passed"): "2",
    ("designer", "excellent"): "3",
    ("supervisor", "passed"): "2",
}


@pytest.fixture
def rule(personas):
    return services.create_bonus_rule(
        actor=personas["bureau"],
        version="T-1",
        title="测试加分标准",
        effective_from=dt.date(2021, 1, 1),
        points={key: Decimal(value) for key, value in RULE_POINTS.items()},
        excellent_score=Decimal("90"),
    )


@pytest.fixture
def awarded(pilot, personas, rule):
    """The pilot accepted with its targets met: its bonuses recorded."""
    conclude(pilot, personas)
    return services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
