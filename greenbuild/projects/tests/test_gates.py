"""The predicate and SQL forms of every projects gate agree, for every persona (issue 11 item 2).

Hypothesis builds worlds of projects in random states, districts, owners and participants
(with withdrawal requests) through the real services; for every persona and every action with
both forms, ``can(user, action, obj)`` and ``Model.objects.for_user(user, action)`` must give
the same objects.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from greenbuild.core.permissions import gate_for, registered_gates
from greenbuild.projects.models import Building, Project, ProjectParticipant, WithdrawalRequest
from greenbuild.testing.gates import build_projects, gate_disagreements, random_projects, users_of
from greenbuild.testing.matrix import undone

pytestmark = pytest.mark.django_db


def test_every_projects_gate_has_both_forms_for_view():
    labels = {gate.label for gate in registered_gates()}
    assert {
        "projects.project",
        "projects.withdrawalrequest",
        "projects.building",
        "projects.projectparticipant",
    } <= labels
    assert {"view", "view_internal", "change"} <= gate_for(Project).sql_actions


def test_predicate_and_sql_forms_agree_on_random_worlds(personas, orgs):
    users = users_of(personas)

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(specs=random_projects(max_size=5))
    def check(specs):
        with undone():
            projects = build_projects(specs, personas, orgs)
            assert gate_disagreements(gate_for(Project), users, projects) == []
            requests = list(WithdrawalRequest.objects.filter(project__in=projects))
            assert gate_disagreements(gate_for(WithdrawalRequest), users, requests) == []
            for model in (Building, ProjectParticipant):  # project-scoped: through the project gate
                children = list(model.objects.filter(project__in=projects))
                assert gate_disagreements(gate_for(model), users, children) == []

    check()


def test_a_disagreement_is_reported(personas, orgs):
    """The helper itself: a gate whose SQL form forgets the public pilots is caught."""
    from dataclasses import replace

    from greenbuild.testing.gates import ProjectSpec

    projects = build_projects([ProjectSpec("confirmed", "alice_owner", "tianning", False, False, "")], personas, orgs)
    gate = gate_for(Project)
    broken = replace(
        gate, restrict=lambda qs, user, action: gate.restrict(qs, user, action).exclude(status="confirmed")
    )
    found = gate_disagreements(broken, {"dave_outsider": personas["dave_outsider"]}, projects)
    assert found == [("dave_outsider", "view", [projects[0].pk], [])]
