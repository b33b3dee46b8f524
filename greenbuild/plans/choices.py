from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    IN_REVIEW = "in_review", _("In expert review")
    CLARIFICATION = "clarification", _("Clarification requested")
    PASSED = "passed", _("Passed")
    PASSED_WITH_REVISIONS = "passed_with_revisions", _("Passed with revisions")
    REVISION_SUBMITTED = "revision_submitted", _("Revision submitted for verification")
    REVISE = "revise", _("Revise and resubmit")
    FAILED = "failed", pgettext_lazy("plan review outcome", "Failed")  # 不通过, not a job's 失败


#: the owner writes the plan in these states (修改后通过: the revision the conclusion asks for)
OWNER_EDITABLE = frozenset(
    {PlanStatus.DRAFT, PlanStatus.REVISE, PlanStatus.CLARIFICATION, PlanStatus.PASSED_WITH_REVISIONS}
)
#: a plan that passed expert review (the baseline rests on it): passed at the conclusion, or passed
#: with revisions and the revision verified (复核) — both end in ``passed``
PASSED_STATUSES = frozenset({PlanStatus.PASSED})
#: the outcomes a review round's conclusion records (``conclude_plan``)
OUTCOMES = (PlanStatus.PASSED, PlanStatus.PASSED_WITH_REVISIONS, PlanStatus.REVISE, PlanStatus.FAILED)
#: the states a concluded review leaves the plan in (none of them is reached without a round)
CONCLUDED_STATUSES = frozenset(
    {
        PlanStatus.PASSED,
        PlanStatus.PASSED_WITH_REVISIONS,
        PlanStatus.REVISION_SUBMITTED,
        PlanStatus.REVISE,
        PlanStatus.FAILED,
    }
)


class VersionReason(models.TextChoices):
    SUBMISSION = "submission", _("Submission")
    CLARIFICATION = "clarification", _("Answer to a clarification")
    REVISION = "revision", _("Revision required by the review")


class RevisionStatus(models.TextChoices):
    """A revision request of a 修改后通过 conclusion (``PlanRevision``)."""

    REQUESTED = "requested", _("Waiting for the owner's revision")
    SUBMITTED = "submitted", _("Revision waiting for verification")
    ACCEPTED = "accepted", _("Revision verified")


class Verifier(models.TextChoices):
    """Who verifies (复核) a revision: the round's leader or the bureau."""

    LEADER = "leader", _("The panel leader")
    BUREAU = "bureau", _("The bureau")


class BimStage(models.TextChoices):
    DESIGN = "design", _("Design")
    PRODUCTION = "production", _("Production")
    CONSTRUCTION = "construction", _("Construction")
