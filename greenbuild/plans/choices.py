from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    IN_REVIEW = "in_review", _("In expert review")
    CLARIFICATION = "clarification", _("Clarification requested")
    PASSED = "passed", _("Passed")
    PASSED_WITH_REVISIONS = "passed_with_revisions", _("Passed with revisions")
    REVISE = "revise", _("Revise and resubmit")
    FAILED = "failed", _("Failed")


#: the owner writes the plan in these states
OWNER_EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.REVISE, PlanStatus.CLARIFICATION})
#: a plan that passed expert review (the baseline rests on it)
PASSED_STATUSES = frozenset({PlanStatus.PASSED, PlanStatus.PASSED_WITH_REVISIONS})
#: the outcomes the review leader may record (``conclude_plan``)
OUTCOMES = (PlanStatus.PASSED, PlanStatus.PASSED_WITH_REVISIONS, PlanStatus.REVISE, PlanStatus.FAILED)


class VersionReason(models.TextChoices):
    SUBMISSION = "submission", _("Submission")
    CLARIFICATION = "clarification", _("Answer to a clarification")


class BimStage(models.TextChoices):
    DESIGN = "design", _("Design")
    PRODUCTION = "production", _("Production")
    CONSTRUCTION = "construction", _("Construction")
