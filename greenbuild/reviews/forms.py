"""Forms of the reviews pages (the API validates with the same forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenbuild.accounts.models import Organisation
from greenbuild.reviews.choices import Outcome, Specialty
from greenbuild.reviews.draw import DEFAULT_PANEL_SIZE, MIN_PANEL_SIZE
from greenbuild.reviews.models import CriteriaScheme

TEXT = {"rows": 3, "class": "form-control"}


class DrawForm(forms.Form):
    panel_size = forms.IntegerField(
        label=_("Panel size"),
        initial=DEFAULT_PANEL_SIZE,
        min_value=MIN_PANEL_SIZE,
        max_value=15,
        help_text=_("An odd number: 3, 5, 7 …"),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    required_specialties = forms.MultipleChoiceField(
        label=_("Required specialties"),
        choices=Specialty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The panel will include at least one expert of each."),
    )
    scheme = forms.ModelChoiceField(
        label=_("Criteria scheme"),
        queryset=CriteriaScheme.objects.filter(active=True),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    deadline = forms.DateField(
        label=_("Scoring deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def clean_panel_size(self) -> int:
        size = self.cleaned_data["panel_size"]
        if size % 2 == 0:
            raise forms.ValidationError(_("The panel size must be an odd number (3, 5, 7 …)."))
        return size


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("accept", pgettext_lazy("panel invitation", "Accept")),
            ("decline", pgettext_lazy("panel invitation", "Decline")),
        ],
        widget=forms.RadioSelect,
    )
    conflict = forms.BooleanField(
        label=_("I have a conflict of interest with this project"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Conflict of interest"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Who you work for or with on this project, if anyone."),
    )


class ConclusionForm(forms.Form):
    """The leader's conclusion: nothing preselected; 修改后通过 also lists the revision
    requirements (one per line) and sets the deadline of the revision."""

    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[("", pgettext_lazy("choose", "— choose —")), *Outcome.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reasons = forms.CharField(
        label=_("Reasons and opinions of the panel"), max_length=10000, widget=forms.Textarea(attrs=TEXT)
    )
    requirements = forms.CharField(
        label=_("Revision requirements (one per line)"),
        required=False,
        max_length=20000,
        help_text=_("For “pass with revisions”: what the owner must revise; the revision is verified against it."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    revision_deadline = forms.DateField(
        label=_("Revision deadline"),
        required=False,
        help_text=_("For “pass with revisions”: the owner submits the revised plan by this date."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


class ClarificationForm(forms.Form):
    question = forms.CharField(label=_("Question to the owner"), max_length=5000, widget=forms.Textarea(attrs=TEXT))


class ExpertProfileForm(forms.Form):
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"), choices=Specialty.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(
        label=_("Professional title"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    available = forms.BooleanField(
        label=_("Available for panels"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


def opinion_initial(seat: Any) -> dict[str, Any]:
    """The stored opinion form of ``seat`` as the scoring page shows it (a draft or nothing)."""
    from greenbuild.reviews.models import ExpertOpinion

    opinion = ExpertOpinion.objects.filter(seat=seat).first()
    if opinion is None:
        return {}
    return {
        "opinion": opinion.opinion,
        "recommendation": opinion.recommendation,
        "revision_requirements": opinion.revision_requirements,
        "declaration": "on" if opinion.declaration_signed else "",
    }


def score_initial(seat: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for score in seat.scores.all():
        initial["score_{}".format(score.section_id)] = score.score
        initial["comment_{}".format(score.section_id)] = score.comment
    return initial
