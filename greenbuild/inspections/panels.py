"""The inspections panel of the project page: recent inspections and open rectification orders."""

from __future__ import annotations

from typing import Any


def panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    from greenbuild.inspections.models import Finding, Inspection, RectificationOrder
    from greenbuild.inspections.permissions import in_scope

    user = request.user
    inspections = list(Inspection.objects.for_user(user).filter(project_id=project.pk).select_related("inspector")[:5])
    orders = list(
        RectificationOrder.objects.for_user(user)
        .filter(project_id=project.pk)
        .exclude(status="closed")
        .order_by("deadline", "pk")[:10]
    )
    open_findings = Finding.objects.for_user(user).filter(project_id=project.pk).exclude(status="closed").count()
    may_schedule = in_scope(user, project)
    if not inspections and not orders and not may_schedule:
        return None
    return {
        "inspections": inspections,
        "open_orders": orders,
        "open_findings": open_findings,
        "may_schedule": may_schedule,
        "project": project,
    }


def register() -> None:
    from greenbuild.projects.panels import register_panel

    register_panel("inspections", order=240, template="inspections/partials/project_panel.html", context=panel_context)
