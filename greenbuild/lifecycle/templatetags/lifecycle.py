"""``{% baseline_table project checks %}``: R7–R14 declared / baseline / achieved on the standards
page, and the target rows of a baseline change request."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from greenbuild.lifecycle.permissions import BASELINE_GATE

register = template.Library()


def target_rows(project: Any, before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Label, baseline value, proposed value for each target (buildings by name)."""
    from greenbuild.lifecycle.selectors import _pct, _star

    rows = [
        (gettext("Target star level"), _star(before.get("star_level")), _star(after.get("star_level"))),
    ]
    before_rates = before.get("assembly_rate_pct_by_building") or {}
    after_rates = after.get("assembly_rate_pct_by_building") or {}
    for building in project.buildings.order_by("pk"):
        key = str(building.pk)
        rows.append(
            (
                gettext("Assembly rate target of {building} (%)").format(building=building.name),
                _pct(before_rates.get(key)),
                _pct(after_rates.get(key)),
            )
        )
    rows += [
        (
            gettext("Construction-waste intensity target (t/10,000 m²)"),
            before.get("waste_t_per_10k_m2") or "—",
            after.get("waste_t_per_10k_m2") or "—",
        ),
        (
            gettext("Green-material share target (%)"),
            _pct(before.get("green_material_pct")),
            _pct(after.get("green_material_pct")),
        ),
        (
            gettext("Carbon intensity target (kgCO₂e/m², optional)"),
            before.get("carbon_kgco2e_per_m2") or "—",
            after.get("carbon_kgco2e_per_m2") or "—",
        ),
    ]
    return rows


@register.inclusion_tag("lifecycle/partials/baseline_table.html", takes_context=True)
def baseline_table(context: Any, project: Any, checks: Any = None) -> dict[str, Any]:
    from greenbuild.lifecycle.selectors import current_baseline, side_by_side

    user = context["request"].user
    visible = BASELINE_GATE.for_user(user).filter(project=project).exists()
    return {
        "project": project,
        "baseline": current_baseline(project) if visible else None,
        "rows": side_by_side(project, checks) if visible else [],
    }


@register.filter
def may_see_lifecycle_overview(user: Any) -> bool:
    """REV-11: the menu's entry to every pilot's steps, for the bureau (no query)."""
    from greenbuild.accounts.roles import is_bureau_admin

    return is_bureau_admin(user)
