from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.incentives.choices import Audience, EnterpriseRole, ResultLevel
from greenbuild.incentives.models import TrainingSession


def point_field_name(role: str, level: str) -> str:
    return "points_{}_{}".format(role, level)


class BonusRuleForm(BootstrapFormMixin, forms.Form):
    """A new version of the bonus rule: points by role and result level."""

    version = forms.CharField(
        label=_("Version"), max_length=40, help_text=_("A short name of this version, e.g. 2021-1.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The rule applies to pilots accepted on or after this date."),
    )
    source = forms.CharField(
        label=_("Policy source"),
        max_length=300,
        required=False,
        help_text=_("The policy document the points come from."),
    )
    excellent_score = forms.DecimalField(
        label=_("Score for distinction"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=1,
        help_text=_("A passed evaluation scoring at least this counts as passed with distinction; empty: never."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in EnterpriseRole:
            for level in ResultLevel:
                self.fields[point_field_name(role.value, level.value)] = forms.DecimalField(
                    label=_("{role}, {level}: points").format(role=role.label, level=level.label),
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    max_digits=5,
                    decimal_places=1,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
                )

    def points(self) -> dict[tuple[str, str], Decimal]:
        result = {}
        for role in EnterpriseRole:
            for level in ResultLevel:
                value = self.cleaned_data.get(point_field_name(role.value, level.value))
                if value is not None:
                    result[(role.value, level.value)] = value
        return result

    def clean(self) -> Any:
        data = super().clean()
        if not self.errors and not self.points():
            raise forms.ValidationError(_("Give the points of at least one role."))
        return data


class ProjectChoiceForm(BootstrapFormMixin, forms.Form):
    """Choose a pilot (award bonuses, decide the escrow release)."""

    project = forms.ModelChoiceField(label=_("Pilot"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["project"]
        field.queryset = queryset


class ReasonForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Reason or reference"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required."),
    )


class TrainingSessionForm(BootstrapFormMixin, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Who the session is for."),
    )

    class Meta:
        model = TrainingSession
        fields = ["topic", "date", "place", "audiences", "organiser", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class AttendanceForm(BootstrapFormMixin, forms.Form):
    person_name = forms.CharField(label=_("Full name"), max_length=60)
    organisation_name = forms.CharField(
        label=_("Enterprise"), max_length=200, help_text=_("The registered name (linked when the platform knows it).")
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["audience"]
        field.choices = [(a.value, a.label) for a in Audience if a.value in session.audiences]


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"), help_text=_("Fill in the template; all rows or none."))
