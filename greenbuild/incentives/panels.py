"""The incentives panel on the project page: the pilot's credit bonuses and escrow decision the
reader may see (hidden when there is none; two queries)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def project_panel_context(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    from greenbuild.incentives.models import BonusRecord, EscrowEligibility

    records = list(
        BonusRecord.objects.for_user(request.user)
        .filter(project_id=project.pk)
        .select_related("organisation")
        .order_by("role", "pk")
    )
    escrow = EscrowEligibility.objects.for_user(request.user).filter(project_id=project.pk).first()
    if not records and escrow is None:
        return None
    return {"incentive_records": records, "incentive_escrow": escrow}


def register() -> None:
    from greenbuild.projects.panels import register_panel

    register_panel(
        "incentives",
        order=700,
        template="incentives/partials/project_panel.html",
        context=project_panel_context,
        column="side",
    )
