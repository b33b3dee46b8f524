"""Forms of the scoring pages. The scorecard form is built from the edition's clause catalogue."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.forms import file_input_attrs
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.projects.choices import StarLevel
from greenbuild.scoring.choices import ClauseKind
from greenbuild.scoring.models import EnergyRecord, MaterialLine, WasteRecord
from greenbuild.standards.gbt51129 import RATIO_ITEMS

PASS_CHOICES = [("", "—"), ("true", _("Pass")), ("false", _("Fail"))]
CLAUSE_IN_FIELD = re.compile(r"\[([0-9.]+)\]")
#: evidence files one scorecard save may carry (the view's request-body limit follows from it)
EVIDENCE_FILES_PER_SAVE = 5
#: The empty choice of a table 3.2.8 figure: not given, which no star row accepts (D4).
NOT_GIVEN = _("not given")
STARS = ("one_star", "two_star", "three_star")
BUILDING_TYPES = [("residential", _("Residential")), ("public", _("Public building"))]
RESIDENTIAL_USES = frozenset({"residential", "affordable-housing"})


class NullBooleanChoice(forms.NullBooleanSelect):
    """是 / 否 / 未填写 for a yes-no figure that may be not given."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", NOT_GIVEN), ("true", _("Yes")), ("false", _("No"))]


def _key(clause: str) -> str:
    return clause.replace(".", "_")


def default_building_type(project: Any) -> str:
    """GB/T 50378's building type read from the project's declared use (住宅 → residential)."""
    use = getattr(project, "use", None)
    return "residential" if use is not None and use.code in RESIDENTIAL_USES else "public"


def _percent(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "placeholder": NOT_GIVEN}),
    )


