"""The expert-review panel of the project page (registered in ``ReviewsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from greenbuild.reviews.permissions import ROUND_GATE, can_draw


def review_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The project's review rounds the user may see (one query), or None to hide the panel."""
    user = request.user
    rounds = list(
        ROUND_GATE.for_user(user)
        .filter(plan__project_id=project.pk)
        .select_related("plan_version")
        .order_by("-created_at", "-pk")[:5]
    )
    if not rounds:
        return None
    return {"review_rounds": rounds, "review_is_bureau": can_draw(user)}
