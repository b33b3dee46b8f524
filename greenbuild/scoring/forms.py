"""Forms of the scoring pages. The scorecard form is built from the edition's clause catalogue."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.scoring.choices import ClauseKind
from greenbuild.scoring.models import EnergyRecord, MaterialLine, WasteRecord
from greenbuild.scoring.uploads import validate_evidence_file
from greenbuild.standards.gbt51129 import RATIO_ITEMS

PASS_CHOICES = [("", "—"), ("true", _("Pass")), ("false", _("Fail"))]
CLAUSE_IN_FIELD = re.compile(r"\[([0-9.]+)\]")


def _key(clause: str) -> str:
    return clause.replace(".", "_")


class ScorecardForm(BootstrapFormMixin, forms.Form):
    """One row per clause: pass/fail for control items, points for scored and bonus items, an
    evidence file and a note. ``mode`` "claim" edits the owner's columns, "review" the reviewer's."""

    building_type = forms.ChoiceField(
        label=_("building type"), choices=[("residential", _("Residential")), ("public", _("Public building"))]
    )
    full_decoration = forms.BooleanField(label=_("full decoration"), required=False)
    envelope_improvement_pct = forms.DecimalField(
        label=_("envelope performance improvement (%)"), required=False, min_value=0, max_value=100
    )
    load_reduction_pct = forms.DecimalField(
        label=_("heating and cooling load reduction (%)"), required=False, min_value=0, max_value=100
    )
    water_fixture_grade = forms.TypedChoiceField(
        label=_("water fixture efficiency grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), ("1", "1"), ("2", "2"), ("3", "3")],
    )
    sound_insulation = forms.ChoiceField(
        label=_("sound insulation"),
        required=False,
        choices=[("", "—"), ("none", _("below average")), ("average", _("average")), ("high", _("high"))],
    )
    pollutant_reduction_pct = forms.DecimalField(
        label=_("indoor pollutant reduction (%)"), required=False, min_value=0, max_value=100
    )
    window_airtightness = forms.NullBooleanField(label=_("window airtightness meets the requirement"), required=False)
    green_material_ratio_pct = forms.DecimalField(
        label=_("green-material ratio (%) (2024 edition)"), required=False, min_value=0, max_value=100
    )

    STAR_FIELDS = (
        "envelope_improvement_pct",
        "load_reduction_pct",
        "water_fixture_grade",
        "sound_insulation",
        "pollutant_reduction_pct",
        "window_airtightness",
        "green_material_ratio_pct",
    )

    def __init__(
        self,
        *args: Any,
        catalogue: dict[str, list[dict[str, Any]]],
        mode: str = "claim",
        claims: dict[str, Any] | None = None,
        stage: str = "evaluation",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.rows: list[dict[str, Any]] = []
        claims = claims or {}
        for kind in (ClauseKind.CONTROL, ClauseKind.SCORED, ClauseKind.BONUS):
            for item in catalogue[kind]:
                clause = item["clause"]
                key = _key(clause)
                claim = claims.get(clause)
                prefix = "a" if mode == "review" else "c"
                if kind == ClauseKind.CONTROL:
                    field: forms.Field = forms.ChoiceField(choices=PASS_CHOICES, required=False, label=clause)
                else:
                    field = forms.DecimalField(
                        required=False, min_value=0, decimal_places=2, max_digits=6, label=clause
                    )
                self.fields["{}_{}".format(prefix, key)] = field
                note_name = "rn_" + key if mode == "review" else "n_" + key
                self.fields[note_name] = forms.CharField(required=False, max_length=500, label=_("note"))
                if mode == "claim":
                    self.fields["e_" + key] = forms.FileField(
                        required=False, label=_("evidence"), validators=[validate_evidence_file]
                    )
                if claim is not None and not self.is_bound:
                    claimed = claim.claimed_pass if kind == ClauseKind.CONTROL else claim.claimed_points
                    accepted = claim.accepted_pass if kind == ClauseKind.CONTROL else claim.accepted_points
                    # A reviewer starts from the claim and changes what the evidence does not support.
                    value = (claimed if accepted is None else accepted) if mode == "review" else claimed
                    if kind == ClauseKind.CONTROL and value is not None:
                        value = "true" if value else "false"
                    self.initial["{}_{}".format(prefix, key)] = value
                    self.initial[note_name] = claim.review_note if mode == "review" else claim.note
                self.rows.append(
                    {
                        "clause": clause,
                        "kind": kind,
                        "item": item,
                        "claim": claim,
                        "field": "{}_{}".format(prefix, key),
                        "note": note_name,
                        "evidence": "e_" + key,
                        "disabled": stage == "pre_evaluation" and item.get("operation_only", False),
                    }
                )
        for row in self.rows:
            row["bound"] = self[row["field"]]
            row["bound_note"] = self[row["note"]]
            row["bound_evidence"] = self[row["evidence"]] if mode == "claim" else None

    def header(self) -> dict[str, Any]:
        data = self.cleaned_data
        star = {}
        for name in self.STAR_FIELDS:
            value = data.get(name)
            if value not in (None, ""):
                star[name] = str(value) if isinstance(value, Decimal) else value
        return {
            "building_type": data["building_type"],
            "full_decoration": data["full_decoration"],
            "star_requirements": star,
        }

    def claims(self) -> dict[str, dict[str, Any]]:
        """Clause → {kind, passed | points, note, evidence} for every row the user filled in.

        A row whose value was emptied is left out, so the service clears what was stored; a row
        with only a note or evidence is kept (its value stays empty).
        """
        out: dict[str, dict[str, Any]] = {}
        for row in self.rows:
            raw = self.cleaned_data.get(row["field"])
            evidence = self.cleaned_data.get(row["evidence"]) if self.mode == "claim" else None
            note = self.cleaned_data.get(row["note"], "")
            if raw in (None, "") and not evidence and not note:
                continue
            entry: dict[str, Any] = {"kind": row["kind"], "note": note}
            if row["kind"] == ClauseKind.CONTROL:
                entry["passed"] = None if raw in (None, "") else raw == "true"
            else:
                entry["points"] = raw
            if evidence:
                entry["evidence"] = evidence
            out[row["clause"]] = entry
        return out

    def add_engine_error(self, error: ValidationError) -> None:
        """Put an engine refusal on the clause's row where it names one, else on top."""
        for field, messages in error.message_dict.items():
            match = CLAUSE_IN_FIELD.search(field)
            target = None
            if match:
                name = "{}_{}".format("a" if self.mode == "review" else "c", _key(match.group(1)))
                target = name if name in self.fields else None
            elif field in self.fields:
                target = field
            for message in messages:
                self.add_error(target, message)


