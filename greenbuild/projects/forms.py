from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.models import Organisation
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.projects.choices import ParticipantRole
from greenbuild.projects.models import Building, Project
from greenbuild.reference.models import ProjectCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(BootstrapFormMixin, forms.ModelForm):
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

    #: How the form is laid out: basic data, then the declared green targets (R7–R14).
    fieldsets = (
        (_("Basic information"), Meta.fields[:15]),
        (_("Declared green targets"), Meta.fields[15:]),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProjectCategory.objects.filter(children__isnull=True, active=True)

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]


class BuildingForm(BootstrapFormMixin, forms.ModelForm):
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


class ParticipantForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=ParticipantRole.choices)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            kind__in=["bureau", "district_government", "department", "expert_pool"]
        )


class TransitionForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
