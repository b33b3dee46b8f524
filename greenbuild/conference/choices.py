"""Statuses and roles of the joint conference (联席会议, R18)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    DEPUTY = "deputy", _("Deputy convenor")
    MEMBER = "member", _("Member")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    REQUESTED = "requested", pgettext_lazy("action item", "Closure awaiting confirmation")
    CLOSED = "closed", pgettext_lazy("action item", "Closed")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    DEPUTY = "deputy", _("Represented by a deputy")
    ABSENT = "absent", _("Absent")


MEETING_STATUS_COLOURS = {
    MeetingStatus.PLANNED: "secondary",
    MeetingStatus.HELD: "info",
    MeetingStatus.MINUTES_PUBLISHED: "success",
}
