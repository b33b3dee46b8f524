"""Forms of supervision, with bilingual labels and help texts (the model's where it has them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Organisation, User
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.reference.models import District
from greenbuild.supervision.choices import DrawKind, Severity
from greenbuild.supervision.models import InspectionPlan, InspectorPoolMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _scoped_projects(user: Any) -> Any:
    from greenbuild.accounts.roles import district_ids, is_bureau_admin
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    projects = Project.objects.filter(status=ProjectStatus.CONFIRMED).order_by("name")
    return projects if is_bureau_admin(user) else projects.filter(district_id__in=district_ids(user))


def _step_types() -> Any:
    from greenbuild.lifecycle.models import StepType

    return StepType.objects.filter(active=True).order_by("order", "code")


def _pool_users() -> Any:
    return User.objects.filter(inspector_pool_entry__active=True, is_active=True).order_by("username")


class PlanForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, help_text=_("A confirmed pilot in your scope."))
    step_type = forms.ModelChoiceField(label=_("Lifecycle step"), queryset=None)
    interval_days = forms.IntegerField(
        label=_("Every (days)"),
        min_value=1,
        max_value=366,
        help_text=_("How often the project is inspected during this step, in days (7 weekly, 30 monthly)."),
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the active inspector pool; they take turns."),
    )
    next_due = forms.DateField(label=_("Next inspection due"), widget=DATE, help_text=_("Today or later."))
    ends_on = forms.DateField(
        label=_("Ends on"), widget=DATE, required=False, help_text=_("Leave empty for no end date.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, plan: InspectionPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _scoped_projects(user)
        self.fields["step_type"].queryset = _step_types()
        self.fields["inspectors"].queryset = _pool_users()
        if plan is not None:
            del self.fields["project"]
            del self.fields["step_type"]


class PoolMemberForm(BootstrapFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=None, help_text=_("Bureau or district staff not yet in the pool.")
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.filter(active=True),
        required=False,
        help_text=_("Leave empty for an inspector who may be drawn for the whole city."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL])
            .exclude(pk__in=InspectorPoolMember.objects.values("user_id"))
            .distinct()
            .order_by("username")
        )


class DrawForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("What is drawn"), choices=DrawKind.choices, initial=DrawKind.BOTH)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.filter(active=True),
        required=False,
        help_text=_("Leave empty to draw from the whole city (the bureau only)."),
    )
    ratio = forms.CharField(
        label=_("Ratio of projects"),
        required=False,
        max_length=12,
        help_text=_("Greater than 0 and at most 1, e.g. 0.2: k = ⌈N × ratio⌉ of the confirmed pilots."),
    )
    inspector_ratio = forms.CharField(
        label=_("Ratio of inspectors"),
        required=False,
        max_length=12,
        help_text=_("Greater than 0 and at most 1, of the active inspector pool."),
    )
    due_on = forms.DateField(label=_("Inspections due"), widget=DATE, help_text=_("Today or later."))
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects (inspectors-only draw)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The projects the drawn inspectors inspect, when only inspectors are drawn."),
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors (projects-only draw)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who inspects the drawn projects, when only projects are drawn."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = _scoped_projects(user)
        self.fields["inspectors"].queryset = _pool_users()
        self.fields["ratio"].widget.attrs["inputmode"] = "decimal"
        self.fields["inspector_ratio"].widget.attrs["inputmode"] = "decimal"


class MoveForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluationForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, help_text=_("A confirmed pilot."))
    step_type = forms.ModelChoiceField(label=_("Lifecycle step"), queryset=None)
    evaluator = forms.ModelChoiceField(
        label=_("Evaluator"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.EVALUATOR).order_by("name"),
        help_text=_("A third-party evaluation organisation; it becomes the project's evaluator."),
    )
    scope = forms.CharField(
        label=_("What to evaluate"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The questions the evaluator is asked to answer."),
    )
    due_on = forms.DateField(label=_("Report due"), widget=DATE, help_text=_("Today or later."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _scoped_projects(user)
        self.fields["step_type"].queryset = _step_types()


class ReportForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of the report"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ScoreForm(BootstrapFormMixin, forms.Form):
    aspect = forms.CharField(label=_("Aspect"), max_length=100, required=False)
    score = forms.DecimalField(label=_("Score (0–100)"), min_value=0, max_value=100, decimal_places=1, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)

    def clean(self) -> Any:
        data = super().clean() or {}
        if data.get("aspect") and data.get("score") is None:
            self.add_error("score", _("Give the score of this aspect."))
        if data.get("score") is not None and not data.get("aspect"):
            self.add_error("aspect", _("Name the aspect of this score."))
        return data


class RecommendationForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    demands_action = forms.BooleanField(label=_("Demands action (becomes a finding)"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MINOR)
    clause = forms.CharField(label=_("Guideline item or standard clause"), max_length=100, required=False)


ScoreFormSet = forms.formset_factory(ScoreForm, extra=4, max_num=20, validate_max=True)
RecommendationFormSet = forms.formset_factory(RecommendationForm, extra=3, max_num=20, validate_max=True)
