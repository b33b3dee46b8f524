"""Forms of the lifecycle pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.lifecycle.choices import ItemStatus
from greenbuild.projects.choices import StarLevel


class ItemForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ItemStatus.choices)
    note = forms.CharField(
        label=_("how it is written into the instrument"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("document"))


class ChangeRequestForm(BootstrapFormMixin, forms.Form):
    """The proposed baseline, in the plan form's terms (``plans.forms.PlanForm``): targets, the
    measures it replaces and a supporting document; pre-filled with the baseline in force."""

    reasons = forms.CharField(label=_("Reasons for the change"), widget=forms.Textarea(attrs={"rows": 3}))
    star_level = forms.ChoiceField(label=_("Target star level"), required=False)
    waste_t_per_10k_m2 = forms.DecimalField(
        label=_("Construction-waste intensity target (t/10,000 m²)"), required=False, min_value=0
    )
    green_material_pct = forms.DecimalField(
        label=_("Green-material share target (%)"), required=False, min_value=0, max_value=100
    )
    carbon_kgco2e_per_m2 = forms.DecimalField(
        label=_("Carbon intensity target (kgCO₂e/m², optional)"), required=False, min_value=0
    )
    document = forms.FileField(label=_("Supporting document (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        buildings: Any = (),
        initial_targets: dict[str, Any] | None = None,
        measure_items: Any = (),
        initial_measures: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["star_level"].choices = [("", "—")] + [c for c in StarLevel.choices if c[0] != StarLevel.NONE]
        targets = initial_targets or {}
        rates = targets.get("assembly_rate_pct_by_building") or {}
        self.building_fields = []
        for building in buildings:
            name = "rate_{}".format(building.pk)
            self.fields[name] = forms.DecimalField(
                label=_("Assembly rate target of {building} (%)").format(building=building.name),
                required=False,
                min_value=0,
                max_value=100,
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.initial.setdefault(name, rates.get(str(building.pk)))
            self.building_fields.append((building, name))
        for key in ("star_level", "waste_t_per_10k_m2", "green_material_pct", "carbon_kgco2e_per_m2"):
            self.initial.setdefault(key, targets.get(key))
        measures = initial_measures or {}
        self.measure_fields = []
        for item in measure_items:
            name = "measure_{}".format(item.code)
            self.fields[name] = forms.CharField(
                label="{} {}".format(item.code, item.text),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.initial.setdefault(name, measures.get(item.code, ""))
            self.measure_fields.append((item, name))

    def target_fields(self) -> list[Any]:
        return [self[n] for n in ("star_level", "waste_t_per_10k_m2", "green_material_pct", "carbon_kgco2e_per_m2")]

    def rate_fields(self) -> list[Any]:
        return [self[name] for _building, name in self.building_fields]

    def measure_bound_fields(self) -> list[Any]:
        return [self[name] for _item, name in self.measure_fields]

    def targets(self) -> dict[str, Any]:
        from greenbuild.plans.data import as_text

        data = self.cleaned_data
        return {
            "star_level": data.get("star_level") or "",
            "assembly_rate_pct_by_building": {
                str(building.pk): as_text(data[name])
                for building, name in self.building_fields
                if data.get(name) is not None
            },
            "waste_t_per_10k_m2": as_text(data.get("waste_t_per_10k_m2")),
            "green_material_pct": as_text(data.get("green_material_pct")),
            "carbon_kgco2e_per_m2": as_text(data.get("carbon_kgco2e_per_m2")),
        }

    def measures(self) -> dict[str, str]:
        """Every measure as shown (the service keeps only those that differ from the baseline)."""
        return {item.code: self.cleaned_data.get(name) or "" for item, name in self.measure_fields}


class DecideForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signoff = forms.CharField(
        label=_("Expert or conference sign-off (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConditionForm(BootstrapFormMixin, forms.Form):
    """The owner's answer to a condition, or the department's note when it sends one back."""

    text = forms.CharField(
        label=_("answer or note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
