from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import DecimalValidator, MaxValueValidator
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.choices import OrganisationKind
from greenbuild.accounts.models import Organisation
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.projects.choices import ParticipantRole
from greenbuild.projects.models import Building, Project
from greenbuild.reference.models import ProjectCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _DigitsUnlessTooLarge:
    """Django's digit count, skipped for a number above the field's bound (whose message says more)."""

    def __init__(self, digits: DecimalValidator, limit: Decimal) -> None:
        self.digits, self.limit = digits, limit

    def __call__(self, value: Any) -> None:
        if isinstance(value, Decimal) and value.is_finite() and abs(value) > self.limit:
            return
        self.digits(value)


class BoundedNumbersMixin:
    """Check the model's upper bounds in the form, with their messages (issue 10 item 16).

    Without this a huge area reads "确认总共不超过 12 个数字" (the column's digit count), and a huge
    storey count names the database's 32767.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        model = self._meta.model  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if not isinstance(field, (forms.DecimalField, forms.IntegerField)):
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            bounds = [v for v in model_field.validators if isinstance(v, MaxValueValidator) and v.message]
            if not bounds:
                continue
            bound = min(bounds, key=lambda v: v.limit_value)
            kept = []
            for validator in field.validators:
                if isinstance(validator, MaxValueValidator):
                    continue  # the database's range (32767): the model's bound is tighter
                if isinstance(validator, DecimalValidator):
                    validator = _DigitsUnlessTooLarge(validator, Decimal(bound.limit_value))
                kept.append(validator)
            field.validators = [*kept, bound]
            field.max_value = bound.limit_value


class ProjectForm(BoundedNumbersMixin, BootstrapFormMixin, forms.ModelForm):
    """The application form: basic data and the declared green targets (issue 2 §6)."""

    class Meta:
        model = Project
        fields = [
            "name",
            "district",
            "address",
            "category",
            "investment_nature",
            "use",
            "structure_material",
            "structure_system",
            "gfa_above_m2",
            "gfa_below_m2",
            "investment_wan_yuan",
            "planned_start",
            "planned_completion",
            "approval_code",
            "organisation_mode",
            "target_star_level",
            "standardised_design",
            "waste_target_t_per_10k_m2",
            "green_material_target_pct",
            "bim_design",
            "bim_production",
            "bim_construction",
            "bim_operation",
            "smart_site_measures",
            "construction_robots",
            "pipeline_separation",
            "prefabricated_decoration",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_completion": DATE,
            "smart_site_measures": forms.Textarea(attrs={"rows": 2}),
            "construction_robots": forms.Textarea(attrs={"rows": 2}),
        }

    #: How the form is laid out: basic data, then the declared green targets (R7–R14), each group
    #: of one kind of control so the grid lines up (REG-10): figures, yes/no measures, texts.
    fieldsets = (
        (_("Basic information"), Meta.fields[:15]),
        (
            _("Declared green targets"),
            ["target_star_level", "waste_target_t_per_10k_m2", "green_material_target_pct"],
        ),
        (
            _("BIM and construction measures"),
            [
                "standardised_design",
                "bim_design",
                "bim_production",
                "bim_construction",
                "bim_operation",
                "pipeline_separation",
                "prefabricated_decoration",
            ],
        ),
        (_("Smart construction"), ["smart_site_measures", "construction_robots"]),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProjectCategory.objects.filter(children__isnull=True, active=True)

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]


class BuildingForm(BoundedNumbersMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = [
            "name",
            "floor_area_m2",
            "storeys",
            "height_m",
            "structure_material",
            "structure_system",
            "target_assembly_rate_pct",
        ]


#: The roles an owner may name; the third-party evaluator is the bureau's to assign (issue 10 item 3).
OWNER_ROLES = [(value, label) for value, label in ParticipantRole.choices if value != ParticipantRole.EVALUATOR]


class ParticipantForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=OWNER_ROLES)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            kind__in=["bureau", "district_government", "department", "expert_pool", OrganisationKind.EVALUATOR]
        )


class EvaluatorForm(BootstrapFormMixin, forms.Form):
    """The bureau assigns a third-party evaluation organisation to a project."""

    organisation = forms.ModelChoiceField(
        label=_("Third-party evaluator"), queryset=Organisation.objects.filter(kind=OrganisationKind.EVALUATOR)
    )


class TransitionForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawalRequestForm(BootstrapFormMixin, forms.Form):
    """The owner's request to withdraw a confirmed pilot (issue 10 item 23)."""

    reason = forms.CharField(
        label=_("reasons for the withdrawal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
