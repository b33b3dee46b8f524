"""Summaries in the admin: read-only rows; the moves (approve, issue) only through the services,
so issuing an unapproved summary is refused here as on every other path."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.reports.revisions.models import REVISION_FIELDS
from greenbuild.summaries import services
from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryRevision


@admin.register(ProgrammeSummary)
class ProgrammeSummaryAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "status", "approved_at", "issued_at")
    list_filter = ("status",)
    actions = ["approve", "issue"]

    def get_queryset(self, request: Any) -> Any:
        """Through the summaries' gate: a draft or approved summary is the bureau's alone, here too
        (a district official with admin access saw and opened drafts)."""
        return ProgrammeSummary.objects.for_user(request.user)

    def _move(self, request: Any, queryset: Any, action: str) -> None:
        for summary in queryset:
            try:
                services.transition_summary(actor=request.user, summary_id=summary.pk, action=action)
            except ActionForbidden:
                self.message_user(request, "{}: {}".format(summary, gettext("Not allowed.")), level=messages.ERROR)
            except DomainError as error:
                self.message_user(request, "{}: {}".format(summary, error.message), level=messages.ERROR)
            else:
                self.message_user(request, "{}: {}".format(summary, gettext("done")))

    @admin.action(description=_("Approve"))
    def approve(self, request: Any, queryset: Any) -> None:
        self._move(request, queryset, "approve")

    @admin.action(description=_("Issue"))
    def issue(self, request: Any, queryset: Any) -> None:
        self._move(request, queryset, "issue")


@admin.register(SummaryRevision)
class SummaryRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "status", "requested_by", "generated_at")
    fields = ("summary", *REVISION_FIELDS)  # the parent first (its key comes after the shared fields)
    list_filter = ("status",)

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(summary__in=ProgrammeSummary.objects.for_user(request.user))


@admin.register(EditionChange)
class EditionChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "summary", "changed_by", "changed_at")

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(summary__in=ProgrammeSummary.objects.for_user(request.user))
