"""Statuses of the programme summary (总结评估) and of its generated revisions."""

from django.db import models
from django.utils.translation import pgettext_lazy

# the revisions' statuses are shared by every frozen revision (reports/revisions); re-exported here
from greenbuild.reports.revisions.models import RevisionStatus as RevisionStatus


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("summary", "Draft")
    APPROVED = "approved", pgettext_lazy("summary", "Approved")
    ISSUED = "issued", pgettext_lazy("summary", "Issued")


STATUS_COLOURS = {
    SummaryStatus.DRAFT: "secondary",
    SummaryStatus.APPROVED: "info",
    SummaryStatus.ISSUED: "success",
}

#: the pilot requirements the summary reports, in order (R7–R14 of the programme)
REQUIREMENTS = ("R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")
