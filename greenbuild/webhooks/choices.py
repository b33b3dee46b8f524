from django.db import models
from django.utils.translation import gettext_lazy as _


class DisabledReason(models.TextChoices):
    """Why a subscription no longer delivers (beside being switched off by hand)."""

    FAILURES = "failures", _("Disabled after repeated failed deliveries")
    CREATOR_LEFT = "creator_left", _("Suspended: its creator no longer belongs to the organisation")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will be retried")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed (no more attempts)")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_DELIVERY = frozenset({DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED})
