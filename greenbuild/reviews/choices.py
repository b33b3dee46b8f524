"""Choices of the reviews app: specialties, round states, seat responses, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Specialty(models.TextChoices):
    GREEN_BUILDING = "green_building", _("Green building")
    PREFABRICATION = "prefabrication", _("Prefabricated construction")
    BIM = "bim", _("BIM")
    CONSTRUCTION = "construction", _("Construction")
    MATERIALS = "materials", _("Building materials")
    HVAC = "hvac", _("HVAC")
    STRUCTURE = "structure", _("Structural engineering")
    COST = "cost", _("Cost engineering")


class RoundStatus(models.TextChoices):
    PANEL = "panel", pgettext_lazy("review round", "Panel forming")
    SCORING = "scoring", pgettext_lazy("review round", "Scoring")
    CLARIFICATION = "clarification", _("Waiting for the owner's clarification")
    CONCLUDED = "concluded", pgettext_lazy("review round", "Concluded")


#: a round in one of these states is still open (one open round per plan)
OPEN_STATUSES = frozenset({RoundStatus.PANEL, RoundStatus.SCORING, RoundStatus.CLARIFICATION})


class SeatResponse(models.TextChoices):
    PENDING = "pending", pgettext_lazy("panel seat", "Not answered yet")
    ACCEPTED = "accepted", pgettext_lazy("panel seat", "Accepted")
    DECLINED = "declined", pgettext_lazy("panel seat", "Declined")


class Consolidation(models.TextChoices):
    MEAN = "mean", _("Mean")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop the highest and the lowest from five experts)")


class Outcome(models.TextChoices):
    """The leader's conclusion; the values are the plan statuses ``conclude_plan`` takes."""

    PASSED = "passed", pgettext_lazy("review outcome", "Pass")
    PASSED_WITH_REVISIONS = "passed_with_revisions", pgettext_lazy("review outcome", "Pass with revisions")
    REVISE = "revise", pgettext_lazy("review outcome", "Revise and resubmit")
    FAILED = "failed", pgettext_lazy("review outcome", "Fail")


class LeaderSelection(models.TextChoices):
    """How a panel gets its leader (组长): a setting of the criteria scheme."""

    APPOINTED = "appointed", _("Appointed by the bureau")
    ELECTED = "elected", _("Elected by the panel")


class Exclusion(models.TextChoices):
    """Why an expert of the pool was left out of a draw (回避)."""

    ORGANISATION = "organisation", _("Works for the owner or a participant of the project")
    DECLARED_RELATION = "declared_relation", _("Declared a relation with the owner or a participant")
    DECLARED_CONFLICT = "declared_conflict", _("Declared a conflict of interest in an earlier review of this plan")
    EMPLOYER_LIMIT = "employer_limit", _("Another expert of the same employer is on the panel")


class RoundEventKind(models.TextChoices):
    """Entries of a round's timeline besides its status moves."""

    DECLINED = "declined", pgettext_lazy("review timeline", "Invitation declined")
    REPLACED = "replaced", pgettext_lazy("review timeline", "Replacement drawn")
    LEADER_APPOINTED = "leader_appointed", pgettext_lazy("review timeline", "Panel leader appointed")
    LEADER_VOTE = "leader_vote", pgettext_lazy("review timeline", "Vote for the panel leader")
    LEADER_ELECTED = "leader_elected", pgettext_lazy("review timeline", "Panel leader elected")
    SUBMITTED = "submitted", pgettext_lazy("review timeline", "Scores and opinion submitted")
