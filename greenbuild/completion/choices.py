from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvaluationStatus(models.TextChoices):
    """A completion evaluation (绿色建造专项评估验收), R6."""

    DRAFT = "draft", _("Gathering the achieved values")
    PANEL = "panel", _("With the expert panel")
    PANEL_CONCLUDED = "panel_concluded", _("Panel concluded")
    ACCEPTED = "accepted", pgettext_lazy("completion evaluation", "Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


#: the evaluation is final (the bureau's conclusion is recorded)
FINAL_STATUSES = frozenset({EvaluationStatus.ACCEPTED, EvaluationStatus.NOT_ACCEPTED})

STATUS_COLOURS = {
    EvaluationStatus.DRAFT: "secondary",
    EvaluationStatus.PANEL: "info",
    EvaluationStatus.PANEL_CONCLUDED: "warning",
    EvaluationStatus.ACCEPTED: "success",
    EvaluationStatus.NOT_ACCEPTED: "danger",
}


class Verdict(models.TextChoices):
    MET = "met", _("Targets met")
    NOT_MET = "not_met", _("Targets not met")
    INCOMPLETE = "incomplete", _("Data missing")


class PanelVerdict(models.TextChoices):
    PASS = "pass", _("Recommend acceptance")  # noqa: S105
    FAIL = "fail", _("Do not recommend acceptance")


class LessonTopic(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    MANAGEMENT = "management", _("Management")
    COST = "cost", _("Cost")
    OTHER = "other", _("Other")


CRITERION_STATUS_LABELS = {
    "met": pgettext_lazy("completion criterion", "Met"),
    "missed": pgettext_lazy("completion criterion", "Missed"),
    "missing": pgettext_lazy("completion criterion", "Data missing"),
    "not_applicable": pgettext_lazy("completion criterion", "Not applicable"),
}
