"""The second-factor devices in the admin: the security administrator views and removes (resets)
a device, never adds or edits one. A device is enrolled by its owner alone, on the setup page:
a device added for someone else (with a key the adder knows) would let the adder pass that
person's second factor (三员, ACC-08)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class EnrolledByOwnerTOTPDeviceAdmin(TOTPDeviceAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
