from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.conference.choices import ActionItemStatus
from greenbuild.conference.models import Decision, Meeting
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
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("district") and data.get("department"):
            self.add_error("department", _("Assign the task to a district or to a department, not both."))
        elif not data.get("district") and not data.get("department") and "district" not in self.errors:
            self.add_error("district", _("Assign the task to a district or to a department."))
        return data


class MoveForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000)


class UploadForm(forms.Form):
    file = forms.FileField()


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
