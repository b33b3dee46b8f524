"""A second-factor device removed (by the security administrator in the admin, or replaced) is audited."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.audit.signals import acting_user, current_request


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="secondfactor_device_deleted")
def on_device_deleted(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    if not instance.confirmed:
        return
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=instance.user_id).first()
    record_event(EventKind.OTP_RESET, actor=acting_user(instance), request=current_request(), target=user)
