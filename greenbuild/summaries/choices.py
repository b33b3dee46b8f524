"""Statuses of the programme summary (总结评估) and of its generated revisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("summary", "Draft")
    APPROVED = "approved", pgettext_lazy("summary", "Approved")
    ISSUED = "issued", pgettext_lazy("summary", "Issued")


class RevisionStatus(models.TextChoices):
    """A revision is made in a background job: running until its figures and files are stored."""

    GENERATING = "generating", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")


STATUS_COLOURS = {
    SummaryStatus.DRAFT: "secondary",
    SummaryStatus.APPROVED: "info",
    SummaryStatus.ISSUED: "success",
}

#: the pilot requirements the summary reports, in order (R7–R14 of the programme)
REQUIREMENTS = ("R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")
