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
