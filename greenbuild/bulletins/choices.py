"""Kinds and statuses of the periodic bulletins (定期通报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# the revisions' statuses are shared by every frozen revision (reports/revisions); re-exported here
from greenbuild.reports.revisions.models import RevisionStatus as RevisionStatus


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly bulletin")
    QUARTERLY = "quarterly", _("Quarterly bulletin")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin", "Draft")
    APPROVED = "approved", pgettext_lazy("bulletin", "Approved")
    PUBLISHED = "published", pgettext_lazy("bulletin", "Published")


STATUS_COLOURS = {
    BulletinStatus.DRAFT: "secondary",
    BulletinStatus.APPROVED: "info",
    BulletinStatus.PUBLISHED: "success",
}
