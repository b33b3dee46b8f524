"""The plan form: the guideline's parts as fields; ``to_data()`` gives the shape of ``plans.data``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.guidelines.models import GuidelinePart
from greenbuild.guidelines.selectors import measure_items, technology_items
from greenbuild.plans.choices import BimStage
from greenbuild.plans.data import as_text, normalised
from greenbuild.projects.choices import StarLevel

TEXT = {"rows": 2, "class": "form-control"}


class PlanForm(forms.Form):
    star_level = forms.ChoiceField(label=_("Target star level"), required=False)
    waste_t_per_10k_m2 = forms.DecimalField(
        label=_("Construction-waste intensity target (t/10,000 m²)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        max_digits=9,
        decimal_places=2,
    )
    green_material_pct = forms.DecimalField(
        label=_("Green-material share target (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    carbon_kgco2e_per_m2 = forms.DecimalField(
        label=_("Carbon intensity target (kgCO₂e/m², optional)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        max_digits=9,
        decimal_places=2,
    )
    technologies = forms.MultipleChoiceField(
        label=_("Suitable technologies"), required=False, widget=forms.CheckboxSelectMultiple
    )
    bim_stages = forms.MultipleChoiceField(
        label=_("BIM stages"), required=False, choices=BimStage.choices, widget=forms.CheckboxSelectMultiple
    )
    bim_text = forms.CharField(label=_("BIM plan"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT))
    smart_site = forms.CharField(
        label=_("Smart-site plan"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    equipment = forms.CharField(
        label=_("Construction robots and intelligent equipment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    organisation_mode = forms.ChoiceField(label=_("Organisation mode"), required=False)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        from greenbuild.reference.models import OrganisationMode

        data = normalised(plan.draft)
        targets = data["targets"]
        initial = {
            "star_level": targets["star_level"],
            "waste_t_per_10k_m2": targets["waste_t_per_10k_m2"],
            "green_material_pct": targets["green_material_pct"],
            "carbon_kgco2e_per_m2": targets["carbon_kgco2e_per_m2"],
            "technologies": data["technologies"],
            "bim_stages": data["bim_plan"].get("stages"),
            "bim_text": data["bim_plan"].get("text"),
            "smart_site": data["smart_site_plan"].get("smart_site"),
            "equipment": data["smart_site_plan"].get("equipment"),
            "organisation_mode": data["organisation_mode"],
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["star_level"].choices = [("", "—")] + [c for c in StarLevel.choices if c[0] != StarLevel.NONE]
        self.fields["organisation_mode"].choices = [("", "—")] + [
            (m.code, str(m)) for m in OrganisationMode.objects.filter(active=True)
        ]
        self.fields["technologies"].choices = [(t.code, t.text) for t in technology_items(plan.guideline)]
        self.building_fields: list[str] = []
        rates = targets["assembly_rate_pct_by_building"] or {}
        for building in plan.project.buildings.order_by("pk"):
            name = "rate_{}".format(building.pk)
            self.fields[name] = forms.DecimalField(
                label=_("Assembly rate target of {building} (%)").format(building=building.name),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=5,
                decimal_places=2,
                initial=rates.get(str(building.pk)),
            )
            self.building_fields.append(name)
        self.measure_fields: dict[str, list[tuple[str, Any]]] = {part: [] for part in GuidelinePart.values}
        for item in measure_items(plan.guideline):
            name = "measure_{}".format(item.code)
            self.fields[name] = forms.CharField(
                label="{} {}".format(item.code, item.text),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs=TEXT),
                initial=data["measures"].get(item.code, ""),
                help_text=item.evidence,
            )
            self.measure_fields[item.part].append((name, item))
        self._style()

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def target_fields(self) -> list[Any]:
        return [self[n] for n in ("star_level", "waste_t_per_10k_m2", "green_material_pct", "carbon_kgco2e_per_m2")]

    def plan_fields(self) -> list[Any]:
        return [self[n] for n in ("bim_text", "smart_site", "equipment", "organisation_mode")]

    def parts(self) -> list[tuple[str, list[Any]]]:
        """The guideline's parts with their measure fields, for the template."""
        return [
            (str(label), [(self[name], item) for name, item in self.measure_fields[value]])
            for value, label in GuidelinePart.choices
            if self.measure_fields[value]
        ]

    def buildings(self) -> list[Any]:
        return [self[name] for name in self.building_fields]

    def to_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "targets": {
                "star_level": c.get("star_level") or "",
                "assembly_rate_pct_by_building": {
                    name.removeprefix("rate_"): as_text(c[name])
                    for name in self.building_fields
                    if c.get(name) is not None
                },
                "waste_t_per_10k_m2": as_text(c.get("waste_t_per_10k_m2")),
                "green_material_pct": as_text(c.get("green_material_pct")),
                "carbon_kgco2e_per_m2": as_text(c.get("carbon_kgco2e_per_m2")),
            },
            "measures": {
                item.code: c.get(name, "")
                for fields in self.measure_fields.values()
                for name, item in fields
                if c.get(name)
            },
            "technologies": list(c.get("technologies") or []),
            "bim_plan": {"stages": list(c.get("bim_stages") or []), "text": c.get("bim_text", "")},
            "smart_site_plan": {"smart_site": c.get("smart_site", ""), "equipment": c.get("equipment", "")},
            "organisation_mode": c.get("organisation_mode") or "",
        }


class AnswerForm(forms.Form):
    comment = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs=TEXT))


class SubmitForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class VerifyForm(forms.Form):
    """复核: one checkbox per listed requirement, the verifier's comment and the verdict."""

    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("accept", _("Accept the revision")), ("refuse", _("Refuse the revision"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required to refuse)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args: Any, requirements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirement_names: list[str] = []
        for index, text in enumerate(requirements):
            name = "met_{}".format(index)
            self.fields[name] = forms.BooleanField(
                label=_("Met: {requirement}").format(requirement=text),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.requirement_names.append(name)

    def checks(self) -> list[bool]:
        return [bool(self.cleaned_data.get(name)) for name in self.requirement_names]
