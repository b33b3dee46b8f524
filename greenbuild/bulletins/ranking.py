"""The ranking rule of the bulletins, as data (frozen into every bulletin with its result).

Districts are ranked by the criteria in order; each criterion names a figure of the district's
row and its direction. A criterion whose figures the bulletin has no data for yet (its section
says "no data yet") is skipped, and the bulletin records that it was not applied. Districts whose
figures are all equal share a rank (standard competition ranking: 1, 2, 2, 4); a missing figure
(``None``) ranks after any value. The rule's ``code`` changes whenever the rule changes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

RANKING_RULE: dict[str, Any] = {
    "code": "district-2026-12",
    "subject": "district",
    "criteria": [
        {
            "key": "quota_attainment_pct",
            "order": "desc",
            "section": "districts",
            "label": _("Quota attainment (%)"),
            "explanation": _(
                "Confirmed pilots counted against the district quota, each category up to its minimum, "
                "over the minimum of all categories."
            ),
        },
        {
            "key": "targets_met_pct",
            "order": "desc",
            "section": "attainment",
            "label": _("Pilots meeting their targets (%)"),
            "explanation": _("Of the confirmed pilots whose attainment is known, the share that meets its targets."),
        },
        {
            "key": "overdue_orders",
            "order": "asc",
            "section": "rectification",
            "label": _("Overdue rectification orders"),
            "explanation": _("Rectification orders past their deadline and not closed: fewer ranks higher."),
        },
        {
            "key": "confirmed",
            "order": "desc",
            "section": "districts",
            "label": _("Confirmed pilots"),
            "explanation": _("The number of confirmed pilots of the district."),
        },
    ],
}


def rule_as_data(available: dict[str, bool]) -> dict[str, Any]:
    """The rule as stored in a bulletin: labels as text, and whether each criterion was applied."""
    return {
        "code": RANKING_RULE["code"],
        "subject": RANKING_RULE["subject"],
        "ties": str(_("Equal figures share a rank (1, 2, 2, 4); a missing figure ranks last.")),
        "criteria": [
            {
                "key": c["key"],
                "order": c["order"],
                "label": str(c["label"]),
                "explanation": str(c["explanation"]),
                "applied": bool(available.get(c["section"], False)),
            }
            for c in RANKING_RULE["criteria"]
        ],
    }


def _sort_key(row: dict[str, Any], criteria: list[dict[str, Any]]) -> tuple[Any, ...]:
    key: list[Any] = []
    for criterion in criteria:
        value = row.get(criterion["key"])
        if value is None:
            key.append((1, 0))
        else:
            key.append((0, -value if criterion["order"] == "desc" else value))
    return tuple(key)


def rank(rows: list[dict[str, Any]], rule: dict[str, Any]) -> list[dict[str, Any]]:
    """``rows`` (one per district, with ``name`` and ``sort_order``) ranked by the applied
    criteria of ``rule`` (:func:`rule_as_data`): each gets ``rank`` and the figures it was ranked by."""
    criteria = [c for c in rule["criteria"] if c["applied"]]
    ordered = sorted(rows, key=lambda r: (_sort_key(r, criteria), r.get("sort_order", 0), r["name"]))
    ranked: list[dict[str, Any]] = []
    previous: tuple[Any, ...] | None = None
    current_rank = 0
    for position, row in enumerate(ordered, start=1):
        key = _sort_key(row, criteria)
        if key != previous:
            current_rank = position
            previous = key
        ranked.append(
            {
                "rank": current_rank,
                "district_id": row["district_id"],
                "name": row["name"],
                "figures": {c["key"]: row.get(c["key"]) for c in criteria},
            }
        )
    return ranked
