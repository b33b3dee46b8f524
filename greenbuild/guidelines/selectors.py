"""Reading the technical guideline: the edition in force and its items."""

from __future__ import annotations

from typing import Any

from greenbuild.guidelines.models import Guideline, GuidelineItem


def current_guideline() -> Guideline | None:
    """The published edition in force: the latest effective date (then the latest created)."""
    return Guideline.objects.filter(published=True).order_by("-effective_date", "-pk").first()


def items_of(guideline: Guideline | None) -> Any:
    if guideline is None:
        return GuidelineItem.objects.none()
    return guideline.items.order_by("sort_order", "code")


def items_for_step(step_code: str, guideline: Guideline | None = None) -> Any:
    """The items of the edition in force (or ``guideline``) to be written into step ``step_code``."""
    return items_of(guideline or current_guideline()).filter(step=step_code, is_technology=False)


def measure_items(guideline: Guideline | None) -> Any:
    """The items a plan writes a measure for (everything but the suitable technologies)."""
    return items_of(guideline).filter(is_technology=False)


def technology_items(guideline: Guideline | None) -> Any:
    """The suitable technologies (R21) a plan may choose."""
    return items_of(guideline).filter(is_technology=True)
