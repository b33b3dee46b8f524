"""Factories of the scoring app: a scorecard filed through ``scoring.services.save_scorecard``.

Shared entry: ``greenbuild.testing.factories`` re-exports these."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.models import User
from greenbuild.projects.models import Project
from greenbuild.scoring import services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.models import ScoreRun


def file_scorecard(
    project: Project, *, actor: User, stage: str = Stage.EVALUATION, contract: dict[str, Any] | None = None
) -> ScoreRun:
    """The owner files the scorecard of ``contract`` (default: the GB/T 50378 worked example,
    80.5 points) for ``project``; returns the run it was scored in."""
    from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from

    return services.save_scorecard(
        actor=actor, project=project, stage=stage, header=HEADER, claims=claims_from(contract or WORKED)
    )


def scored_candidate(
    personas: dict[str, Any], name: str = "评分项目", *, buildings: int = 0, designers: int = 0
) -> Project:
    """alice's candidate pilot (a contractor and ted's evaluator on it) with the worked example's
    scorecard filed; ``buildings`` more buildings and ``designers`` more participants make it larger.
    A candidate, not a confirmed pilot: confirming needs a plan that passed expert review."""
    from greenbuild.accounts.tests.factories import OrganisationFactory
    from greenbuild.projects import services as project_services
    from greenbuild.projects.tests.factories import building_data, make_project, move_to

    owner = personas["alice_owner"]
    project = make_project(owner, name=name)
    for n in range(buildings):
        project_services.save_building(
            actor=owner, project_id=project.pk, data=building_data(name="{}#楼".format(n + 2), area="4000")
        )
    for _n in range(designers):
        project_services.add_participant(
            actor=owner, project_id=project.pk, organisation=OrganisationFactory(), role="designer"
        )
    project_services.add_participant(
        actor=owner,
        project_id=project.pk,
        organisation=personas["carl_contractor"].memberships.get().organisation,
        role="contractor",
    )
    project_services.assign_evaluator(
        actor=personas["bureau"],
        project_id=project.pk,
        organisation=personas["ted_evaluator"].memberships.get().organisation,
    )
    project = move_to(
        project, "candidate", owner=owner, district_official=personas["dan_district"], bureau=personas["bureau"]
    )
    file_scorecard(project, actor=owner)
    return project
