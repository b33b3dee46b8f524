"""Forms of inspections: scheduling, the checklist, a finding (with a photo taken on site), a
rectification order, its moves, its evidence and a new deadline; the counts' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.attachments.forms import photo_field
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.inspections.choices import FindingSource, Severity

DATE = {"type": "date"}


class ScheduleForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        help_text=_("A pilot in your inspection scope."),  # type: ignore[arg-type]
    )
    inspector = forms.ModelChoiceField(
        label=_("Inspector"),
        queryset=None,  # type: ignore[arg-type]
        help_text=_("The bureau, an official of the project's district or a member of the inspector pool."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, help_text=_("E.g. regular inspection of the step.")
    )

    def __init__(self, *args: Any, projects: Any, inspectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["inspector"].queryset = inspectors  # type: ignore[attr-defined]


class FindingForm(BootstrapFormMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    guideline_item = forms.ModelChoiceField(
        label=_("Guideline item"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("The item of the technical guideline the finding concerns, if any."),
    )
    clause = forms.CharField(
        label=_("Standard clause"),
        max_length=100,
        required=False,
        help_text=_("E.g. GB/T 50905-2014 4.2.1; name a guideline item or a clause."),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False, help_text=_("Where on site."))
    summary = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = photo_field(label=_("Photo"), required=False)
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=_("Give a deadline to issue a rectification order at once."),
    )
    instructions = forms.CharField(
        label=_("What to rectify"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from greenbuild.guidelines.models import GuidelineItem

        self.fields["guideline_item"].queryset = items if items is not None else GuidelineItem.objects.none()  # type: ignore[attr-defined]


class OrderForm(BootstrapFormMixin, forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    instructions = forms.CharField(
        label=_("What to rectify"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MoveForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000)
    deadline = forms.DateField(label=_("New deadline"), required=False)


class DeadlineForm(BootstrapFormMixin, forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class PhotoForm(forms.Form):
    file = photo_field(label=_("Photo"))


class CloseFindingForm(forms.Form):
    comment = forms.CharField(label=_("Why no rectification is needed"), max_length=5000)


class StatsFilterForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)  # type: ignore[arg-type]
    by = forms.ChoiceField(
        label=_("Count by"), choices=[("project", _("Project")), ("district", _("District"))], required=False
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]

    def clean(self) -> Any:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end lies before the start."))
        return data


SOURCES = FindingSource
