"""The joint conference (联席会议, R18): members, meetings, decisions and action items.

The conference office sits in the bureau: the bureau administrator writes meetings (with their
notice, 会议通知, and attendance, 签到), minutes, decisions and action items; members (every
district and department) read them. Published minutes are locked: what follows is an addendum
(补充纪要), a new document. An action item is assigned to one district, department, organisation
(e.g. a pilot's owner) or named person, reaches their inbox and is tracked to closure (销号: the
assignee asks with a note and, where required, evidence; the office confirms or sends it back;
every move is a row).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.conference.choices import ActionItemStatus, AttendanceStatus, MeetingStatus, MemberRole
from greenbuild.core.models import TransitionLog


class ConferenceQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.conference.permissions import restrict

        return restrict(self, user, action)


class ConferenceMember(models.Model):
    """A seat at the conference: a person and/or an organisation, for a district or a department."""

    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    person = models.ForeignKey(
        "accounts.User", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    district = models.ForeignKey(
        "reference.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "reference.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("position"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("conference member")
        verbose_name_plural = _("conference members")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return str(self.person or self.organisation or self.district or self.department or "")

    def clean(self) -> None:
        if self.role != MemberRole.MEMBER and not self.person_id and not self.organisation_id:
            raise ValidationError({"person": _("Name the person or the organisation of this seat.")})
        if self.district_id and self.department_id:
            raise ValidationError({"department": _("A seat represents a district or a department, not both.")})
        if self.role == MemberRole.MEMBER and not self.district_id and not self.department_id:
            raise ValidationError({"district": _("A member represents a district or a department.")})

    @property
    def represents(self) -> Any:
        return self.district or self.department


class Meeting(models.Model):
    """A meeting of the joint conference: planned → held → minutes published, with its agenda,
    minutes and files; decisions and action items are recorded once it has been held."""

    number = models.PositiveIntegerField(_("number"), unique=True, help_text=_("The meeting's sequence number."))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    notice = models.TextField(_("meeting notice"), blank=True, editable=False)
    notice_issued_at = models.DateTimeField(_("notice issued at"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, editable=False
    )
    attachments = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-number"]

    def __str__(self) -> str:
        return _("Meeting {number}: {title}").format(number=self.number, title=self.title)

    @property
    def locked(self) -> bool:
        """Published minutes are the record: nothing of the meeting changes any more."""
        return self.status == MeetingStatus.MINUTES_PUBLISHED


class Attendance(models.Model):
    """Who attended a meeting (签到): one row per seat, recorded by the conference office."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        ConferenceMember, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    deputy_name = models.CharField(_("attended on behalf by"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="conference_attendance_once")]

    def __str__(self) -> str:
        return "{} · {}".format(self.member, self.get_status_display())


class MinutesAddendum(models.Model):
    """A supplement to published minutes (补充纪要): a new document, numbered within the meeting,
    never changed once issued."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("addendum"))
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes addendum")
        verbose_name_plural = _("minutes addenda")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="conference_addendum_number")]

    def __str__(self) -> str:
        return _("Addendum {number} to the minutes of meeting {meeting}").format(
            number=self.number, meeting=self.meeting.number
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(_("An issued addendum is not changed: issue another one."))
        super().save(*args, **kwargs)


class MeetingTransition(TransitionLog):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("meeting transition")
        verbose_name_plural = _("meeting transitions")

    @property
    def to_label(self) -> str:
        return str(MeetingStatus(self.to_status).label)


class Decision(models.Model):
    """A decision (议定事项) of a meeting, numbered within it."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    history = HistoricalRecords()

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="conference_decision_number")]

    def __str__(self) -> str:
        return "{}.{} {}".format(self.meeting.number, self.number, self.text[:40])


ASSIGNEE_FIELDS = ("district", "department", "organisation", "person")


def _one_assignee() -> models.Q:
    """Exactly one of :data:`ASSIGNEE_FIELDS` is set."""
    options = []
    for chosen in ASSIGNEE_FIELDS:
        one = models.Q(**{"{}__isnull".format(chosen): False})
        for other in ASSIGNEE_FIELDS:
            if other != chosen:
                one &= models.Q(**{"{}__isnull".format(other): True})
        options.append(one)
    condition = options[0]
    for one in options[1:]:
        condition |= one
    return condition


class ActionItem(models.Model):
    """A task (督办事项) assigned to one district, department, organisation or named person with a
    due date; it waits in the assignee's inbox until the assignee asks for its closure (销号) with
    a note (and evidence where required) and the conference office confirms it; the office may
    send a request back, or reopen a closed item."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    title = models.CharField(_("task"), max_length=300)
    district = models.ForeignKey(
        "reference.District", verbose_name=_("assigned district"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "reference.Department",
        verbose_name=_("assigned department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("assigned organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "accounts.User",
        verbose_name=_("assigned person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("due date"))
    evidence_required = models.BooleanField(_("evidence required for closure"), default=False)
    evidence = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("closure evidence"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN, editable=False
    )
    closure_note = models.TextField(_("closure note"), blank=True, editable=False)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("closure confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(_("closure confirmed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]
        constraints = [models.CheckConstraint(condition=_one_assignee(), name="conference_action_item_one_assignee")]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee(self) -> Any:
        if self.person_id:
            return self.person
        return self.district or self.department or self.organisation

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionItemStatus.OPEN and self.due < timezone.localdate()


class ActionItemTransition(TransitionLog):
    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("action item transition")
        verbose_name_plural = _("action item transitions")

    @property
    def to_label(self) -> str:
        return str(ActionItemStatus(self.to_status).label)