def _points(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return number if number.is_finite() and number > 0 else Decimal(0)


class ScorecardForm(BootstrapFormMixin, forms.Form):
    """One row per clause: pass/fail for control items, points for scored and bonus items, an
    evidence file and a note. ``mode`` "claim" edits the owner's columns and the building's
    table 3.2.8 figures, "review" only the reviewer's columns."""

    building_type = forms.ChoiceField(label=_("building type"), choices=BUILDING_TYPES)
    full_decoration = forms.BooleanField(label=_("full decoration"), required=False)
    envelope_improvement_pct = _percent(_("envelope performance improvement (%)"))
    load_reduction_pct = _percent(_("heating and cooling load reduction (%)"))
    water_fixture_grade = forms.TypedChoiceField(
        label=_("water fixture efficiency grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", NOT_GIVEN), ("1", "1"), ("2", "2"), ("3", "3")],
    )
    sound_insulation = forms.ChoiceField(
        label=_("sound insulation"),
        required=False,
        choices=[("", NOT_GIVEN), ("none", _("below average")), ("average", _("average")), ("high", _("high"))],
    )
    pollutant_reduction_pct = _percent(_("indoor pollutant reduction (%)"))
    window_airtightness = forms.NullBooleanField(
        label=_("window airtightness meets the requirement"),
        required=False,
        # NullBooleanSelect shows a stored True/False as its own choice (a plain Select never
        # matched "true" against True, so the saved value vanished and the next save erased it: SCO-01).
        widget=NullBooleanChoice(),
    )
    green_material_ratio_pct = _percent(_("green-material ratio (%) (2024 edition)"))

    HEADER_FIELDS = ("building_type", "full_decoration")
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
        catalogue: dict[str, Any],
        mode: str = "claim",
        claims: dict[str, Any] | None = None,
        stage: str = "evaluation",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for header_field in self.fields.values():
            header_field.label = capfirst(header_field.label)
        self.mode = mode
        self.stage = stage
        self.catalogue = catalogue
        if mode == "review":  # the reviewer decides on the clauses; the header is the owner's
            for name in (*self.HEADER_FIELDS, *self.STAR_FIELDS):
                del self.fields[name]
        self.rows: list[dict[str, Any]] = []
        claims = claims or {}
        prefix = "a" if mode == "review" else "c"
        for kind in (ClauseKind.CONTROL, ClauseKind.SCORED, ClauseKind.BONUS):
            for item in catalogue[kind]:
                clause = item["clause"]
                key = _key(clause)
                claim = claims.get(clause)
                disabled = stage == "pre_evaluation" and bool(item.get("operation_only", False))
                category = item.get("category", "") if kind == ClauseKind.SCORED else kind
                if kind == ClauseKind.CONTROL:
                    field: forms.Field = forms.ChoiceField(choices=PASS_CHOICES, required=False, label=clause)
                    field.widget.attrs["data-kind"] = "control"
                else:
                    field = forms.DecimalField(
                        required=False,
                        min_value=0,
                        decimal_places=2,
                        max_digits=6,
                        label=clause,
                        widget=forms.NumberInput(attrs={"step": "0.01", "data-category": category}),
                    )
                    if item.get("maximum") is not None:
                        field.widget.attrs["max"] = item["maximum"]
                name = "{}_{}".format(prefix, key)
                note_name = "rn_" + key if mode == "review" else "n_" + key
                self.fields[name] = field
                self.fields[note_name] = forms.CharField(required=False, max_length=500, label=_("note"))
                if mode == "review":  # an explicit choice, never a default (SCO-03)
                    self.fields["ac_" + key] = forms.BooleanField(
                        required=False,
                        label=_("Accept the claimed value"),
                        disabled=disabled,
                        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                    )
                if mode == "claim":
                    # Checked by the evidence policy when stored (stash_evidence), not here.
                    self.fields["e_" + key] = forms.FileField(
                        required=False,
                        label=_("evidence"),
                        allow_empty_file=True,
                        widget=forms.FileInput(
                            attrs=file_input_attrs(AttachmentKind.EVIDENCE, files=EVIDENCE_FILES_PER_SAVE)
                        ),
                    )
                    self.fields["p_" + key] = forms.CharField(required=False, widget=forms.HiddenInput)
                if disabled:  # operation-only at pre-evaluation (D6): shown, never posted
                    for disabled_name in (name, note_name, "e_" + key):
                        if disabled_name in self.fields:
                            self.fields[disabled_name].disabled = True
                if claim is not None and not self.is_bound:
                    claimed = claim.claimed_pass if kind == ClauseKind.CONTROL else claim.claimed_points
                    accepted = claim.accepted_pass if kind == ClauseKind.CONTROL else claim.accepted_points
                    # A reviewer starts from their own last decision, or blank: never from the claim,
                    # which may have changed since (SCO-03); "accept the claimed value" is explicit.
                    value = accepted if mode == "review" else claimed
                    if kind == ClauseKind.CONTROL and value is not None:
                        value = "true" if value else "false"
                    self.initial.setdefault(name, value)
                    self.initial.setdefault(note_name, claim.review_note if mode == "review" else claim.note)
                self.rows.append(
                    {
                        "clause": clause,
                        "kind": kind,
                        "category": category,
                        "item": item,
                        "claim": claim,
                        "field": name,
                        "note": note_name,
                        "evidence": "e_" + key,
                        "pending_field": "p_" + key,
                        "accept_field": "ac_" + key,
                        "pending": None,
                        "disabled": disabled,
                    }
                )
        for row in self.rows:
            # Each control is named by its clause cell and its column header (UI-01): a screen
            # reader hears "4.1.1 申报" instead of a bare "combo box".
            row["label_id"] = "clause-" + row["field"].split("_", 1)[1]
            for column, name in (("value", row["field"]), ("note", row["note"]), ("evidence", row["evidence"])):
                if name in self.fields:
                    self.fields[name].widget.attrs["aria-labelledby"] = "{} col-{}".format(row["label_id"], column)
            row["bound"] = self[row["field"]]
            row["bound_note"] = self[row["note"]]
            row["bound_evidence"] = self[row["evidence"]] if mode == "claim" else None
            row["bound_pending"] = self[row["pending_field"]] if mode == "claim" else None
            row["bound_accept"] = self[row["accept_field"]] if mode == "review" else None
        if mode == "claim":
            self._mark_unknown_star_figures()

    # --- what the page shows besides the fields ------------------------------------------------

    def _current(self, name: str) -> Any:
        return self[name].value() if name in self.fields else None

    def sections(self) -> list[dict[str, Any]]:
        """Control items, then the scored items of each category, then the bonus items, each
        with its running subtotal (the page's script keeps it current as the user types)."""
        maxima = {c["key"]: c.get("maximum", {}).get(self.stage) for c in self.catalogue.get("categories", [])}
        titles = {c["key"]: c.get("title", c["key"]) for c in self.catalogue.get("categories", [])}
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            groups.setdefault(row["category"], []).append(row)
        out = []
        for key, rows in groups.items():
            subtotal = None
            maximum = None
            if key == ClauseKind.CONTROL:
                title = _("Control items (all must pass)")
            elif key == ClauseKind.BONUS:
                title = _("Bonus items (QA capped at 100)")
                maximum = self.catalogue.get("bonus_category", {}).get("cap", 100)
            else:
                title = "{} · {}".format(_("Scored items"), titles.get(key, key))
                maximum = maxima.get(key)
            if key != ClauseKind.CONTROL:
                total = sum((_points(self._current(r["field"])) for r in rows if not r["disabled"]), Decimal(0))
                subtotal = format(total.normalize(), "f") if total else "0"
            out.append({"key": key, "title": title, "rows": rows, "subtotal": subtotal, "maximum": maximum})
        return out

    def error_summary(self) -> list[dict[str, str]]:
        """Every error on the page, each linking to its field (issue 10 item 15)."""
        if not self.is_bound:
            return []
        labels = {}
        for row in self.rows:
            kind = ClauseKind(row["kind"]).label
            labels[row["field"]] = "{} {}".format(kind, row["clause"])
            labels[row["note"]] = "{} {} · {}".format(kind, row["clause"], _("note"))
            labels[row["evidence"]] = "{} {} · {}".format(kind, row["clause"], _("evidence"))
        summary = []
        for name, errors in self.errors.items():
            anchor = "" if name == "__all__" else self[name].id_for_label
            label = "" if name == "__all__" else labels.get(name, str(self.fields[name].label))
            for error in errors:
                message = str(error)
                if label and message.startswith(label):  # engine refusals already name the clause
                    message = message[len(label) :].lstrip("：: ")
                summary.append({"anchor": anchor, "label": label, "message": message})
        return summary

    def _mark_unknown_star_figures(self) -> None:
        """A table 3.2.8 row whose figures are all left empty can never be met (D4): say so on the
        field ("未填写"), naming the lowest star that needs it, instead of blocking silently."""
        building_type = self._current("building_type") or "residential"
        zone = self.catalogue.get("climate_zone")
        self.unknown_star_figures: list[str] = []
        for row in self.catalogue.get("star_rows", []):
            if building_type not in row.get("building_types", []):
                continue
            if row.get("climate_zones") is not None and zone not in row["climate_zones"]:
                continue
            tests = [t for t in row.get("any_of", []) if t.get("input") in self.fields]
            if not tests or any(self._current(t["input"]) not in (None, "") for t in tests):
                continue
            needed = [star for star in STARS if any(t["thresholds"].get(star) is not None for t in tests)]
            if not needed:
                continue
            star = StarLevel(needed[0]).label
            for test in tests:
                field = self.fields[test["input"]]
                field.help_text = _("Not given: {star} and above need this figure of table 3.2.8.").format(star=star)
                self[test["input"]].help_text = field.help_text  # the bound field copied it already
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " border-warning"
                self.unknown_star_figures.append(str(field.label))

    def unknown_star_text(self) -> str:
        return str(pgettext("list", ", ")).join(getattr(self, "unknown_star_figures", []))

    def with_every_control_item_met(self) -> dict[str, Any]:
        """The posted values with every control item set to "pass", as initial data to re-show."""
        initial: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = self[name].value()
            initial[name] = value
        for row in self.rows:
            if row["kind"] == ClauseKind.CONTROL and not row["disabled"]:
                initial[row["field"]] = "true"
        return initial

    def with_claims_where_undecided(self) -> dict[str, Any]:
        """The posted values with the claimed value filled in on every clause the reviewer has
        left blank (an explicit starting point, never a default: SCO-03), as initial data."""
        initial = {name: self[name].value() for name in self.fields}
        for row in self.rows:
            claim = row["claim"]
            if row["disabled"] or claim is None or initial.get(row["field"]) not in (None, ""):
                continue
            if row["kind"] == ClauseKind.CONTROL:
                if claim.claimed_pass is not None:
                    initial[row["field"]] = "true" if claim.claimed_pass else "false"
            elif claim.claimed_points is not None:
                initial[row["field"]] = claim.claimed_points
        return initial

    # --- what the services receive -------------------------------------------------------------

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
            evidence = row["pending"] if self.mode == "claim" else None
            note = self.cleaned_data.get(row["note"], "")
            as_claimed = self.mode == "review" and bool(self.cleaned_data.get(row["accept_field"]))
            if raw in (None, "") and not evidence and not note and not as_claimed:
                continue
            entry: dict[str, Any] = {"kind": row["kind"], "note": note}
            if as_claimed:
                entry["accept_claimed"] = True
            if row["kind"] == ClauseKind.CONTROL:
                entry["passed"] = None if raw in (None, "") else raw == "true"
            else:
                entry["points"] = raw
            if evidence:
                entry["evidence"] = evidence
            out[row["clause"]] = entry
        return out

    def stash_evidence(self, *, actor: Any, project: Any) -> None:
        """Store every chosen file at once as a pending attachment, so a save refused for another
        field does not lose it: its id rides in the row's hidden field and the page shows it as
        chosen. Files chosen earlier come back through those ids (the user's own pending files of
        this project only). A refused file gets its message on its row. Call after ``is_valid()``."""
        from greenbuild.attachments.models import Attachment
        from greenbuild.attachments.services import store_attachment

        data = self.data.copy()
        ids = {row["pending_field"]: str(data.get(row["pending_field"]) or "") for row in self.rows}
        known = {
            str(a.pk): a
            for a in Attachment.objects.filter(
                pk__in=[int(v) for v in ids.values() if v.isdigit() and len(v) < 19],
                pending=True,
                removed_at__isnull=True,
                uploaded_by=actor,
                project=project,
                kind=AttachmentKind.EVIDENCE,
            )
        }
        for row in self.rows:
            row["pending"] = None if row["disabled"] else known.pop(ids[row["pending_field"]], None)  # once
            upload = None if row["disabled"] else self.files.get(row["evidence"])
            if upload and row["evidence"] not in self.errors:
                try:
                    row["pending"] = store_attachment(
                        actor=actor, project=project, kind=AttachmentKind.EVIDENCE, uploaded_file=upload, pending=True
                    )
                except ValidationError as error:
                    self.add_error(row["evidence"], error)
            data[row["pending_field"]] = str(row["pending"].pk) if row["pending"] else ""
        self.data = data

    def add_engine_error(self, error: ValidationError) -> None:
        """Put an engine refusal on the clause's row where it names one, else on top."""
        for field, messages in error.message_dict.items():
            match = CLAUSE_IN_FIELD.search(field)
            target = None
            if match:
                name = "{}_{}".format("a" if self.mode == "review" else "c", _key(match.group(1)))
                target = name if name in self.fields else None
            elif field.startswith("star_requirements.") and field.split(".", 1)[1] in self.fields:
                target = field.split(".", 1)[1]
            elif field in self.fields:
                target = field
            for message in messages:
                self.add_error(target, message)


