"""Statuses and categories of the public notice (公示) and public concern (公众留言), R26."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate pilot before confirmation")
    COMPLETION = "completion", _("Completion result before acceptance")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")


class MessageCategory(models.TextChoices):
    DUST = "dust", _("Dust")
    NOISE = "noise", _("Noise")
    NIGHT_WORK = "night_work", _("Night work")
    OTHER = "other", _("Other")


class MessageStatus(models.TextChoices):
    RECEIVED = "received", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
