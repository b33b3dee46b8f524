"""Kinds and statuses of the periodic bulletins (定期通报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BulletinKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly bulletin")
    QUARTERLY = "quarterly", _("Quarterly bulletin")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin", "Draft")
    APPROVED = "approved", pgettext_lazy("bulletin", "Approved")
    PUBLISHED = "published", pgettext_lazy("bulletin", "Published")


class RevisionStatus(models.TextChoices):
    """A revision is made in a background job: running until its figures and files are stored."""

    GENERATING = "generating", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")


STATUS_COLOURS = {
    BulletinStatus.DRAFT: "secondary",
    BulletinStatus.APPROVED: "info",
    BulletinStatus.PUBLISHED: "success",
}