def item_title(item: dict[str, Any]) -> str:
    """A GB/T 51129 item as the user reads it: the standard's own title in Chinese, the platform's
    translated item name otherwise (the rule table's titles are Chinese)."""
    if (translation.get_language() or "zh-hans").startswith("zh"):
        return str(item["title"])
    from greenbuild.scoring.messages import label

    return label("item", item["key"])


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
        for field in self.fields.values():
            field.label = capfirst(field.label)
        for item in items:
            if item["key"] in RATIO_ITEMS:
                self.fields[item["key"] + "_pct"] = forms.DecimalField(
                    label="{} {} (%)".format(item["clause"], item_title(item)),
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=6,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                )
        self.fields["absent_items"].choices = [(i["key"], item_title(i)) for i in items if i.get("may_be_absent")]
        self.fields["absent_items"].widget.attrs["class"] = "form-check-input"

    def main_fields(self) -> list[forms.BoundField]:
        """Every field but the absent items, which the page shows as a row of checkboxes."""
        return [self[name] for name in self.fields if name != "absent_items"]

    def inputs(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        data["full_decoration"] = self.cleaned_data["full_decoration"]
        return data


def describe_changes(changes: list[dict[str, Any]]) -> str:
    """“Changed since the review: evidence, claimed points 8→10” for the reviewer (issue 10 item 2)."""
    if not changes:
        return ""

    def shown(value: Any, field: str) -> str:
        if value is None:
            return "—"
        if field == "claimed_pass":
            return str(_("Pass") if value else _("Fail"))
        return str(value)

    parts = []
    for change in changes:
        field = change.get("field")
        if field == "evidence":
            parts.append(str(_("evidence")))
        elif field in ("claimed_points", "claimed_pass"):
            label = _("claimed points") if field == "claimed_points" else _("claimed result")
            parts.append("{} {}→{}".format(label, shown(change.get("from"), field), shown(change.get("to"), field)))
    return str(_("Changed since the review: {changes}")).format(changes=str(pgettext("list", ", ")).join(parts))


class WasteRecordForm(BootstrapFormMixin, forms.ModelForm):
    """One waste ticket or month; the model refuses recycled tonnes above the tonnage and future dates."""

    class Meta:
        model = WasteRecord
        fields = ["recorded_on", "category", "tonnes", "recycled_tonnes", "note"]
        labels = {"category": _("Waste category")}
        widgets = {"recorded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name in ("tonnes", "recycled_tonnes"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.001"})