class BuildingAssessmentForm(BootstrapFormMixin, forms.Form):
    """GB/T 51129 inputs of a single building, as percentages (the engine's contract).

    Item names and clauses come from the rule table, so a corrected edition relabels the form.
    """

    structure = forms.ChoiceField(
        label=_("structure"), choices=[("concrete", _("Concrete")), ("steel", _("Steel")), ("timber", _("Timber"))]
    )
    full_decoration = forms.BooleanField(label=_("full decoration"), required=False)
    absent_items = forms.MultipleChoiceField(
        label=_("items the building does not have"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            if item["key"] in RATIO_ITEMS:
                self.fields[item["key"] + "_pct"] = forms.DecimalField(
                    label="{} {} (%)".format(item["clause"], item["title"]),
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=6,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                )
        self.fields["absent_items"].choices = [(i["key"], i["title"]) for i in items if i.get("may_be_absent")]
        self.fields["absent_items"].widget.attrs.pop("class", None)

    def inputs(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        data["full_decoration"] = self.cleaned_data["full_decoration"]
        return data


class WasteRecordForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = WasteRecord
        fields = ["recorded_on", "category", "tonnes", "recycled_tonnes", "note"]
        widgets = {"recorded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MaterialLineForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MaterialLine
        fields = [
            "name",
            "item_type",
            "group",
            "quantity",
            "unit",
            "certified",
            "carbon_material",
            "mass_t",
            "distance_km",
        ]


class EnergyRecordForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = EnergyRecord
        fields = ["carrier", "quantity"]
