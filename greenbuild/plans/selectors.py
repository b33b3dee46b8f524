"""Reading plans: the plan that passed review (the baseline rests on it), versions, labels."""

from __future__ import annotations

from typing import Any

from greenbuild.plans.choices import PASSED_STATUSES
from greenbuild.plans.models import GreenPlan, PlanVersion


def plan_of(project: Any) -> GreenPlan | None:
    return GreenPlan.objects.filter(project=project).select_related("current_version").first()


def passed_plan(project: Any) -> tuple[GreenPlan, PlanVersion, Any] | None:
    """``(plan, version, review_round)`` when the project's plan passed expert review, else None.

    The review round is the reviews app's (read through the version under review) or None when
    the reviews app records none.
    """
    plan = plan_of(project)
    if plan is None or plan.status not in PASSED_STATUSES or plan.current_version is None:
        return None
    return plan, plan.current_version, _review_round(plan)


def _review_round(plan: GreenPlan) -> Any:
    from django.apps import apps

    try:
        model = apps.get_model("reviews", "ReviewRound")
    except LookupError:
        return None
    return model._default_manager.filter(plan=plan).order_by("-pk").first()


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
        labels.setdefault("measures." + item.code, "{} {}".format(item.code, item.short_text))
    return labels
