"""Template filters that show what the standards engines said in the user's language.

``{% load standards_text %}``, then ``{{ finding|finding_reason }}``, ``{{ finding|finding_title }}``,
``{{ run.result|explanation_lines }}``, ``{{ run.edition|edition_name:run.ruleset_version }}``,
``{{ run|run_headline }}``, ``{{ run|run_subject }}``, ``{{ "one_star"|standards_label:"level" }}``,
``{{ value|yes_no }}`` and ``{% confidence_legend %}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from greenbuild.scoring import messages

register = template.Library()


@register.filter
def finding_reason(finding: Mapping[str, Any]) -> str:
    return messages.finding_reason(finding)


@register.filter
def clause_label(clause: str) -> str:
    return messages.clause_label(clause)


@register.filter
def finding_title(finding: Mapping[str, Any]) -> str:
    return messages.finding_title(finding)


@register.filter
def explanation_lines(result: Mapping[str, Any]) -> list[str]:
    return messages.explanation_lines(result or {})


@register.filter
def edition_name(edition: str, version: str | None = None) -> str:
    return messages.edition_name(str(edition), str(version) if version else None)


@register.filter
def run_headline(run: Any) -> str:
    return messages.run_headline(run)


@register.filter
def run_subject(run: Any) -> str:
    return messages.run_subject(run)


@register.filter
def standards_label(value: Any, kind: str) -> str:
    """The translated label of an engine code (``level``, ``grade``, ``structure`` ...)."""
    return messages.label(kind, value)


@register.filter
def yes_no(value: bool | None) -> str:
    """是 / 否 / 未填写 for true / false / null."""
    return messages.label("yes_no", value)


@register.filter
def tag_meaning(tag: str) -> str:
    return dict(messages.confidence_legend()).get(str(tag), "")


@register.inclusion_tag("scoring/partials/confidence_legend.html")
def confidence_legend() -> dict[str, Any]:
    return {"tags": messages.confidence_legend()}


@register.filter
def computed_from(run: Any) -> str:
    """When a record engine's result was computed and from how many records (issue 16 item 6)."""
    from django.utils import timezone
    from django.utils.dateformat import format as format_date
    from django.utils.translation import ngettext

    inputs = run.inputs or {}
    count = sum(len(inputs.get(key) or []) for key in ("records", "items", "materials", "construction_energy"))
    return ngettext("computed %(at)s from %(count)s record", "computed %(at)s from %(count)s records", count) % {
        "at": format_date(timezone.localtime(run.at), "Y-m-d H:i"),
        "count": count,
    }


@register.filter
def figure(value: Any) -> str:
    """A score, ratio or quantity in the one format of every page (SCO-11)."""
    return messages.figure(value)


@register.filter
def unit_symbol(unit: Any) -> str:
    """``m2`` → ``m²``, ``m3`` → ``m³``."""
    return messages.unit_symbol(unit)
