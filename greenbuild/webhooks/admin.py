"""The allow-list of webhook hosts is kept here, by the system administrator duty (``accounts.duties``:
any model outside the security, audit and business sets is the system duty's). Subscriptions and
deliveries are shown read-only: they change through the organisation's pages and the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin
from greenbuild.webhooks.models import AllowedHost, Attempt, Delivery, Subscription


@admin.register(AllowedHost)
class AllowedHostAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["host", "allow_http", "allow_private", "note", "created_at"]
    search_fields = ["host", "note"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Subscription]):
    list_display = ["name", "organisation", "url", "is_active", "disabled_reason", "consecutive_failures"]
    list_filter = ["is_active", "disabled_reason"]
    search_fields = ["name", "url", "organisation__name"]
    exclude = ["secret", "previous_secret"]


class AttemptInline(ReadOnlyAdminMixin, admin.TabularInline[Attempt, Any]):
    model = Attempt
    extra = 0


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Delivery]):
    list_display = ["uuid", "subscription", "event", "status", "attempt_count", "created_at"]
    list_filter = ["status", "event"]
    inlines = [AttemptInline]
