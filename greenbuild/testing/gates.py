"""Proof that the two forms of a gate agree (issue 11 item 2).

Every gate (``greenbuild.core.permissions.Gate``) has a predicate form, ``can(user, action,
obj)``, read for one object, and an SQL form, ``for_user(user, action)``, a queryset for lists.
Nothing but tests keeps them in step, so :func:`gate_disagreements` compares them for every
user and every action the SQL form answers, and :func:`random_projects` (a hypothesis strategy)
with :func:`build_projects` makes worlds of projects in random states, districts, owners and
participants, built through the real services. Use them for any new gate::

    @given(specs=random_projects())
    def check(specs):
        with undone():
            objects = build_projects(specs, personas, orgs)
            assert gate_disagreements(gate_for(Plan), users, plans_of(objects)) == []
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from hypothesis import strategies as st

from greenbuild.core.permissions import Gate
from greenbuild.projects import services
from greenbuild.testing.factories import make_project, pass_plan_review

_names = itertools.count(1)

#: How each state is reached (the first step is always taken by the owner, except the bureau's withdraw).
PATHS: dict[str, list[str]] = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "recommended": ["submit", "recommend"],
    "rejected": ["submit", "recommend", "reject"],
    "candidate": ["submit", "recommend", "accept"],
    "confirmed": ["submit", "recommend", "accept", "confirm"],
    "withdrawn-draft": ["withdraw"],  # never submitted: stays private to its owner
    "withdrawn-submitted": ["submit", "withdraw"],
    "withdrawn-pilot": ["submit", "recommend", "accept", "confirm", "withdraw-by-bureau"],
}
DISTRICTS = ("tianning", "wujin")  # dan's and wu's


@dataclass(frozen=True)
class ProjectSpec:
    path: str
    owner: str  # "alice_owner" or "olivia_other_owner"
    district: str
    contractor: bool  # carl's company works on it
    evaluator: bool  # ted's institute evaluates it
    withdrawal: str  # for a confirmed pilot: "", "pending" or "refused" request


def random_projects(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[list[ProjectSpec]]:
    spec = st.builds(
        ProjectSpec,
        path=st.sampled_from(sorted(PATHS)),
        owner=st.sampled_from(("alice_owner", "olivia_other_owner")),
        district=st.sampled_from(DISTRICTS),
        contractor=st.booleans(),
        evaluator=st.booleans(),
        withdrawal=st.sampled_from(("", "pending", "refused")),
    )
    return st.lists(spec, min_size=min_size, max_size=max_size)


def build_projects(specs: list[ProjectSpec], personas: dict[str, Any], orgs: dict[str, Any]) -> list[Any]:
    """Build one project per spec through the real services (the district's official, dan or
    wu, recommends or returns; the bureau decides)."""
    bureau = personas["bureau"]
    projects = []
    for spec in specs:
        owner = personas[spec.owner]
        project = make_project(owner, "性质测试{}".format(next(_names)), district=spec.district)
        if spec.contractor:
            services.add_participant(
                actor=owner, project_id=project.pk, organisation=orgs["contractor"], role="contractor"
            )
        if spec.evaluator:
            services.assign_evaluator(actor=bureau, project_id=project.pk, organisation=orgs["evaluator"])
        official = {"tianning": personas["dan_district"], "wujin": personas["wu_district"]}[spec.district]
        for step in PATHS[spec.path]:
            actor = {"submit": owner, "withdraw": owner, "recommend": official, "return": official}.get(step, bureau)
            action = "withdraw" if step == "withdraw-by-bureau" else step
            if action == "confirm":  # a candidate is confirmed once its plan passed review (issue 13)
                pass_plan_review(project, owner=owner, bureau=bureau)
            services.transition_project(actor=actor, project_id=project.pk, action=action, comment="性质测试")
        project.refresh_from_db()
        if spec.path == "confirmed" and spec.withdrawal:
            request = services.request_withdrawal(actor=owner, project_id=project.pk, reason="性质测试理由")
            if spec.withdrawal == "refused":
                services.decide_withdrawal(actor=bureau, request_id=request.pk, action="refuse", comment="不同意")
        projects.append(project)
    return projects


def users_of(personas: dict[str, Any]) -> dict[str, Any]:
    """Every persona and an anonymous visitor."""
    return {**personas, "anonymous": AnonymousUser()}


def gate_disagreements(gate: Gate, users: dict[str, Any], objects: list[Any]) -> list[tuple[Any, ...]]:
    """Where ``gate.can`` and ``gate.for_user`` differ: (user, action, only-predicate ids, only-SQL ids).

    Each object is re-read before the predicate (as a page would read it), so cached relations
    from building the world do not hide a difference.
    """
    model = gate.model_class
    ids = [obj.pk for obj in objects]
    fresh = list(model._default_manager.filter(pk__in=ids))
    found = []
    for name, user in users.items():
        for action in sorted(gate.sql_actions):
            by_predicate = {obj.pk for obj in fresh if gate.can(user, action, obj)}
            by_sql = set(gate.for_user(user, action).filter(pk__in=ids).values_list("pk", flat=True))
            if by_predicate != by_sql:
                found.append((name, action, sorted(by_predicate - by_sql), sorted(by_sql - by_predicate)))
    return found
