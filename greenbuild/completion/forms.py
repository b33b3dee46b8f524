from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.completion.choices import PanelVerdict
from greenbuild.completion.models import IncrementalCost, Lesson
from greenbuild.completion.verdict import validate_criteria
from greenbuild.core.forms import BootstrapFormMixin

#: the problems of ``verdict.validate_criteria`` (a module without Django), marked for the catalogue
CRITERIA_MESSAGES = (
    gettext_noop("The criteria must be a non-empty list."),
    gettext_noop("Criterion {n} is not an object."),
    gettext_noop("Criterion {n} has no code."),
    gettext_noop("Criterion {n} repeats the code {code}."),
    gettext_noop("Criterion {n} names an unknown indicator."),
    gettext_noop("Criterion {n} has no valid weight (0–1000)."),
)


class SchemeForm(BootstrapFormMixin, forms.Form):
    """A new version of the evaluation scheme, prefilled from the current one."""

    name = forms.CharField(label=_("Name"), max_length=200)
    rules = forms.CharField(
        label=_("Evaluation rules"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("Who evaluates, when, and what is decided."),
    )
    method = forms.CharField(
        label=_("Evaluation method"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("How the achieved values are compared and scored."),
    )
    criteria = forms.CharField(
        label=_("Criteria and weights (JSON)"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control font-monospace"}),
        max_length=50000,
        help_text=_(
            "A list of criteria: code, requirement (R7–R14), indicator, weight, mandatory, title_zh, title_en."
        ),
    )
    pass_score = forms.DecimalField(
        label=_("Pass score"), min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=1
    )
    note = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=True
    )

    def clean_criteria(self) -> Any:
        text = self.cleaned_data["criteria"]
        try:
            data = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Write the criteria as a JSON list.")) from None
        problems = validate_criteria(data, gettext)
        if problems:
            raise forms.ValidationError("; ".join(problems))
        return data


class PanelForm(BootstrapFormMixin, forms.Form):
    leader = forms.ModelChoiceField(
        label=_("Panel leader"), queryset=User.objects.none(), help_text=_("An expert of the pool.")
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Panel members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        experts = User.objects.filter(memberships__role=Role.EXPERT, is_active=True).distinct().order_by("username")
        self.fields["leader"].queryset = experts
        self.fields["members"].queryset = experts


class PanelConclusionForm(BootstrapFormMixin, forms.Form):
    verdict = forms.ChoiceField(label=_("Panel's conclusion"), choices=PanelVerdict.choices)
    opinion = forms.CharField(label=_("Panel's opinion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class MoveForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class CostForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = IncrementalCost
        fields = ["measure", "guideline_code", "amount_yuan", "note"]
        help_texts = {"amount_yuan": _("The extra cost of the green measure over a conventional solution, in yuan.")}


class LessonForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["topic", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": _("What worked, what did not, and what others should do differently.")}
