"""What other apps may read of the scoring app (its public read interface)."""

from __future__ import annotations

from typing import Any

from greenbuild.scoring.figures import pilot_checks
from greenbuild.scoring.permissions import can


def project_standards_summary(user: Any, project: Any) -> dict[str, Any] | None:
    """R7–R14 for the project page, or None when ``user`` may not see the project's scores."""
    if not can(user, "view", project):
        return None
    return {"checks": pilot_checks(project)}
