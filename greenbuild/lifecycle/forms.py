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
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("document"))


class ChangeRequestForm(BootstrapFormMixin, forms.Form):
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    star_level = forms.ChoiceField(
        label=_("star level target"), choices=[("", "—"), *StarLevel.choices], required=False
    )
    waste_t_per_10k_m2 = forms.DecimalField(label=_("waste target (t per 10,000 m²)"), required=False, min_value=0)
    green_material_pct = forms.DecimalField(
        label=_("green-material share target (%)"), required=False, min_value=0, max_value=100
    )
    carbon_kgco2e_per_m2 = forms.DecimalField(label=_("carbon intensity (kgCO₂e/m²)"), required=False, min_value=0)

    def __init__(self, *args: Any, buildings: Any = (), initial_targets: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
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

    def targets(self) -> dict[str, Any]:
        data = self.cleaned_data

        def text(value: Any) -> str | None:
            return None if value is None else str(value)

        return {
            "star_level": data.get("star_level") or "",
            "assembly_rate_pct_by_building": {
                str(building.pk): text(data[name])
                for building, name in self.building_fields
                if data.get(name) is not None
            },
            "waste_t_per_10k_m2": text(data.get("waste_t_per_10k_m2")),
            "green_material_pct": text(data.get("green_material_pct")),
            "carbon_kgco2e_per_m2": text(data.get("carbon_kgco2e_per_m2")),
        }


class DecideForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
