"""Reading plans: the plan that passed review (the baseline rests on it), versions, labels."""

from __future__ import annotations

from typing import Any

from greenbuild.plans.models import GreenPlan, PlanVersion


def plan_of(project: Any) -> GreenPlan | None:
    return GreenPlan.objects.filter(project=project).select_related("current_version").first()


def passed_plan(project: Any) -> tuple[GreenPlan, PlanVersion, Any] | None:
    """``(plan, version, review_round)`` when the project's plan passed expert review, else None.

    Read from the review, not from the plan's status: the plan's CURRENT version passed a
    concluded round (conclusion "passed", the round reviewed that version), or it is the revised
    version of a "passed with revisions" whose revision was verified (复核, accepted).
    """
    plan = plan_of(project)
    if plan is None or plan.current_version is None:
        return None
    review_round = review_basis(plan)
    if review_round is None:
        return None
    return plan, plan.current_version, review_round


def review_basis(plan: GreenPlan) -> Any:
    """The concluded review round the plan's current version passed (directly, or through a
    verified revision), or None."""
    from greenbuild.plans.choices import RevisionStatus

    model = _round_model()
    if model is None or plan.current_version_id is None:
        return None
    direct = (
        model._default_manager.filter(
            plan_id=plan.pk, status="concluded", conclusion="passed", plan_version_id=plan.current_version_id
        )
        .order_by("-pk")
        .first()
    )
    if direct is not None:
        return direct
    revision = (
        plan.revisions.filter(
            status=RevisionStatus.ACCEPTED,
            submitted_version_id=plan.current_version_id,
            review_round__status="concluded",
            review_round__conclusion="passed_with_revisions",
        )
        .select_related("review_round")
        .order_by("-pk")
        .first()
    )
    return revision.review_round if revision is not None else None


def concluding_round(plan: GreenPlan) -> Any:
    """The latest concluded review round of the plan (whatever its conclusion), or None."""
    model = _round_model()
    if model is None:
        return None
    return model._default_manager.filter(plan_id=plan.pk, status="concluded").order_by("-pk").first()


def latest_round(plan: GreenPlan) -> Any:
    """The plan's latest review round, whatever its state, or None."""
    model = _round_model()
    if model is None:
        return None
    return model._default_manager.filter(plan_id=plan.pk).order_by("-pk").first()


def open_revision(plan: GreenPlan) -> Any:
    """The plan's revision request (修改后通过) not yet accepted, or None."""
    from greenbuild.plans.workflow import open_revision as _open

    return _open(plan)


def _round_model() -> Any:
    from django.apps import apps

    try:
        return apps.get_model("reviews", "ReviewRound")
    except LookupError:
        return None


def diff_labels(plan: GreenPlan) -> dict[str, str]:
    """Labels of the dynamic keys of ``plans.data.flatten``: buildings and guideline items."""
    from django.utils.translation import gettext

    from greenbuild.guidelines.models import GuidelineItem

    labels: dict[str, str] = {}
    for building in plan.project.buildings.all():
        labels["targets.assembly_rate_pct_by_building.{}".format(building.pk)] = gettext(
            "Assembly rate target of {building} (%)"
        ).format(building=building.name)
    guideline_ids = {plan.guideline_id, *plan.versions.values_list("guideline_id", flat=True)}
    for item in GuidelineItem.objects.filter(guideline_id__in=guideline_ids):
        labels.setdefault("measures." + item.code, "{} {}".format(item.code, item.text))
    return labels
