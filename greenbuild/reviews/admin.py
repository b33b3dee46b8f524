"""The reviews app in the admin (issue 17 item 5, SEC-05).

Rounds and their seats are read-only (they change through the services only; no history revert
either). A criteria scheme is editable until a round uses it; from then on it is frozen and shown
read-only here, sections and bands included, with the action “Copy as a new version” (the service
``copy_scheme_as_new_version``): the copy is edited and offered for the next draws, the original
stays as its rounds scored under it. Editing an in-use scheme is refused rather than silently
saved as a copy, so that nobody believes a running round was changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from greenbuild.core.errors import DomainError
from greenbuild.reviews import services
from greenbuild.reviews.models import (
    CriteriaScheme,
    CriteriaSection,
    ExpertProfile,
    PanelSeat,
    ReviewRound,
    ScoreBand,
    frozen_scheme_message,
)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ["user", "title", "employer", "available"]
    list_filter = ["available"]
    search_fields = ["user__username", "user__display_name", "title"]
    filter_horizontal = ["related_organisations"]


def _frozen(obj: Any) -> bool:
    return isinstance(obj, CriteriaScheme) and obj.in_use


class SchemePartInline(admin.TabularInline):
    """Sections and bands: editable with their scheme, read-only once a round uses it."""

    extra = 0

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class CriteriaSectionInline(SchemePartInline):
    model = CriteriaSection


class ScoreBandInline(SchemePartInline):
    """The score bands: from a consolidated score on, the conclusions the leader may record. A round
    keeps the bands (and the panel rules) as they were at its draw."""

    model = ScoreBand


@admin.register(CriteriaScheme)
class CriteriaSchemeAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "consolidation", "max_per_employer", "leader_selection", "active", "in_use", "based_on"]
    readonly_fields = ["based_on"]
    inlines = [CriteriaSectionInline, ScoreBandInline]
    actions = ["copy_as_new_version"]

    @admin.display(boolean=True, description=_("used by a review round"))
    def in_use(self, obj: CriteriaScheme) -> bool:
        return obj.in_use

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        obj = self.get_object(request, object_id)
        if request.method == "GET" and _frozen(obj):
            self.message_user(request, frozen_scheme_message(), level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: Any, obj: CriteriaScheme, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy as a new version"), permissions=["add"])
    def copy_as_new_version(self, request: Any, queryset: Any) -> None:
        for scheme in queryset:
            try:
                copy = services.copy_scheme_as_new_version(actor=request.user, scheme_id=scheme.pk)
            except DomainError as error:
                self.message_user(request, "{}: {}".format(scheme.name, error), level=messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("Copied as “{name}”: edit it; it is offered for new rounds instead of “{old}”.").format(
                    name=copy.name, old=scheme.name
                ),
            )


class PanelSeatInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PanelSeat
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in PanelSeat._meta.fields]


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyHistoryAdmin):
    """Read-only: rounds change through the services only (no change, delete or history revert:
    a revert would write an old status or conclusion back with no guard)."""

    list_display = ["plan", "status", "panel_size", "seed", "conclusion", "created_at"]
    list_filter = ["status", "conclusion"]
    inlines = [PanelSeatInline]

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        return [f.name for f in ReviewRound._meta.fields]
