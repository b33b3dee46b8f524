"""Extension points other apps register into at app-ready time, so projects never imports them.

The scoring app knows which pilot requirements (R7–R14) are still unknown for a project; the
projects app asks it through this registry (``ScoringConfig.ready`` registers the provider)::

    from greenbuild.projects import hooks
    hooks.register_unknown_requirements(unknown_pilot_requirements)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

UnknownRequirements = Callable[[Any], list[str]]  # project -> requirement codes ("R9", …)

_unknown_requirements: list[UnknownRequirements] = []


def register_unknown_requirements(provider: UnknownRequirements) -> UnknownRequirements:
    """Add ``provider`` (idempotent: registering the same function twice keeps one)."""
    if provider not in _unknown_requirements:
        _unknown_requirements.append(provider)
    return provider


def unknown_pilot_requirements(project: Any) -> list[str]:
    """The pilot requirements no provider can yet say pass or fail for ``project``, in order."""
    seen: dict[str, None] = {}
    for provider in _unknown_requirements:
        seen.update(dict.fromkeys(provider(project)))
    return list(seen)


# --- what a confirmation rests on (issue 13 item 5) ------------------------------------------

#: project -> (reasons the pilot cannot be confirmed yet, facts the confirmation rests on)
ConfirmationBasis = Callable[[Any], tuple[list[Any], dict[str, Any]]]
OnConfirm = Callable[[Any, Any], Any]  # (project, actor) -> anything; in the confirming transaction

_confirmation_bases: list[ConfirmationBasis] = []
_on_confirm: list[OnConfirm] = []


def register_confirmation_basis(provider: ConfirmationBasis) -> ConfirmationBasis:
    """Add ``provider`` (the lifecycle app: the plan has passed expert review); idempotent."""
    if provider not in _confirmation_bases:
        _confirmation_bases.append(provider)
    return provider


def register_on_confirm(callback: OnConfirm) -> OnConfirm:
    """Run ``callback(project, actor)`` inside the transaction that confirms a pilot; idempotent."""
    if callback not in _on_confirm:
        _on_confirm.append(callback)
    return callback


def confirmation_blockers(project: Any) -> list[Any]:
    """Why ``project`` cannot be confirmed yet (empty when every provider agrees)."""
    return [reason for provider in _confirmation_bases for reason in provider(project)[0]]


def confirmation_context(project: Any) -> dict[str, Any]:
    """The facts a confirmation of ``project`` rests on (the review, the plan version …)."""
    facts: dict[str, Any] = {}
    for provider in _confirmation_bases:
        facts.update(provider(project)[1])
    return facts


#: queryset -> its projects every confirmation basis accepts (one query; the to-do lists)
ConfirmableFilter = Callable[[Any], Any]
_confirmable_filters: list[ConfirmableFilter] = []


def register_confirmable(queryset_filter: ConfirmableFilter) -> ConfirmableFilter:
    """Add the queryset twin of a confirmation basis (``lifecycle.services.confirmable_projects``
    beside ``confirmation_basis``): the projects it finds no reason to refuse. Idempotent."""
    if queryset_filter not in _confirmable_filters:
        _confirmable_filters.append(queryset_filter)
    return queryset_filter


def confirmable(queryset: Any) -> Any:
    """``queryset``'s projects that every registered basis lets the bureau confirm now.

    With a basis registered but no queryset twin, nothing is confirmable by this count (a to-do
    never offers a confirmation the guard would refuse)."""
    if len(_confirmable_filters) < len(_confirmation_bases):
        return queryset.none()
    for queryset_filter in _confirmable_filters:
        queryset = queryset_filter(queryset)
    return queryset


def run_on_confirm(project: Any, actor: Any) -> None:
    for callback in _on_confirm:
        callback(project, actor)
