from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import ReadOnlyHistoryAdmin
from greenbuild.reviews.models import (
    CriteriaScheme,
    CriteriaSection,
    ExpertProfile,
    PanelSeat,
    ReviewRound,
    ScoreBand,
)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "title", "employer", "available"]
    list_filter = ["available"]
    search_fields = ["user__username", "user__display_name", "title"]
    filter_horizontal = ["related_organisations"]


class CriteriaSectionInline(admin.TabularInline):
    model = CriteriaSection
    extra = 0


class ScoreBandInline(admin.TabularInline):
    """The score bands: from a consolidated score on, the conclusions the leader may record. A round
    keeps the bands (and the panel rules) as they were at its draw."""

    model = ScoreBand
    extra = 0


@admin.register(CriteriaScheme)
class CriteriaSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "consolidation", "max_per_employer", "leader_selection", "active"]
    inlines = [CriteriaSectionInline, ScoreBandInline]


class PanelSeatInline(admin.TabularInline):
    model = PanelSeat
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in PanelSeat._meta.fields]

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201 (the draw adds seats)
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyHistoryAdmin):
    """Read-only: rounds change through the services only (no change, delete or history revert:
    a revert would write an old status or conclusion back with no guard)."""

    list_display = ["plan", "status", "panel_size", "seed", "conclusion", "created_at"]
    list_filter = ["status", "conclusion"]
    inlines = [PanelSeatInline]

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        return [f.name for f in ReviewRound._meta.fields]

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False
