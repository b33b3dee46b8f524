"""What other apps may read of the scoring app (its public read interface)."""

from __future__ import annotations

from typing import Any

from greenbuild.scoring.figures import pilot_checks
from greenbuild.scoring.models import ClauseClaim
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


def claim_histories(claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each claim's history rows, oldest first (when, who, claimed, accepted, evidence replaced):
    what the reviewer reads of a clause changed since their decision."""
    history: dict[int, list[dict[str, Any]]] = {}
    entries = ClauseClaim.history.filter(id__in=claim_ids).select_related("history_user")
    for entry in entries.order_by("history_date", "history_id"):
        earlier = history.setdefault(entry.id, [])
        earlier.append(
            {
                "at": entry.history_date,
                "who": entry.history_user,
                "claimed": entry.claimed_pass if entry.kind == "control" else entry.claimed_points,
                "accepted": entry.accepted_pass if entry.kind == "control" else entry.accepted_points,
                "evidence_replaced": bool(earlier) and entry.evidence_id != earlier[-1]["evidence_id"],
                "evidence_id": entry.evidence_id,
            }
        )
    return history
