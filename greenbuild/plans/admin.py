from __future__ import annotations

from django.contrib import admin

from greenbuild.core.admin import ReadOnlyHistoryAdmin
from greenbuild.plans.models import GreenPlan, PlanRevision, PlanVersion


class ReadOnlyAdmin(ReadOnlyHistoryAdmin):
    """Plans change through their services only (the owner's pages, the reviews app): the admin
    adds, changes, deletes and reverts nothing (a POST to the history view is 403, else it would
    write an old status back with no transition and no guard)."""


@admin.register(GreenPlan)
class GreenPlanAdmin(ReadOnlyAdmin):
    list_display = ["project", "status", "current_version", "updated_at"]
    list_filter = ["status"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "reason", "submitted_by", "submitted_at"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyAdmin):
    """Read-only: a revision is asked by the round's conclusion and verified on the plan page."""

    list_display = ["plan", "status", "deadline", "verifier", "submitted_version", "verified_by"]
    list_filter = ["status", "verifier"]
