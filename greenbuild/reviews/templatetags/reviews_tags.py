"""``user|may_see_reviews``: whether the navigation shows the expert reviews (bureau, experts, owners);
``{% plan_review_links plan %}``: links from a plan page to the review rounds of the plan the reader sees."""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import has_role, is_bureau_admin

register = template.Library()


@register.filter
def may_see_reviews(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_bureau_admin(user) or has_role(user, Role.EXPERT) or has_role(user, Role.OWNER_APPLICANT)


@register.inclusion_tag("reviews/partials/plan_review_links.html", takes_context=True)
def plan_review_links(context: Any, plan: Any) -> dict[str, Any]:
    """The plan's review rounds the reader may open (the reviews gate; one query)."""
    from greenbuild.reviews.permissions import ROUND_GATE

    request = context.get("request")
    user = getattr(request, "user", None)
    rounds = (
        list(
            ROUND_GATE.for_user(user)
            .filter(plan_id=plan.pk)
            .select_related("plan_version")
            .order_by("-created_at", "-pk")[:5]
        )
        if user is not None and plan is not None
        else []
    )
    return {"review_rounds": rounds, "project_id": getattr(plan, "project_id", None)}
