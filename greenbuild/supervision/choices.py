"""Statuses and kinds of supervision: inspection plans, random draws (双随机) and third-party
evaluations (委托第三方技术咨询评估)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("inspection plan", "Active")
    PAUSED = "paused", pgettext_lazy("inspection plan", "Paused")
    ENDED = "ended", pgettext_lazy("inspection plan", "Ended")


class DrawKind(models.TextChoices):
    BOTH = "both", _("Projects and inspectors (double random)")
    PROJECTS = "projects", _("Projects only")
    INSPECTORS = "inspectors", _("Inspectors only")


class DrawStatus(models.TextChoices):
    DRAWN = "drawn", pgettext_lazy("draw", "Drawn")
    PUBLISHED = "published", pgettext_lazy("draw", "Published")


class EvaluationStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("evaluation", "Assigned")
    FILED = "filed", pgettext_lazy("evaluation", "Report filed")
    RETURNED = "returned", pgettext_lazy("evaluation", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("evaluation", "Accepted")


class Severity(models.TextChoices):
    """The severity a recommendation proposes for its finding (the inspections app's codes)."""

    MINOR = "minor", pgettext_lazy("severity", "Minor")
    MAJOR = "major", pgettext_lazy("severity", "Major")
    CRITICAL = "critical", pgettext_lazy("severity", "Critical")


PLAN_STATUS_COLOURS = {PlanStatus.ACTIVE: "success", PlanStatus.PAUSED: "warning", PlanStatus.ENDED: "secondary"}
DRAW_STATUS_COLOURS = {DrawStatus.DRAWN: "info", DrawStatus.PUBLISHED: "success"}
EVALUATION_STATUS_COLOURS = {
    EvaluationStatus.ASSIGNED: "info",
    EvaluationStatus.FILED: "primary",
    EvaluationStatus.RETURNED: "warning",
    EvaluationStatus.ACCEPTED: "success",
}
