"""The lifecycle app listens to the plans app and registers into the projects app's hooks."""

from __future__ import annotations

from typing import Any


def baseline_from_passed_plan(
    sender: Any, *, plan: Any, version: Any, review_round: Any = None, actor: Any, **kwargs: Any
) -> None:
    """``plans.signals.plan_passed``: the passed plan's targets become the locked baseline."""
    from greenbuild.lifecycle.services import lock_baseline

    lock_baseline(actor=actor, plan_version=version, review_round=review_round)


def register() -> None:
    from greenbuild.lifecycle import services
    from greenbuild.plans.signals import plan_passed
    from greenbuild.projects import hooks

    plan_passed.connect(baseline_from_passed_plan, dispatch_uid="lifecycle.baseline_from_passed_plan")
    hooks.register_confirmation_basis(services.confirmation_basis)
    hooks.register_confirmable(services.confirmable_projects)  # its queryset twin (the to-dos)
    hooks.register_on_confirm(services.on_confirm)
