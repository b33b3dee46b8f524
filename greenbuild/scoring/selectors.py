"""What other apps may read of the scoring app (its public read interface)."""

from __future__ import annotations

from typing import Any

from greenbuild.scoring.figures import pilot_checks
from greenbuild.scoring.permissions import can


def project_standards_summary(user: Any, project: Any) -> dict[str, Any] | None:
    """R7–R14 for the project page, or None when ``user`` may not see the project's scores."""
    if not can(user, "view", project):
        return None
    return {"checks": pilot_checks(project, current_runs(project))}


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The standards-checks card of the project page (registered in ``ScoringConfig.ready``):
    shown on the internal page to whoever may see the project's scores."""
    from greenbuild.projects.permissions import can as can_project

    if not can_project(request.user, "view_internal", project):
        return None
    summary = project_standards_summary(request.user, project)
    return None if summary is None else {"standards": summary}


def unknown_pilot_requirements(project: Any) -> list[str]:
    """The requirements R7–R14 that are still unknown for ``project`` (registered into
    ``greenbuild.projects.hooks`` at app-ready time: confirming such a pilot needs a comment)."""
    from greenbuild.standards.pilot_checks import CheckStatus

    return [
        check.requirement
        for check in pilot_checks(project, current_runs(project))
        if check.status == CheckStatus.UNKNOWN
    ]


def current_runs(project: Any) -> dict[str, Any]:
    """The latest runs that still stand: an accepted GB/T 50378 run no longer counts once the
    owner changed a claim or its evidence after the review (issue 10 item 2), until it is reviewed
    again."""
    from greenbuild.scoring.choices import Basis
    from greenbuild.scoring.figures import latest_runs
    from greenbuild.scoring.models import ClauseClaim

    latest = latest_runs(project)
    outdated = set(
        ClauseClaim.objects.filter(scorecard__project=project)
        .exclude(changes_since_acceptance=[])
        .values_list("scorecard_id", flat=True)
    )
    return {
        key: run for key, run in latest.items() if not (run.scorecard_id in outdated and run.basis == Basis.ACCEPTED)
    }
