"""Forms of the programme summary: draft it, its recommendations, the comment of a move, the next
guideline edition and a change to one of its items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin


class SummaryForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        help_text=_("The summary is drafted in the programme's last phase (summary and evaluation)."),
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The bureau's recommendations; they can be edited until the summary is approved."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from greenbuild.programmes.models import Programme

        field: Any = self.fields["programme"]
        field.queryset = Programme.objects.filter(summary__isnull=True).order_by("-is_current", "pk")


class RecommendationsForm(BootstrapFormMixin, forms.Form):
    recommendations = forms.CharField(
        label=_("Recommendations"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Saving generates a new revision holding the text."),
    )


class MoveForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when sending the summary back to draft."),
    )
    revision = forms.IntegerField(
        label=_("Revision"),
        required=False,
        min_value=1,
        max_value=32767,
        widget=forms.HiddenInput,
        help_text=_("The revision shown when the page was opened."),
    )


class EditionForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("Edition code"),
        required=False,
        max_length=40,
        help_text=_("Left empty: the code of the edition in force followed by “-next”."),
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty: the date of the edition in force, to be set before publication."),
    )


class ItemChangeForm(BootstrapFormMixin, forms.Form):
    text_zh = forms.CharField(label=_("New text (Chinese)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(
        label=_("New text (English)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons behind the change"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lessons learnt by the programme's pilots that lead to this change."),
    )

    def __init__(self, *args: Any, summary: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from greenbuild.summaries.selectors import lessons_of_summary

        field: Any = self.fields["lessons"]
        field.queryset = lessons_of_summary(summary)
        field.label_from_instance = lambda lesson: "{} · {}".format(lesson.project.name, lesson.title)
