"""Bulletins in the admin: read-only rows; the moves (approve, publish) only through the services,
so publishing an unapproved bulletin is refused here as on every other path."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from greenbuild.bulletins import services
from greenbuild.bulletins.models import Bulletin, BulletinRevision
from greenbuild.core.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.reports.revisions.models import REVISION_FIELDS


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "kind", "period_start", "period_end", "status", "published_at")
    list_filter = ("kind", "status")
    actions = ["approve", "publish"]

    def _move(self, request: Any, queryset: Any, action: str) -> None:
        for bulletin in queryset:
            try:
                services.transition_bulletin(actor=request.user, bulletin_id=bulletin.pk, action=action)
            except ActionForbidden:
                self.message_user(request, "{}: {}".format(bulletin, gettext("Not allowed.")), level=messages.ERROR)
            except DomainError as error:
                self.message_user(request, "{}: {}".format(bulletin, error.message), level=messages.ERROR)
            else:
                self.message_user(request, "{}: {}".format(bulletin, gettext("done")))

    @admin.action(description=_("Approve"))
    def approve(self, request: Any, queryset: Any) -> None:
        self._move(request, queryset, "approve")

    @admin.action(description=_("Publish"))
    def publish(self, request: Any, queryset: Any) -> None:
        self._move(request, queryset, "publish")


@admin.register(BulletinRevision)
class BulletinRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "status", "requested_by", "generated_at")
    fields = ("bulletin", *REVISION_FIELDS)  # the parent first (its key comes after the shared fields)
    list_filter = ("status",)
