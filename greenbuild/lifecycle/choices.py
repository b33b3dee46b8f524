"""Statuses of the lifecycle app: baseline change requests, project steps and their items."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bureau")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Not yet open")
    OPEN = "open", _("Open, waiting for sign-off")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    RETURNED = "returned", _("Returned")


#: a step in one of these states is done: the next steps may open
SIGNED_STATUSES = frozenset({StepStatus.APPROVED, StepStatus.APPROVED_WITH_CONDITIONS})


class ItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("step item", "Not yet written")
    WRITTEN = "written", _("Written into the instrument")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ConditionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("step condition", "Open")
    ANSWERED = "answered", _("Answered, waiting for confirmation")
    CONFIRMED = "confirmed", _("Met (confirmed)")


#: the baseline targets, in the shape of ``PlanVersion.data["targets"]``
TARGET_KEYS = (
    "star_level",
    "assembly_rate_pct_by_building",
    "waste_t_per_10k_m2",
    "green_material_pct",
    "carbon_kgco2e_per_m2",
)
