"""The supervision card of the project page (registered in ``SupervisionConfig.ready``): the
project's inspection plans, the draws that picked it and its third-party evaluations, each as the
reader's gate allows (a constant number of queries)."""

from __future__ import annotations

from typing import Any


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    from greenbuild.supervision.selectors import project_panel

    rows = project_panel(project, request.user)
    if not any(rows.values()):
        return None
    return {"supervision": rows}
