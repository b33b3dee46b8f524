from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    """Where an application stands (R4). Colours are Bootstrap badge classes."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RECOMMENDED = "recommended", _("Recommended by district")
    REJECTED = "rejected", _("Not selected")
    CANDIDATE = "candidate", _("Candidate pilot")
    CONFIRMED = "confirmed", _("Confirmed pilot")
    WITHDRAWN = "withdrawn", _("Withdrawn")


STATUS_COLOURS = {
    ProjectStatus.DRAFT: "secondary",
    ProjectStatus.SUBMITTED: "info",
    ProjectStatus.RETURNED: "warning",
    ProjectStatus.RECOMMENDED: "primary",
    ProjectStatus.REJECTED: "danger",
    ProjectStatus.CANDIDATE: "teal",
    ProjectStatus.CONFIRMED: "success",
    ProjectStatus.WITHDRAWN: "dark",
}


class WithdrawalStatus(models.TextChoices):
    """Where an owner's request to withdraw a confirmed pilot stands (issue 10, item 23)."""

    PENDING = "pending", _("Awaiting the bureau's decision")
    APPROVED = "approved", _("Withdrawal approved")
    REFUSED = "refused", _("Withdrawal refused")


#: States in which the owner's application form is open for editing; it locks under review.
EDITABLE_STATUSES = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})


class StarLevel(models.TextChoices):
    """Green building level under GB/T 50378 (R7)."""

    NONE = "none", _("Not rated")
    BASIC = "basic", _("Basic level")
    ONE_STAR = "one_star", _("One star")
    TWO_STAR = "two_star", _("Two star")
    THREE_STAR = "three_star", _("Three star")


class ParticipantRole(models.TextChoices):
    EPC_CONTRACTOR = "epc_contractor", _("EPC contractor")
    DESIGNER = "designer", _("Designer")
    CONTRACTOR = "contractor", _("Contractor")
    SUPERVISOR = "supervisor", _("Supervisor")
    CONSULTANT = "consultant", _("Whole-process consultant")
    MANUFACTURER = "manufacturer", _("Component manufacturer")
    EVALUATOR = "evaluator", _("Third-party evaluator")
