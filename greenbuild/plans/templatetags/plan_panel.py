"""``{% plan_panel project %}``: the green construction plan's card on the project page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("plans/partials/project_panel.html", takes_context=True)
def plan_panel(context: Any, project: Any) -> dict[str, Any]:
    from greenbuild.plans.models import GreenPlan
    from greenbuild.plans.permissions import PLAN_GATE, can_start_plan

    user = context["request"].user
    plan = PLAN_GATE.for_user(user).filter(project=project).select_related("current_version").first()
    can_start = (
        plan is None and can_start_plan(user, project) and not GreenPlan.objects.filter(project=project).exists()
    )
    return {"project": project, "plan": plan, "can_start": can_start}
