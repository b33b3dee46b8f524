"""Statuses and categories of inspections (监督检查), findings and rectification orders (整改通知书)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", pgettext_lazy("inspection", "Cancelled")


class CheckResult(models.TextChoices):
    PENDING = "pending", _("Not checked")
    PASS = "pass", _("Conforms")
    FAIL = "fail", _("Does not conform")
    NOT_APPLICABLE = "na", _("Not applicable")


class CheckSource(models.TextChoices):
    GUIDELINE = "guideline", _("Guideline item")
    BASELINE = "baseline", _("Baseline target")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class FindingSource(models.TextChoices):
    """Where a finding comes from (its type in the counts)."""

    INSPECTION = "inspection", _("Inspection")
    EVALUATION = "evaluation", _("Third-party evaluation")
    COMPLAINT = "complaint", _("Public complaint")
    OTHER = "other", _("Other")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    RECTIFYING = "rectifying", _("Under rectification")
    CLOSED = "closed", pgettext_lazy("finding", "Closed")


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, waiting for rectification")
    ANSWERED = "answered", _("Rectified, waiting for verification")
    CLOSED = "closed", _("Verified and closed")


SEVERITY_COLOURS = {Severity.MINOR: "secondary", Severity.MAJOR: "warning", Severity.CRITICAL: "danger"}
ORDER_STATUS_COLOURS = {OrderStatus.ISSUED: "warning", OrderStatus.ANSWERED: "info", OrderStatus.CLOSED: "success"}
