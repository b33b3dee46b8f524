"""System check: bill-of-materials lines that still name a category or unit outside the rule table.

Such a line is left from before the lists (SCO-06): the data migration maps the known free-text
spellings, and this check names the rest, so the bureau can have them corrected; the line is
refused on its next save until a category and unit from the lists are chosen.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError


def unknown_material_values() -> list[tuple[int, int, str, str]]:
    """``(line id, project id, item_type, unit)`` of the lines whose category or unit is not listed."""
    from greenbuild.scoring.engines import material_item_types, material_units
    from greenbuild.scoring.models import MaterialLine

    categories = {row["title"]: row["group"] for row in material_item_types()}
    units = {row["key"] for row in material_units()}
    rows = MaterialLine.objects.values_list("pk", "project_id", "item_type", "unit", "group").order_by("pk")
    return [
        (pk, project, item_type, unit)
        for pk, project, item_type, unit, group in rows
        if categories.get(item_type) != group or unit not in units
    ]


@checks.register("greenbuild")
def check_material_categories(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        unknown = unknown_material_values()
    except DatabaseError:  # no tables yet (before migrate)
        return []
    if not unknown:
        return []
    shown = "; ".join(
        "line {} of project {}: {!r} / {!r}".format(pk, project, item_type, unit)
        for pk, project, item_type, unit in unknown[:10]
    )
    return [
        checks.Warning(
            "{} bill-of-materials line(s) name a category or unit that is not in the rule table: {}{}".format(
                len(unknown), shown, " …" if len(unknown) > 10 else ""
            ),
            hint="Open the project's records page and choose a category of appendix A and a unit from the lists.",
            id="greenbuild.scoring.W001",
        )
    ]
