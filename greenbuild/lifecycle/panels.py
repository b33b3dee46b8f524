"""The lifecycle card of the project page (registered in ``LifecycleConfig.ready``): R7–R14 as
declared, baseline and achieved; the baseline's versions and change requests; the steps as a
timeline with status, department, dates and documents."""

from __future__ import annotations

from typing import Any

from greenbuild.lifecycle.permissions import BASELINE_GATE, REQUEST_GATE, STEP_GATE, can_request_change


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    from greenbuild.lifecycle.selectors import baseline_exceptions, project_steps, side_by_side, waiting_days
    from greenbuild.projects.permissions import can as can_project
    from greenbuild.scoring.selectors import page_pilot_checks

    user = request.user
    if not can_project(user, "view_internal", project):
        return None
    baselines = list(
        BASELINE_GATE.for_user(user)
        .filter(project=project)
        .select_related("locked_by", "change_request", "source_plan_version", "review_round")
        .order_by("-version")
    )
    steps = project_steps(project) if STEP_GATE.for_user(user).filter(project=project).exists() else []
    if not baselines and not steps:
        return None
    requests = list(REQUEST_GATE.for_user(user).filter(project=project).select_related("requested_by", "decided_by"))
    return {
        "lifecycle": {
            # R7–R14 as the standards card beside it reads them (computed once for the page)
            "rows": side_by_side(project, page_pilot_checks(request, project)[1]),
            "baselines": baselines,
            "current": baselines[0] if baselines else None,
            "exceptions": baseline_exceptions(baselines[0] if baselines else None),
            "requests": requests,
            # one request waits at a time: no offer while one is pending (rule 3)
            "can_request": bool(baselines)
            and not any(r.status == "pending" for r in requests)
            and can_request_change(user, project),
            "steps": [(step, waiting_days(step) if step.status == "open" else None) for step in steps],
        }
    }
