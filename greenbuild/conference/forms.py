from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.models import Organisation, User
from greenbuild.conference.choices import ActionItemStatus, AttendanceStatus
from greenbuild.conference.models import ConferenceMember, Decision, Meeting
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.reference.models import Department, District


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["number", "title", "date", "place", "agenda", "minutes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def clean_number(self) -> Any:
        """UI-18: "Meeting 2 exists already", not Django's generic unique message."""
        number = self.cleaned_data.get("number")
        taken = Meeting.objects.filter(number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if number is not None and taken.exists():
            raise forms.ValidationError(_("Meeting {number} exists already.").format(number=number))
        return number

    def validate_unique(self) -> None:
        """The number is checked by :meth:`clean_number` (and again by the service)."""
        exclude = {*self._get_validation_exclusions(), "number"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class DecisionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("Assigned district"), queryset=District.objects.filter(active=True), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Assigned department"), queryset=Department.objects.filter(active=True), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Assigned organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Assigned person"),
        queryset=User.objects.filter(is_active=True).order_by("display_name", "username"),
        required=False,
    )
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence_required = forms.BooleanField(label=_("Closure needs evidence"), required=False)
    past_due_ok = forms.BooleanField(label=_("Assign it although the due date is past"), required=False)

    ASSIGNEES = ("district", "department", "organisation", "person")

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [name for name in self.ASSIGNEES if data.get(name)]
        if len(chosen) > 1:
            self.add_error(
                chosen[1], _("Choose one assignee only: a district, a department, an organisation or a person.")
            )
        elif not chosen and not any(name in self.errors for name in self.ASSIGNEES):
            self.add_error("district", _("Choose the assignee: a district, a department, an organisation or a person."))
        due = data.get("due")
        if due is not None and due < timezone.localdate() and not data.get("past_due_ok"):
            # REV-17: warn; the office confirms with the box if it means it
            self.add_error(
                "due",
                _("The due date {date} is already past: correct it, or tick the box to assign it anyway.").format(
                    date=due.isoformat()
                ),
            )
        return data


class MoveForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000)


class UploadForm(forms.Form):
    file = forms.FileField()


class NoticeForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Notice text"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Left empty, the notice names the date, the place and the agenda."),
    )


class AddendumForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("Addendum"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class AttendanceForm(BootstrapFormMixin, forms.Form):
    """One status (and a deputy's name) per active seat."""

    def __init__(self, *args: Any, seats: Any, current: dict[int, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        self.seats = []
        for seat in seats:
            status_name, deputy_name = "status_{}".format(seat.pk), "deputy_{}".format(seat.pk)
            row = current.get(seat.pk)
            self.fields[status_name] = forms.ChoiceField(
                label=str(seat),
                choices=AttendanceStatus.choices,
                initial=row.status if row else AttendanceStatus.PRESENT,
            )
            self.fields[deputy_name] = forms.CharField(
                label=_("attended on behalf by"), max_length=100, required=False, initial=row.deputy_name if row else ""
            )
            self.fields[status_name].widget.attrs["class"] = "form-select form-select-sm"
            self.fields[deputy_name].widget.attrs["class"] = "form-control form-control-sm"
            self.seats.append((seat, self[status_name], self[deputy_name]))

    def rows(self) -> dict[int, tuple[str, str]]:
        return {
            seat.pk: (
                self.cleaned_data["status_{}".format(seat.pk)],
                self.cleaned_data.get("deputy_{}".format(seat.pk)) or "",
            )
            for seat, _status, _deputy in self.seats
        }


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ConferenceMember
        fields = ["role", "person", "organisation", "district", "department", "title", "sort_order", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(is_active=True).order_by("display_name", "username")


class BoardFilterForm(BootstrapFormMixin, forms.Form):
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ActionItemStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("All"))]
        choices += [("district-{}".format(d.pk), d.name) for d in District.objects.filter(active=True)]
        choices += [("department-{}".format(d.pk), d.name) for d in Department.objects.filter(active=True)]
        self.fields["assignee"].choices = choices