class MaterialLineForm(BootstrapFormMixin, forms.ModelForm):
    """A bill-of-materials line; the carbon factor is chosen from table D.0.1 (its unit shown)."""

    class Meta:
        model = MaterialLine
        fields = [
            "name",
            "group",
            "item_type",
            "quantity",
            "unit",
            "certified",
            "carbon_material",
            "mass_t",
            "distance_km",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from greenbuild.scoring.engines import carbon_materials, material_item_types, material_units
        from greenbuild.scoring.messages import unit_symbol

        # The category and unit are picked from the rule table's lists (SCO-06); a stored value that
        # is not in them (an old free-text row) is shown as it is, marked, and refused on save.
        english = not (translation.get_language() or "").startswith("zh")
        groups: dict[str, list[tuple[str, str]]] = {}
        for row in material_item_types():
            label = "{} ({})".format(row["title"], row["title_en"]) if english and row.get("title_en") else row["title"]
            groups.setdefault(row["group"], []).append((row["title"], label))
        group_labels = dict(MaterialLine._meta.get_field("group").choices or [])
        item_choices: list[Any] = [("", "---------")]
        item_choices += [(str(group_labels.get(group, group)), rows) for group, rows in groups.items()]
        unit_choices: list[Any] = [("", "---------")]
        unit_choices += [
            (row["key"], row.get("title_en") if english and row.get("title_en") else row["title"])
            for row in material_units()
        ]
        for name, choices in (("item_type", item_choices), ("unit", unit_choices)):
            current = self.fields[name]
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            known = {value for _label, rows in choices[1:] for value, _l in rows} if name == "item_type" else None
            known = known if known is not None else {value for value, _label in choices}
            if stored and stored not in known:
                choices.insert(1, (stored, "{} ({})".format(stored, _("not in the list: choose another"))))
            self.fields[name] = forms.ChoiceField(
                label=current.label,
                help_text=current.help_text,
                required=True,
                choices=choices,
                error_messages={
                    "invalid_choice": _(
                        "“%(value)s” is not a material category of appendix A: choose one from the list."
                    )
                    if name == "item_type"
                    else _("“%(value)s” is not a unit of the list: choose one from the list.")
                },
            )
            self.fields[name].widget.attrs["class"] = "form-select"

        current = self.fields["certified"]
        self.fields["certified"] = StrictBooleanField(
            label=current.label, help_text=current.help_text, required=False, widget=_RawCheckbox(current.widget.attrs)
        )

        current = self.fields["carbon_material"]
        choices = [("", _("none (left out of the carbon total)"))]
        choices += [
            (row["key"], "{} ({})".format(row["title"], unit_symbol(row["unit"]))) for row in carbon_materials()
        ]
        self.fields["carbon_material"] = forms.ChoiceField(
            label=current.label, help_text=current.help_text, required=False, choices=choices
        )
        self.fields["carbon_material"].widget.attrs["class"] = "form-select"


class _RawCheckbox(forms.CheckboxInput):
    """A checkbox that hands the posted value on as it came (the API's JSON included), so the field
    can refuse what is not a yes or a no instead of reading any text as checked."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) if name in data else False


class StrictBooleanField(forms.BooleanField):
    """Yes or no: a checked box ("on"), true/false, 1/0; "maybe", "no" or [true] are refused, never
    read as yes (a certified line raises the green-material share)."""

    widget = _RawCheckbox
    YES = frozenset({"on", "true", "1"})
    NO = frozenset({"off", "false", "0", ""})

    def to_python(self, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in self.YES | self.NO:
            return value.strip().lower() in self.YES
        raise forms.ValidationError(_("Enter yes or no (true or false)."), code="invalid")


class EnergyRecordForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = EnergyRecord
        fields = ["carrier", "quantity"]
