"""System checks of the plans app (``manage.py check --database default``; ``migrate`` runs them too).

They report rows that break "the review is the only way to conclude a plan" (issue 16 item 1):

* ``plans.W001``: a plan concluded (passed, passed with revisions, revision submitted, revise and
  resubmit, failed) without a concluded review round of a version of it, or in a state its last
  concluded round did not conclude (e.g. failed by the round, passed on the plan);
* ``plans.W002``: a plan marked passed whose current version passed no concluded round (directly,
  or as the verified revision of a pass with revisions);
* ``plans.W003``: a confirmed pilot without such a plan.

Warnings, not errors: ``migrate`` must still run on a database that holds such rows, so that they
can be repaired.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError, connections

LIMIT = 20


def _ready(alias: str) -> bool:
    tables = set(connections[alias].introspection.table_names())
    return {"plans_greenplan", "plans_planrevision", "reviews_reviewround", "projects_project"} <= tables


def check_plans_concluded_by_a_round(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Any]:
    if not databases:
        return []
    found: list[Any] = []
    for alias in databases:
        try:
            if not _ready(alias):
                continue
            found.extend(_check(alias))
        except DatabaseError:  # a database not yet migrated: nothing to report
            continue
    return found


def _check(alias: str) -> list[Any]:
    from greenbuild.plans.choices import CONCLUDED_STATUSES, PlanStatus
    from greenbuild.plans.models import GreenPlan
    from greenbuild.plans.selectors import review_basis
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.reviews.models import ReviewRound

    found: list[Any] = []
    plans = GreenPlan.objects.using(alias)
    concluded = plans.filter(status__in=list(CONCLUDED_STATUSES))
    with_round = ReviewRound.objects.using(alias).filter(status="concluded").values("plan_id")
    orphans = list(concluded.exclude(pk__in=with_round).select_related("project").order_by("pk")[:LIMIT])
    for plan in orphans:
        found.append(
            checks.Warning(
                "Plan {} of project {} is “{}” without a concluded review round.".format(
                    plan.pk, plan.project_id, plan.status
                ),
                hint="A plan is concluded only by its review round (reviews.services.conclude_round).",
                obj=plan,
                id="plans.W001",
            )
        )
    # a plan whose status is not what its last concluded round concluded (a status written outside
    # the round: an old admin revert, a raw update)
    from django.db.models import OuterRef, Subquery

    last = (
        ReviewRound.objects.using(alias)
        .filter(plan_id=OuterRef("pk"), status="concluded")
        .order_by("-pk")
        .values("conclusion")[:1]
    )
    follows = {
        PlanStatus.PASSED: {PlanStatus.PASSED, PlanStatus.PASSED_WITH_REVISIONS},
        PlanStatus.PASSED_WITH_REVISIONS: {PlanStatus.PASSED_WITH_REVISIONS},
        PlanStatus.REVISION_SUBMITTED: {PlanStatus.PASSED_WITH_REVISIONS},
        PlanStatus.REVISE: {PlanStatus.REVISE},
        PlanStatus.FAILED: {PlanStatus.FAILED},
    }
    mismatched = (
        concluded.exclude(pk__in=[p.pk for p in orphans])
        .annotate(last_conclusion=Subquery(last))
        .filter(last_conclusion__isnull=False)
        .order_by("pk")
    )
    for plan in mismatched:
        if plan.last_conclusion in follows.get(PlanStatus(plan.status), set()):
            continue
        orphans.append(plan)
        found.append(
            checks.Warning(
                "Plan {} of project {} is “{}” but its last review round concluded “{}”.".format(
                    plan.pk, plan.project_id, plan.status, plan.last_conclusion
                ),
                hint="A plan is concluded only by its review round (reviews.services.conclude_round).",
                obj=plan,
                id="plans.W001",
            )
        )
        if len(found) >= LIMIT * 2:
            break
    for plan in plans.filter(status=PlanStatus.PASSED).exclude(pk__in=[p.pk for p in orphans]).order_by("pk"):
        if review_basis(plan) is None:
            found.append(
                checks.Warning(
                    "Plan {} of project {} is passed, but its current version passed no concluded round.".format(
                        plan.pk, plan.project_id
                    ),
                    hint="The passed version is the one the round reviewed, or the verified revision.",
                    obj=plan,
                    id="plans.W002",
                )
            )
        if len(found) >= LIMIT * 2:
            break
    from greenbuild.projects.models import Project

    for project in Project.objects.using(alias).filter(status=ProjectStatus.CONFIRMED).order_by("pk"):
        plan = plans.filter(project=project).select_related("current_version").first()
        if plan is None or review_basis(plan) is None:
            found.append(
                checks.Warning(
                    "Pilot {} is confirmed without a plan whose current version passed a concluded review round.".format(
                        project.pk
                    ),
                    hint="A pilot is confirmed only on a plan that passed expert review (lifecycle confirmation_basis).",
                    obj=project,
                    id="plans.W003",
                )
            )
        if len(found) >= LIMIT * 3:
            break
    return found
