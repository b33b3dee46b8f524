from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin
from greenbuild.core.errors import DomainError
from greenbuild.guidelines import services
from greenbuild.guidelines.models import Guideline, GuidelineItem


class GuidelineItemInline(admin.TabularInline):
    model = GuidelineItem
    extra = 0
    fields = [
        "sort_order",
        "part",
        "code",
        "text_zh",
        "text_en",
        "step",
        "evidence_zh",
        "evidence_en",
        "mandatory",
        "requirement",
        "is_technology",
    ]

    def _editable(self, obj: Any) -> bool:
        return obj is None or not obj.published

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Guideline)
class GuidelineAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Revise the guideline as a new edition: copy the edition in force, edit the copy, publish."""

    list_display = ["code", "title_zh", "effective_date", "published"]
    inlines = [GuidelineItemInline]
    actions = ["copy_as_new_edition", "publish"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        if getattr(request, "greenbuild_history_read_only", False):  # a historical version: all read-only
            return super().get_readonly_fields(request, obj)
        if obj is not None and obj.published:
            return ["code", "title_zh", "title_en", "effective_date", "published", "based_on"]
        return ["published", "based_on"]

    @admin.action(description=_("Copy as a new edition"))
    def copy_as_new_edition(self, request: Any, queryset: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        for guideline in queryset:
            try:  # a doubled click asks for the same code within the same second
                copy = services.copy_edition(
                    actor=request.user, guideline_id=guideline.pk, code="{}-{}".format(guideline.code[:24], stamp)
                )
            except DomainError as error:
                self.message_user(request, "{}: {}".format(guideline.code, error), level=messages.ERROR)
                continue
            self.message_user(request, gettext("Copied as “{code}”: edit it, then publish it.").format(code=copy.code))

    @admin.action(description=_("Publish"))
    def publish(self, request: Any, queryset: Any) -> None:
        for guideline in queryset:
            try:
                services.publish_edition(actor=request.user, guideline_id=guideline.pk)
            except DomainError as error:
                self.message_user(request, "{}: {}".format(guideline.code, error), level=messages.ERROR)
