"""The second factor (TOTP, django-otp) for administrator and bureau roles (docs/security.md).

``GREENBUILD_REQUIRE_OTP`` on: a person holding an administrator or bureau role (the three
separated administrators, the bureau administrator, staff and superusers) signs in with the
password, then a six-digit code of an authenticator app; until then every page but the second
factor's own, the password change and sign-out sends them to it. API tokens are unaffected: a
token is its own factor (created by a signed-in, verified person, scoped, expiring, revocable).
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenbuild.accounts.duties import is_administrator
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event

DEVICE_NAME = "authenticator"


def otp_required() -> bool:
    return bool(getattr(settings, "GREENBUILD_REQUIRE_OTP", False))


def needs_second_factor(user: Any) -> bool:
    """Whether ``user`` must present a code before anything else this session."""
    if not otp_required() or not getattr(user, "is_authenticated", False) or not is_administrator(user):
        return False
    return not user.is_verified()


def confirmed_device(user: Any) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (a fresh secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (no request leaves the server)."""
    import segno

    uri: str = segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)
    return uri


@transaction.atomic
def confirm_device(request: HttpRequest, *, user: Any, code: str) -> bool:
    """Confirm the pending device with a first code: it becomes the user's second factor and the
    session counts as verified. Any previously confirmed device is replaced."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(_digits(code)):
        record_event(EventKind.OTP_FAILED, actor=user, request=request, enrolment=True)
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record_event(EventKind.OTP_ENROLLED, actor=user, request=request, target=user)
    return True


def verify_code(request: HttpRequest, *, user: Any, code: str) -> bool:
    """Check a code of the user's confirmed device (django-otp throttles repeated failures)."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(_digits(code)):
        record_event(EventKind.OTP_FAILED, actor=user, request=request)
        return False
    otp_login(request, device)
    record_event(EventKind.OTP_VERIFIED, actor=user, request=request)
    return True


def _digits(code: str) -> str:
    return "".join(c for c in str(code or "") if c.isdigit())[:8]
