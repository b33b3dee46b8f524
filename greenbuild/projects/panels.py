"""Panels other apps add to the project page, so the project views never import those apps.

An app registers its panel once, in its ``AppConfig.ready``::

    from greenbuild.projects.panels import register_panel

    register_panel(
        "plans",
        order=200,
        template="plans/partials/project_panel.html",
        context=plan_panel_context,  # (request, project) -> dict | None
    )

The project page asks every panel for its context, in ``order`` (then ``code``), and renders the
panel's template with the page's context plus that dict. A callable returning ``None`` hides the
panel: it is the panel's own gate (check ``permissions.can(...)`` of your app there). The callable
runs on every project page: keep its query count constant (no per-row queries), the project page's
query-count test covers every registered panel.

``column`` places the panel: ``"main"`` (the wide column, the default) or ``"side"`` (the narrow
column on the right). Registering the same ``code`` again replaces the earlier registration (the
test runner and ``ready`` may run twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]
Column = Literal["main", "side"]


@dataclass(frozen=True)
class Panel:
    code: str
    order: int
    template: str
    context: PanelContext
    column: Column = "main"


@dataclass(frozen=True)
class VisiblePanel:
    """A panel the current user sees, with the context its template renders with."""

    code: str
    template: str
    column: Column
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register_panel(code: str, *, order: int, template: str, context: PanelContext, column: Column = "main") -> Panel:
    """Add (or replace) the panel ``code`` on the project page."""
    if column not in ("main", "side"):
        raise ValueError(f"column must be 'main' or 'side', not {column!r}")
    panel = Panel(code=code, order=order, template=template, context=context, column=column)
    _panels[code] = panel
    return panel


def unregister_panel(code: str) -> None:
    """Remove the panel ``code`` (for tests that register a panel of their own)."""
    _panels.pop(code, None)


def registered_panels() -> list[Panel]:
    """Every registered panel, in page order."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.code))


def visible_panels(request: HttpRequest, project: Any) -> list[VisiblePanel]:
    """The panels ``request.user`` sees on ``project``'s page, in order."""
    visible = []
    for panel in registered_panels():
        context = panel.context(request, project)
        if context is not None:
            visible.append(VisiblePanel(panel.code, panel.template, panel.column, context))
    return visible
