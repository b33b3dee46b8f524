"""What the standards engines say, in the user's language.

The engines in ``greenbuild.standards`` stay free of Django and write English for the CLI; every
finding, condition, explanation line and refusal also carries a stable message code with
parameters (``greenbuild/standards/messages.py`` defines them). This module renders those codes
through Django's catalogues: :data:`TEMPLATES` maps each code to a translatable template, and
parameters that are themselves codes (levels, grades, requirements, categories, yes/no, "none")
are shown through the translated labels of :data:`LABELS`.

Stored score runs computed before message codes existed have no ``code``: they fall back to the
text the engine stored. A refusal whose message has no code is matched against the English
patterns of the first version of this module (:data:`_LEGACY_PATTERNS`), else shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from greenbuild.scoring.choices import MaterialGroup, WasteCategory
from greenbuild.standards.messages import CODE_KINDS, REGISTRY, Message

__all__ = [
    "LABELS",
    "TEMPLATES",
    "edition_name",
    "explanation_lines",
    "field_label",
    "finding_reason",
    "finding_title",
    "clause_label",
    "label",
    "render",
    "requirement_title",
    "translate",
    "translate_error",
]


#: kind → code → translated label (context "standards", so no label collides with another app's msgid) (kinds as in ``greenbuild.standards.messages.CODE_KINDS``).
LABELS: dict[str, dict[Any, Any]] = {
    "level": {
        "none": pgettext_lazy("standards", "not rated"),
        "basic": pgettext_lazy("standards", "basic level"),
        "one_star": pgettext_lazy("standards", "one star"),
        "two_star": pgettext_lazy("standards", "two stars"),
        "three_star": pgettext_lazy("standards", "three stars"),
    },
    "stage": {
        "pre_evaluation": pgettext_lazy("standards", "pre-evaluation"),
        "evaluation": pgettext_lazy("standards", "evaluation"),
    },
    "category": {
        "safety_durability": pgettext_lazy("standards", "safety and durability"),
        "health_comfort": pgettext_lazy("standards", "health and comfort"),
        "convenience": pgettext_lazy("standards", "convenience"),
        "resource_saving": pgettext_lazy("standards", "resource saving"),
        "environment": pgettext_lazy("standards", "environmental liveability"),
        "bonus": pgettext_lazy("standards", "improvement and innovation"),
    },
    "requirement": {
        "envelope_improvement_pct": pgettext_lazy("standards", "envelope thermal improvement (%)"),
        "load_reduction_pct": pgettext_lazy("standards", "heating and cooling load reduction (%)"),
        "water_fixture_grade": pgettext_lazy("standards", "water-fixture efficiency grade"),
        "sound_insulation": pgettext_lazy("standards", "sound insulation"),
        "pollutant_reduction_pct": pgettext_lazy("standards", "indoor pollutant reduction (%)"),
        "window_airtightness": pgettext_lazy("standards", "window airtightness"),
        "green_material_ratio_pct": pgettext_lazy("standards", "green-material share (%)"),
        "window_u_reduction_pct": pgettext_lazy("standards", "window U-value reduction (%)"),
        "climate_zone": pgettext_lazy("standards", "climate zone"),
    },
    "row": {
        "envelope_or_load": pgettext_lazy("standards", "envelope or load reduction"),
        "window_u_value": pgettext_lazy("standards", "window U-value (severe-cold and cold zones)"),
        "water_fixture_grade": pgettext_lazy("standards", "water-fixture efficiency grade"),
        "sound_insulation": pgettext_lazy("standards", "sound insulation of dwellings"),
        "pollutant_reduction": pgettext_lazy("standards", "indoor pollutant reduction"),
        "window_airtightness": pgettext_lazy("standards", "window airtightness"),
        "green_material_ratio": pgettext_lazy("standards", "green-material share"),
    },
    "sound": {
        "none": pgettext_lazy("standards", "below the average limit"),
        "average": pgettext_lazy("standards", "average limit"),
        "high": pgettext_lazy("standards", "high limit"),
    },
    "flag": {True: pgettext_lazy("standards", "yes"), False: pgettext_lazy("standards", "no")},
    "yes_no": {True: pgettext_lazy("standards", "yes"), False: pgettext_lazy("standards", "no")},
    "structure": {
        "concrete": pgettext_lazy("standards", "concrete"),
        "steel": pgettext_lazy("standards", "steel"),
        "timber": pgettext_lazy("standards", "timber"),
    },
    "item": {
        "vertical_members": pgettext_lazy("standards", "vertical members"),
        "horizontal_members": pgettext_lazy("standards", "horizontal members"),
        "exterior_walls_nonmasonry": pgettext_lazy("standards", "non-masonry exterior walls"),
        "exterior_walls_integrated": pgettext_lazy("standards", "integrated exterior walls"),
        "partitions_nonmasonry": pgettext_lazy("standards", "non-masonry partitions"),
        "partitions_integrated": pgettext_lazy("standards", "integrated partitions"),
        "full_decoration": pgettext_lazy("standards", "full decoration"),
        "dry_floors": pgettext_lazy("standards", "dry-process floors"),
        "integrated_kitchen": pgettext_lazy("standards", "integrated kitchen"),
        "integrated_bathroom": pgettext_lazy("standards", "integrated bathroom"),
        "pipeline_separation": pgettext_lazy("standards", "pipeline separation"),
    },
    "group": {
        "q1": pgettext_lazy("standards", "main structure (Q1)"),
        "q2": pgettext_lazy("standards", "envelope walls and partitions (Q2)"),
        "q3": pgettext_lazy("standards", "fit-out and services (Q3)"),
        "q4": pgettext_lazy("standards", "points of the absent items (Q4)"),
    },
    "grade": {
        "none": pgettext_lazy("standards", "no grade"),
        "A": pgettext_lazy("standards", "grade A"),
        "AA": pgettext_lazy("standards", "grade AA"),
        "AAA": pgettext_lazy("standards", "grade AAA"),
    },
    "waste_category": dict(WasteCategory.choices),
    "material_group": dict(MaterialGroup.choices),
    "transport_class": {
        "concrete": pgettext_lazy("standards", "concrete"),
        "other": pgettext_lazy("standards", "other materials"),
    },
    "bim_stage": {
        "design": pgettext_lazy("standards", "design"),
        "production": pgettext_lazy("standards", "production"),
        "construction": pgettext_lazy("standards", "construction"),
    },
    "prefab_condition": {
        "q1_minimum": pgettext_lazy("standards", "main structure scores at least 20"),
        "q2_minimum": pgettext_lazy("standards", "envelope walls and partitions score at least 10"),
        "full_decoration": pgettext_lazy("standards", "full decoration"),
        "assembly_rate_minimum": pgettext_lazy("standards", "assembly rate at least 50%"),
    },
    "rule_title": {
        "waste.intensity": pgettext_lazy("standards", "Site waste per 10,000 m² (excluding spoil and slurry)"),
        "waste.national": pgettext_lazy("standards", "National target for new buildings"),
        "waste.project": pgettext_lazy("standards", "Project waste-reduction target"),
        "waste.recycling": pgettext_lazy("standards", "Recycling rate of construction waste"),
        "carbon.a1_a3": pgettext_lazy("standards", "Material production (A1–A3)"),
        "carbon.a4": pgettext_lazy("standards", "Material transport (A4)"),
        "carbon.a5": pgettext_lazy("standards", "Construction (A5)"),
        "carbon.intensity": pgettext_lazy("standards", "Carbon emissions per m² of floor area"),
        "green.ratio": pgettext_lazy("standards", "Green-material share"),
        "green.table_3_2_8": pgettext_lazy("standards", "Green-material share (table 3.2.8, 2024 edition)"),
        "green.clause_7_2_18": pgettext_lazy("standards", "Green materials used (clause 7.2.18, 2024 edition)"),
    },
    "carrier": {
        "electricity": pgettext_lazy("standards", "Electricity"),
        "diesel": pgettext_lazy("standards", "Diesel"),
        "gasoline": pgettext_lazy("standards", "Gasoline"),
        "natural_gas": pgettext_lazy("standards", "Natural gas"),
    },
    "field": {},
}

#: R7–R14 titles (the rule table's are Chinese only).
REQUIREMENT_TITLES: dict[str, Any] = {
    "R7": pgettext_lazy("standards", "Green building of two stars or more"),
    "R8": pgettext_lazy("standards", "Standardised design"),
    "R9": pgettext_lazy(
        "standards", "Prefabricated construction (pipeline separation and prefabricated fit-out preferred)"
    ),
    "R10": pgettext_lazy("standards", "Site waste-reduction target"),
    "R11": pgettext_lazy("standards", "Green materials first, with a rising share"),
    "R12": pgettext_lazy("standards", "BIM in design, production and construction"),
    "R13": pgettext_lazy("standards", "Smart site with construction robots or intelligent equipment"),
    "R14": pgettext_lazy("standards", "EPC or whole-process engineering consulting"),
}

#: edition key (or alias) → human name of the rule table.
EDITION_NAMES: dict[str, Any] = {
    "GB/T 50378-2019": pgettext_lazy("standards", "GB/T 50378-2019 Assessment standard for green building"),
    "GB/T 50378-2019（2024年版）": pgettext_lazy(
        "standards", "GB/T 50378-2019 (2024 edition) Assessment standard for green building"
    ),
    "GB/T 50378-2019 (2024)": pgettext_lazy(
        "standards", "GB/T 50378-2019 (2024 edition) Assessment standard for green building"
    ),
    "GB/T 51129-2017": pgettext_lazy("standards", "GB/T 51129-2017 Standard for assessment of prefabricated buildings"),
    "MOHURD-2020-construction-waste": pgettext_lazy(
        "standards", "MOHURD 2020 guide to reducing construction waste on site"
    ),
    "GB/T 51366-2019": pgettext_lazy("standards", "GB/T 51366-2019 Standard for building carbon emission calculation"),
    "GB/T 50378-2019（2024年版）绿色建材应用比例": pgettext_lazy(
        "standards", "GB/T 50378-2019 (2024 edition) green-material share"
    ),
    "Changzhou-green-construction-pilot-2021": pgettext_lazy(
        "standards", "Changzhou green construction pilot programme (2021)"
    ),
}

#: input field names (the last part of an engine's field path) → label, for refusals.
FIELD_LABELS: dict[str, Any] = {
    "input": pgettext_lazy("standards", "input"),
    "edition": pgettext_lazy("standards", "rule table edition"),
    "engine": pgettext_lazy("standards", "engine"),
    "stage": pgettext_lazy("standards", "stage"),
    "building_type": pgettext_lazy("standards", "building type"),
    "full_decoration": pgettext_lazy("standards", "full decoration"),
    "star_requirements": pgettext_lazy("standards", "table 3.2.8 figures"),
    "structure": pgettext_lazy("standards", "structure"),
    "absent_items": pgettext_lazy("standards", "absent items"),
    "quantities": pgettext_lazy("standards", "quantities"),
    "part": pgettext_lazy("standards", "prefabricated quantity"),
    "total": pgettext_lazy("standards", "total quantity"),
    "gross_floor_area_m2": pgettext_lazy("standards", "gross floor area"),
    "prefabricated": pgettext_lazy("standards", "prefabricated"),
    "prefabricated_floor_area_m2": pgettext_lazy("standards", "prefabricated floor area"),
    "target_t_per_10k_m2": pgettext_lazy("standards", "project waste target"),
    "records": pgettext_lazy("standards", "waste record"),
    "category": pgettext_lazy("standards", "category"),
    "tonnes": pgettext_lazy("standards", "tonnes"),
    "recycled_tonnes": pgettext_lazy("standards", "recycled tonnes"),
    "items": pgettext_lazy("standards", "material line"),
    "name": pgettext_lazy("standards", "material"),
    "item_type": pgettext_lazy("standards", "item type"),
    "quantity": pgettext_lazy("standards", "quantity"),
    "unit": pgettext_lazy("standards", "unit"),
    "certified": pgettext_lazy("standards", "certified green material"),
    "materials": pgettext_lazy("standards", "material line"),
    "material": pgettext_lazy("standards", "carbon factor"),
    "mass_t": pgettext_lazy("standards", "mass (t)"),
    "distance_km": pgettext_lazy("standards", "transport distance"),
    "transport_mode": pgettext_lazy("standards", "transport mode"),
    "transport_class": pgettext_lazy("standards", "transport class"),
    "factor_kgco2e_per_unit": pgettext_lazy("standards", "carbon factor"),
    "factor_source": pgettext_lazy("standards", "factor source"),
    "construction_energy": pgettext_lazy("standards", "site energy record"),
    "carrier": pgettext_lazy("standards", "carrier"),
    "grid": pgettext_lazy("standards", "electricity grid"),
}

_TAGS: dict[str, Any] = {
    "C": pgettext_lazy("standards", "Confirmed: the value was seen in a cited source."),
    "P": pgettext_lazy("standards", "Partly confirmed: some values seen, the rest from knowledge of the standard."),
    "M": pgettext_lazy(
        "standards", "From knowledge of the standard text only, not yet checked against the official text."
    ),
    "X": pgettext_lazy("standards", "Sources disagree; the rule table notes the reading used."),
    "D": pgettext_lazy(
        "standards", "The platform's decision where the sources are silent (a rule-table decision, D1–D12)."
    ),
}

#: message code → translatable template (``%(name)s`` placeholders; unused parameters are left out).
TEMPLATES: dict[str, Any] = {
    # refusals shared by every engine
    "input.not_object": gettext_lazy("must be a JSON object"),
    "input.not_array": gettext_lazy("must be a list"),
    "input.unknown_field": gettext_lazy("is not a field of this form of input"),
    "input.not_string": gettext_lazy("must not be empty"),
    "input.not_bool": gettext_lazy("must be yes or no"),
    "input.required": gettext_lazy("is required"),
    "input.not_number": gettext_lazy("must be a number"),
    "input.not_number_got": gettext_lazy("must be a number (you gave %(value)s)"),
    "input.not_finite": gettext_lazy("must be a finite number"),
    "input.not_positive": gettext_lazy("must be greater than zero (you gave %(value)s)"),
    "input.below_minimum": gettext_lazy("must be at least %(minimum)s (you gave %(value)s)"),
    "input.above_maximum": gettext_lazy("must be at most %(maximum)s (you gave %(value)s)"),
    "input.not_percentage": gettext_lazy("must be a percentage from 0 to 100"),
    "input.one_of": gettext_lazy("is not one of the allowed values (you gave %(value)s)"),
    "input.not_clause_map": gettext_lazy("must list clause numbers with their values"),
    "input.clause_not_string": gettext_lazy("clause numbers must be text (you gave %(value)s)"),
    "edition.unknown": gettext_lazy("there is no rule table for the edition %(edition)s"),
    "edition.example": gettext_lazy("must name an edition of the standard, such as %(example)s"),
    "edition.mismatch": gettext_lazy("the input names the edition %(edition)s but the rule table is %(table)s"),
    "engine.unknown": gettext_lazy("there is no engine %(engine)s"),
    "engine.unavailable": gettext_lazy("the engine %(engine)s is not available"),
    "ruletable.header": gettext_lazy("the rule table must give this header value"),
    "ruletable.date": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "ruletable.wrong_standard": gettext_lazy("the rule table %(edition)s is for %(standard)s, not %(expected)s"),
    "ruletable.missing": gettext_lazy("the rule table %(edition)s lacks the entry %(path)s"),
    "ruletable.row_missing": gettext_lazy("the rule table row %(row)s lacks the value %(key)s"),
    "ruletable.invalid": gettext_lazy("the rule table entry %(path)s is not valid"),
    # GB/T 50378 refusals
    "gbt50378.input.full_decoration": gettext_lazy("state whether the building is fully fitted out"),
    "gbt50378.input.control_bool": gettext_lazy("must be stated as met or not met"),
    "gbt50378.input.water_grade": gettext_lazy("must be grade 1, 2 or 3"),
    "gbt50378.input.airtightness": gettext_lazy("must be yes, no or not given"),
    "gbt50378.claim.negative": gettext_lazy("claimed points must not be negative (D1)"),
    "gbt50378.claim.unknown_control": gettext_lazy("there is no such control item in this edition"),
    "gbt50378.claim.missing_control": gettext_lazy("every control item must be stated as met or not met (D1)"),
    "gbt50378.claim.unknown_clause": gettext_lazy("there is no such clause in this edition"),
    "gbt50378.claim.above_maximum": gettext_lazy(
        "claimed %(claimed)s points, more than the clause maximum of %(maximum)s (D1)"
    ),
    "gbt50378.claim.operation_only": gettext_lazy("an operation-only item cannot be claimed at pre-evaluation (D6)"),
    # GB/T 50378 findings
    "gbt50378.control.met": gettext_lazy("control item met"),
    "gbt50378.control.not_met": gettext_lazy("control item not met: no level and no total score (D3)"),
    "gbt50378.points.operation_only": gettext_lazy("operation-only item: not assessed at pre-evaluation (D6)"),
    "gbt50378.points.not_claimed": gettext_lazy("not claimed: 0 of %(maximum)s points"),
    "gbt50378.points.claimed": gettext_lazy("claimed %(points)s of %(maximum)s points"),
    "gbt50378.category.sum": gettext_lazy("sum of the claims: %(score)s of %(maximum)s points"),
    "gbt50378.category.capped": gettext_lazy("the claims add up to %(claimed)s, capped at the maximum of %(maximum)s"),
    "gbt50378.category.sum_floor": gettext_lazy(
        "sum of the claims: %(score)s of %(maximum)s points; the %(floor_pct)s%% floor is %(floor)s points"
    ),
    "gbt50378.category.capped_floor": gettext_lazy(
        "the claims add up to %(claimed)s, capped at the maximum of %(maximum)s; the %(floor_pct)s%% floor is "
        "%(floor)s points"
    ),
    "gbt50378.total": gettext_lazy(
        "Q = (%(base)s + %(points)s) / %(divisor)s = %(total)s, kept exact and compared unrounded (D2)"
    ),
    "gbt50378.level.met": gettext_lazy("every condition met (D3)"),
    "gbt50378.level.not_met": gettext_lazy("not met (D3): %(conditions)s"),
    "gbt50378.title.category": gettext_lazy("%(category)s"),
    "gbt50378.title.total": gettext_lazy("Total score Q"),
    "gbt50378.title.level": gettext_lazy("%(level)s"),
    "gbt50378.condition.control": gettext_lazy("control item %(clause)s must be met"),
    "gbt50378.condition.floor": gettext_lazy(
        "%(category)s %(score)s points, needs at least %(floor)s (%(floor_pct)s%% of %(maximum)s)"
    ),
    "gbt50378.condition.full_decoration": gettext_lazy("full decoration"),
    "gbt50378.condition.full_decoration_missing": gettext_lazy("full decoration: not given"),
    "gbt50378.condition.total": gettext_lazy("Q %(total)s, needs at least %(minimum)s"),
    "gbt50378.condition.row": gettext_lazy("%(row)s: %(tests)s"),
    "gbt50378.row.at_least": gettext_lazy("%(requirement)s %(value)s (needs at least %(threshold)s)"),
    "gbt50378.row.at_most": gettext_lazy("%(requirement)s %(value)s (needs at most %(threshold)s)"),
    "gbt50378.row.is_true": gettext_lazy("%(requirement)s: %(value)s (needs yes)"),
    "gbt50378.row.rank_at_least": gettext_lazy("%(requirement)s: %(value)s (needs %(threshold)s or better)"),
    "gbt50378.explain.none": gettext_lazy(
        "%(level)s: control item(s) %(clauses)s not met. Every control item must be met for the %(basic_level)s "
        "(%(basic_clause)s); no total score is given (D3)."
    ),
    "gbt50378.explain.head": gettext_lazy("%(level)s, Q = %(total)s."),
    "gbt50378.explain.highest": gettext_lazy("This is the highest level."),
    "gbt50378.explain.blocked_by": gettext_lazy("%(level)s is blocked by:"),
    "gbt50378.explain.blocker_not_points": gettext_lazy(
        "- %(condition)s [%(clause)s]: cannot be met by claiming points"
    ),
    "gbt50378.explain.blocker_points": gettext_lazy("- %(condition)s [%(clause)s]: %(points)s more points"),
    "gbt50378.explain.no_room": gettext_lazy("The clause maxima leave too little room: no claim of points reaches it."),
    "gbt50378.explain.fewest": gettext_lazy("Fewest extra claimed points: %(points)s (Q +%(q)s)."),
    "gbt50378.explain.not_points_alone": gettext_lazy(
        "Points alone do not reach it: the conditions marked above must be met too."
    ),
    # GB/T 51129 refusals
    "gbt51129.input.part_above_total": gettext_lazy(
        "the prefabricated quantity %(part)s is larger than the total %(total)s"
    ),
    "gbt51129.input.pct_and_quantities": gettext_lazy(
        "give the ratio of %(item)s either as a percentage or as quantities"
    ),
    "gbt51129.input.absent_not_strings": gettext_lazy("must list the absent items by name"),
    "gbt51129.input.absent_twice": gettext_lazy("%(item)s is named absent twice"),
    "gbt51129.input.absent_unknown": gettext_lazy("there is no item %(value)s"),
    "gbt51129.input.ratio_for_absent": gettext_lazy("a ratio is given for %(item)s, which is named absent"),
    "gbt51129.input.main_ratio_required": gettext_lazy(
        "is required: a building of %(structure)s structure must give this main-structure ratio"
    ),
    "gbt51129.input.ratio_required": gettext_lazy(
        "is required: give the ratio (0 is allowed) or mark %(item)s as absent"
    ),
    "gbt51129.input.cannot_be_absent": gettext_lazy(
        "%(item)s cannot be absent: only envelope, partition, fit-out and services items may be (D10)"
    ),
    "gbt51129.input.too_many_absent": gettext_lazy("too many items are named absent: 100 − Q4 must stay above 0"),
    # GB/T 51129 findings
    "gbt51129.ratio.quantities": gettext_lazy("ratio %(part)s / %(total)s %(unit)s = %(ratio)s%%"),
    "gbt51129.ratio.structure_default": gettext_lazy("ratio %(ratio)s%% (all vertical members steel or timber, D9)"),
    "gbt51129.ratio.percentage": gettext_lazy("ratio %(ratio)s%%"),
    "gbt51129.item.at_least": gettext_lazy("%(ratio)s ≥ %(threshold)s%%: %(points)s points"),
    "gbt51129.item.below": gettext_lazy("%(ratio)s < %(threshold)s%%: 0 points"),
    "gbt51129.item.interpolated": gettext_lazy(
        "%(ratio)s in %(lower)s–%(upper)s%%: %(low)s + (%(q)s − %(lower)s) / (%(upper)s − %(lower)s) × "
        "(%(maximum)s − %(low)s) = %(points)s"
    ),
    "gbt51129.item.interpolated_rounded": gettext_lazy(
        "%(ratio)s in %(lower)s–%(upper)s%%: %(low)s + (%(q)s − %(lower)s) / (%(upper)s − %(lower)s) × "
        "(%(maximum)s − %(low)s) = %(exact)s → %(points)s (rounded half-up, D7)"
    ),
    "gbt51129.item.absent": gettext_lazy("absent from this building: its %(maximum)s points count in Q4 (D10)"),
    "gbt51129.item.full_decoration": gettext_lazy("full decoration provided: %(points)s points"),
    "gbt51129.item.no_full_decoration": gettext_lazy("full decoration not provided: %(points)s points"),
    "gbt51129.group.sum": gettext_lazy("sum of the rounded item points (D7)"),
    "gbt51129.group.absent": gettext_lazy("points of the absent items: %(items)s"),
    "gbt51129.rate": gettext_lazy(
        "P = (%(q1)s + %(q2)s + %(q3)s) / (%(total)s − %(q4)s) × 100 = %(exact)s → %(rate)s%% (rounded half-up); "
        "%(banded)s%% for the 50%% condition and the grade bands (D8)"
    ),
    "gbt51129.condition.group_minimum": gettext_lazy("%(label)s scores %(value)s %(op)s %(minimum)s"),
    "gbt51129.condition.full_decoration": gettext_lazy("full decoration provided"),
    "gbt51129.condition.no_full_decoration": gettext_lazy("full decoration not provided"),
    "gbt51129.condition.rate": gettext_lazy("P = %(banded)s%% (whole per cent, D8) %(op)s %(minimum)s%%"),
    "gbt51129.precondition": gettext_lazy("%(item)s ratio %(ratio)s%% %(op)s %(minimum)s%%"),
    "gbt51129.precondition.absent": gettext_lazy("%(item)s absent, below %(minimum)s%%"),
    "gbt51129.grade.not_prefabricated": gettext_lazy(
        "no grade: the building does not count as prefabricated (clause 3.0.3)"
    ),
    "gbt51129.grade.precondition": gettext_lazy("no grade: the vertical-member precondition (clause 5.0.1) is not met"),
    "gbt51129.grade.band": gettext_lazy(
        "P = %(banded)s%% (whole per cent, D8) in %(minimum)s–%(maximum)s%%: %(grade)s"
    ),
    "gbt51129.grade.band_open": gettext_lazy("P = %(banded)s%% (whole per cent, D8) at least %(minimum)s%%: %(grade)s"),
    "gbt51129.grade.below": gettext_lazy("no grade: P = %(banded)s%% (whole per cent, D8) is below %(lowest)s%%"),
    "gbt51129.title.item": gettext_lazy("%(item)s"),
    "gbt51129.title.group": gettext_lazy("%(group)s"),
    "gbt51129.title.rate": gettext_lazy("Assembly rate P = (Q1 + Q2 + Q3) / (100 − Q4) × 100%%"),
    "gbt51129.title.condition": gettext_lazy("%(condition)s"),
    "gbt51129.title.precondition": gettext_lazy("Prefabricated share of the vertical members of the main structure"),
    "gbt51129.title.grade": gettext_lazy("Prefabricated building grade"),
    # titles of rule-table entries
    "title.rule": gettext_lazy("%(rule)s"),
    "title.waste_category": gettext_lazy("%(category)s"),
    "title.carrier": gettext_lazy("%(carrier)s"),
    # construction waste
    "waste.input.prefabricated_both": gettext_lazy(
        "give either whether the project is prefabricated or its prefabricated floor area"
    ),
    "waste.input.unknown_category": gettext_lazy("there is no waste category %(value)s"),
    "waste.intensity": gettext_lazy(
        "%(counted)s t (%(counted_categories)s) ÷ (%(area)s m² ÷ %(per_area)s) = %(exact)s → %(intensity)s "
        "t/10,000 m² (rounded half-up, D11); %(excluded)s t of %(excluded_categories)s excluded"
    ),
    "waste.national": gettext_lazy(
        "%(intensity)s t/10,000 m² %(op)s %(target)s t/10,000 m² (prefabricated: %(prefabricated)s)"
    ),
    "waste.national.weighted": gettext_lazy(
        "%(intensity)s t/10,000 m² %(op)s %(target)s t/10,000 m² (%(prefabricated_area)s m² of %(area)s m² "
        "prefabricated: weighted mean of %(prefab_target)s and %(normal_target)s)"
    ),
    "waste.project.none": gettext_lazy("the project has set no target of its own"),
    "waste.project": gettext_lazy("%(intensity)s t/10,000 m² %(op)s the project target of %(target)s t/10,000 m²"),
    "waste.separate": gettext_lazy("%(category)s: %(tonnes)s t, reported on its own, not in the intensity"),
    "waste.recycling.none": gettext_lazy("no record of a counted category states the recycled tonnes"),
    "waste.recycling.no_waste": gettext_lazy("no counted waste, so no recycling rate"),
    "waste.recycling": gettext_lazy("%(recycled)s t recycled ÷ %(counted)s t counted = %(rate)s%%"),
    "waste.recycling.partial": gettext_lazy(
        "%(recycled)s t recycled ÷ %(counted)s t counted = %(rate)s%%; %(missing)s record(s) without recycled "
        "tonnes count as not recycled"
    ),
    # green materials
    "green.input.no_items": gettext_lazy("list at least one material"),
    "green.input.unit_mismatch": gettext_lazy(
        "the item type %(item_type)s is already measured in %(unit)s; one item type takes one unit"
    ),
    "green.input.unknown_category": gettext_lazy("there is no material group %(value)s"),
    "green.item_type.green": gettext_lazy(
        "%(certified)s of %(total)s %(unit)s certified = %(share)s%% ≥ %(minimum)s%%: counts as green"
    ),
    "green.item_type.not_green": gettext_lazy(
        "%(certified)s of %(total)s %(unit)s certified = %(share)s%% < %(minimum)s%%: does not count"
    ),
    "green.group": gettext_lazy("%(green)s of %(count)s item types green × %(weight)s = %(score)s"),
    "green.group.empty": gettext_lazy("no materials of this group listed: 0 (a rule-table decision)"),
    "green.ratio": gettext_lazy("green-material share: %(terms)s = %(exact)s → %(ratio)s%%"),
    "green.table_row": gettext_lazy("%(level)s: %(ratio)s%% %(op)s %(minimum)s%%"),
    "green.clause_7_2_18": gettext_lazy("ratio %(ratio)s%% ≥ %(minimum)s%%: %(points)s points"),
    "green.clause_7_2_18.below": gettext_lazy("ratio %(ratio)s%% is below the first step: %(points)s points"),
    "green.title.group": gettext_lazy("%(group)s"),
    # carbon
    "carbon.input.material_or_factor": gettext_lazy("choose a material of table D.0.1 or give its own carbon factor"),
    "carbon.input.material_and_factor": gettext_lazy(
        "give either a material of table D.0.1 or an own factor, not both"
    ),
    "carbon.input.factor_source": gettext_lazy("name the source of a factor that is not from table D.0.1"),
    "carbon.input.required_with_factor": gettext_lazy("is required with an own carbon factor"),
    "carbon.input.transport_class": gettext_lazy(
        "comes from table D.0.1 for a listed material; give the distance instead"
    ),
    "carbon.input.nothing": gettext_lazy("give at least one material line or site energy record"),
    "carbon.input.unknown_material": gettext_lazy("%(value)s is not in table D.0.1"),
    "carbon.input.unit_mismatch": gettext_lazy("table D.0.1 gives this material per %(unit)s, not per %(given)s"),
    "carbon.input.unknown_transport_class": gettext_lazy("is not a transport class of the rule table"),
    "carbon.input.mass_required": gettext_lazy(
        "is required to compute the transport of a material measured in %(unit)s"
    ),
    "carbon.input.mass_contradicts": gettext_lazy(
        "“%(line)s” is measured in %(unit)s, so its quantity %(quantity)s %(unit)s is already its mass of %(mass)s t; "
        "the mass of %(mass_t)s t given beside it contradicts it (D12): leave the mass empty or make it equal"
    ),
    "carbon.input.unknown_mode": gettext_lazy("%(value)s is not in table E.0.1"),
    "carbon.input.unknown_grid": gettext_lazy("there is no electricity grid %(value)s"),
    "carbon.input.unknown_carrier": gettext_lazy("there is no energy carrier %(value)s"),
    "carbon.input.carrier_unit": gettext_lazy("this carrier is measured in %(unit)s, not %(given)s"),
    "carbon.a1_a3": gettext_lazy(
        "production (A1–A3): %(quantity)s %(unit)s × %(factor)s kgCO₂e/%(unit)s = %(a1_a3)s kgCO₂e"
    ),
    "carbon.a4": gettext_lazy(
        "transport (A4): %(mass)s t × %(distance)s km × %(factor)s kgCO₂e/(t·km) = %(a4)s kgCO₂e"
    ),
    "carbon.a4.defaults": gettext_lazy(
        "transport (A4): %(mass)s t × %(distance)s km × %(factor)s kgCO₂e/(t·km) = %(a4)s kgCO₂e (%(notes)s)"
    ),
    "carbon.note.default_distance": gettext_lazy("default distance for %(transport_class)s [M]"),
    "carbon.note.default_mode": gettext_lazy("default transport mode [D]"),
    "carbon.a5": gettext_lazy("site energy (A5): %(quantity)s %(unit)s × %(factor)s kgCO₂e/%(unit)s = %(a5)s kgCO₂e"),
    "carbon.stage": gettext_lazy("%(stage)s in total: %(total)s kgCO₂e; ÷ %(area)s m² = %(per_m2)s kgCO₂e/m²"),
    "carbon.total": gettext_lazy("total: A1–A3 + A4 + A5 = %(total)s kgCO₂e ÷ %(area)s m² = %(per_m2)s kgCO₂e/m²"),
    # pilot requirements
    "pilot.input.star_level": gettext_lazy("is not a star level"),
    "pilot.input.at_least_zero": gettext_lazy("must be at least 0"),
    "pilot.input.percentage": gettext_lazy("must lie between 0 and 100"),
    "pilot.input.bim_stages": gettext_lazy("names an unknown BIM stage"),
    "pilot.input.no_check": gettext_lazy("the rule table requirement %(requirement)s has no check"),
    "pilot.r7.unknown": gettext_lazy("no GB/T 50378 star level yet"),
    "pilot.r7.meets": gettext_lazy("star level %(level)s meets the required %(minimum)s"),
    "pilot.r7.below": gettext_lazy("star level %(level)s is below the required %(minimum)s"),
    "pilot.r8.unknown": gettext_lazy("standardised design: not yet given"),
    "pilot.r8": gettext_lazy("standardised design: %(value)s"),
    "pilot.r9.unknown": gettext_lazy(
        "no GB/T 51129 assessment yet; pipeline separation: %(pipeline)s, prefabricated fit-out: %(decoration)s "
        "(recommended)"
    ),
    "pilot.r9.pass": gettext_lazy(
        "counts as prefabricated under GB/T 51129; pipeline separation: %(pipeline)s, prefabricated fit-out: "
        "%(decoration)s (recommended)"
    ),
    "pilot.r9.fail": gettext_lazy(
        "does not count as prefabricated under GB/T 51129; pipeline separation: %(pipeline)s, prefabricated "
        "fit-out: %(decoration)s (recommended)"
    ),
    "pilot.r10.no_target": gettext_lazy("no project waste-reduction target recorded yet"),
    "pilot.r10.no_intensity": gettext_lazy(
        "target %(target)s t/10,000 m² set; the site waste intensity is not yet known"
    ),
    "pilot.r10": gettext_lazy("intensity %(intensity)s t/10,000 m² %(op)s target %(target)s t/10,000 m²"),
    "pilot.r11.unknown": gettext_lazy("no green-material share yet"),
    "pilot.r11.zero": gettext_lazy("no certified green materials used (share 0%%)"),
    "pilot.r11.first": gettext_lazy("share %(share)s%% > 0; no earlier figure to compare"),
    "pilot.r11.rising": gettext_lazy("share %(share)s%% (previously %(previous)s%%)"),
    "pilot.r11.not_rising": gettext_lazy("share %(share)s%% is not above the previous %(previous)s%%"),
    "pilot.r12.unknown": gettext_lazy("BIM stages not yet given"),
    "pilot.r12.missing": gettext_lazy("BIM not applied in: %(stages)s"),
    "pilot.r12.pass": gettext_lazy("BIM applied in: %(stages)s"),
    "pilot.r13": gettext_lazy(
        "smart site: %(smart_site)s; construction robots or intelligent equipment: %(equipment)s"
    ),
    "pilot.r14": gettext_lazy("EPC: %(epc)s; whole-process engineering consulting: %(consulting)s"),
    "pilot.baseline.r9.below_target": gettext_lazy(
        "achieved below the targets of baseline version %(version)s: %(buildings)s"
    ),
    "pilot.baseline.r10.above_national_target": gettext_lazy(
        "achieved %(intensity)s t/10,000 m² is above the national target of %(cap)s t/10,000 m²"
    ),
    "pilot.baseline.r11.below_target": gettext_lazy(
        "achieved %(share)s %% is below the target %(target)s %% of baseline version %(version)s"
    ),
}


# --- rendering ---------------------------------------------------------------------------------


def _not_given() -> str:
    return pgettext("standards", "not given")


def label(kind: str, value: Any) -> str:
    """The translated label of a code of ``kind`` (a list of codes is joined); unknown codes as given."""
    if isinstance(value, list | tuple):
        if not value:
            return pgettext("standards", "none")
        return pgettext("standards list separator", ", ").join(label(kind, item) for item in value)
    if value is None:
        return _not_given()
    table = LABELS.get(kind, {})
    return str(table.get(value, value))


#: clause references of the rule tables that hold Chinese, and how the pages show them.
CLAUSE_NAMES: dict[str, Any] = {
    "附录A": pgettext_lazy("standards", "appendix A"),
    "指导意见 目标": pgettext_lazy("standards", "MOHURD guideline: targets"),
    "指导意见 目标（2025年底）": pgettext_lazy("standards", "MOHURD guideline: targets (end of 2025)"),
    "指导意见 建设单位首要责任": pgettext_lazy("standards", "MOHURD guideline: the developer's primary responsibility"),
    "资源化利用": pgettext_lazy("standards", "recycling"),
}
_LEVEL_TITLES = {"一星级": "one_star", "二星级": "two_star", "三星级": "three_star", "基本级": "basic"}


def clause_label(clause: Any) -> str:
    """A clause reference as the page shows it: “表3.2.8” → “table 3.2.8” in English,
    “附录A main_structure_envelope” → “附录A 主体结构及围护结构”; ASCII clause numbers as they are."""
    text = str(clause or "")
    if text in CLAUSE_NAMES:
        return str(CLAUSE_NAMES[text])
    if text.startswith("附录A "):
        return "{} {}".format(CLAUSE_NAMES["附录A"], label("material_group", text.removeprefix("附录A ")))
    if text.startswith("表"):
        return pgettext("standards", "table {number}").format(number=text.removeprefix("表"))
    head, _sep, tail = text.partition(" ")
    if tail in _LEVEL_TITLES:
        return "{} {}".format(head, label("level", _LEVEL_TITLES[tail]))
    return text


def _param(value: Any, kind: str) -> str:
    if kind == "clause":
        return clause_label(value)
    if kind == "message":
        return render(value) if value else ""
    if kind == "messages":
        return pgettext("standards clause separator", "; ").join(render(item) for item in value or [])
    if kind in CODE_KINDS:
        return label(kind, value)
    if value is None:
        return _not_given()
    return str(value)


def _as_dict(message: Message | Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    if isinstance(message, Message):
        return message.code, message.params
    return str(message.get("code") or ""), message.get("params") or {}


def render(message: Message | Mapping[str, Any], fallback: str = "") -> str:
    """A message (a :class:`Message` or its ``{"code", "params"}`` dict) in the active language.

    A code without a template (a newer engine, say) shows ``fallback``, the engine's English text.
    """
    code, params = _as_dict(message)
    template = TEMPLATES.get(code)
    spec = REGISTRY.get(code)
    if template is None or spec is None:
        return fallback
    values = {name: _param(params.get(name), kind) for name, kind in spec.params.items()}
    if "unit" in values:  # one spelling of units everywhere (SCO-11): m², m³, not m2, m3
        values["unit"] = unit_symbol(values["unit"])
    return str(template) % values


#: A stored unit key -> how every page writes it (SCO-11).
UNIT_SYMBOLS = {"m2": "m²", "m3": "m³"}


#: The rule table's counted units, in the reader's language (件, 套): never the stored key.
UNIT_WORDS = {"piece": pgettext_lazy("unit", "piece"), "set": pgettext_lazy("unit", "set")}


def unit_symbol(unit: Any) -> str:
    """``m2`` → ``m²``, ``m3`` → ``m³``, ``piece`` → 件; other units (t, kg, m, kWh) as they are."""
    text = str(unit)
    return str(UNIT_WORDS[text]) if text in UNIT_WORDS else UNIT_SYMBOLS.get(text, text)


def figure(value: Any) -> str:
    """A score, ratio or quantity as every page writes it (SCO-11): the engine's rounding kept,
    never rounded again, trailing zeros dropped (``3.0 / 5`` is ``3 / 5``); "" for none."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None or value == "" else str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def finding_reason(finding: Mapping[str, Any]) -> str:
    """A stored finding's (or condition's) reason; old results without a code show their stored text."""
    text = str(finding.get("reason") or finding.get("description") or "")
    if not finding.get("code"):
        return text
    return str(capfirst(render(finding, fallback=text)))


def finding_title(finding: Mapping[str, Any]) -> str:
    """A finding's item: a translated title where the engine gave one, else the standard's own title."""
    code = finding.get("title_code")
    title = str(finding.get("title") or "")
    if not code:
        return title
    return str(capfirst(render({"code": code, "params": finding.get("title_params") or {}}, fallback=title)))


def explanation_lines(result: Mapping[str, Any]) -> list[str]:
    """The GB/T 50378 explanation, line by line; the stored English text for old results."""
    lines = result.get("explanation_messages")
    if not lines:
        text = str(result.get("explanation") or "")
        return text.splitlines() if text else []
    return [str(capfirst(_total_blocker(line) or render(line))) for line in lines]


def _total_blocker(line: Message | Mapping[str, Any]) -> str | None:
    """The total's blocker line with Q points and claimed points kept apart (SCO-08): the engine
    counts the shortfall in claimed points (分), which is ten times the shortfall of Q."""
    code, params = _as_dict(line)
    if code != "gbt50378.explain.blocker_points":
        return None
    condition = params.get("condition")
    condition_code, condition_params = _as_dict(condition) if condition else ("", {})
    if condition_code != "gbt50378.condition.total":
        return None
    try:
        q = Decimal(str(condition_params.get("minimum"))) - Decimal(str(condition_params.get("total")))
    except (InvalidOperation, ValueError):
        return None
    q_text = format(q.normalize(), "f") if q == q.to_integral() else format(q, "f")
    return _("- %(condition)s [%(clause)s]: %(q)s more points of Q, equivalent to claiming %(points)s more points") % {
        "condition": render(condition),  # type: ignore[arg-type]
        "clause": clause_label(params.get("clause")),
        "q": q_text,
        "points": params.get("points"),
    }


def requirement_title(requirement: str, fallback: str = "") -> str:
    title = REQUIREMENT_TITLES.get(requirement)
    return str(title) if title is not None else fallback


def edition_name(edition: str, version: str | None = None) -> str:
    """“住建部 2020 施工现场建筑垃圾减量化指导手册 · 版本 2026.1” for a rule table's raw id and version."""
    name = str(EDITION_NAMES.get(edition, edition))
    if not version:
        return name
    return _("{edition} · version {version}").format(edition=name, version=version)


def confidence_legend() -> list[tuple[str, str]]:
    """The C/P/M/X/D tags and what each means, for the legend of the standards pages."""
    return [(tag, str(text)) for tag, text in _TAGS.items()]


# --- refusals -----------------------------------------------------------------------------------

_CLAUSE_FIELD = re.compile(r"^(control_items|scored_items|bonus_items)\[([0-9.]+)\]$")
_PART = re.compile(r"^(?P<name>[A-Za-z_0-9]+)(?:\[(?P<index>\d+)\])?$")


def _field_part(part: str) -> str:
    match = _PART.match(part)
    if not match:
        return part
    name, index = match.group("name"), match.group("index")
    if name.endswith("_pct") and name[: -len("_pct")] in LABELS["item"]:
        text = _("{item} ratio").format(item=label("item", name[: -len("_pct")]))
    elif name in LABELS["requirement"]:
        text = label("requirement", name)
    elif name in LABELS["item"]:
        text = label("item", name)
    else:
        text = str(FIELD_LABELS.get(name, name))
    if index is not None:
        text = _("{name} (line {number})").format(name=text, number=int(index) + 1)
    return text


def field_label(field: str) -> str:
    """“scored_items[4.2.1]” → “评分项 4.2.1”; “materials[0].mass_t” → “材料行（第 1 行） · 质量（t）”."""
    match = _CLAUSE_FIELD.match(field)
    if match:
        kind = {
            "control_items": _("Control item"),
            "scored_items": _("Scored item"),
            "bonus_items": _("Bonus item"),
        }[match.group(1)]
        return "{} {}".format(kind, match.group(2))
    if field.startswith("rule table: "):
        return _("Rule table")
    return " · ".join(_field_part(part) for part in field.split(".") if part not in ("star_requirements",)) or field


#: (pattern of an uncoded English message, translated template with the pattern's groups): the first
#: version of this module, kept for refusals that carry no code (raised outside the engines' catalogue).
_LEGACY_PATTERNS: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (
        re.compile(r"^claimed (?P<claimed>\S+) points, above the maximum (?P<maximum>\S+)"),
        lambda: _("claimed %(claimed)s points, more than the clause maximum of %(maximum)s"),
    ),
    (re.compile(r"^unknown clause"), lambda: _("there is no such clause in this edition")),
    (re.compile(r"^unknown control item"), lambda: _("there is no such control item in this edition")),
    (
        re.compile(r"^missing: every control item must be stated"),
        lambda: _("every control item must be stated as pass or fail"),
    ),
    (re.compile(r"^operation-only item"), lambda: _("an operation-only item cannot be claimed at pre-evaluation")),
    (re.compile(r"must not be negative"), lambda: _("must not be negative")),
    (
        re.compile(r"^must be at most (?P<maximum>\S+), got (?P<got>\S+)"),
        lambda: _("must be at most %(maximum)s (you gave %(got)s)"),
    ),
    (
        re.compile(r"^must be at least (?P<minimum>\S+), got (?P<got>\S+)"),
        lambda: _("must be at least %(minimum)s (you gave %(got)s)"),
    ),
    (re.compile(r"^must be greater than 0"), lambda: _("must be greater than zero")),
    (re.compile(r"^is required"), lambda: _("is required")),
    (
        re.compile(r"^a ratio is given for (?P<item>\w+), which is named absent"),
        lambda: _("a ratio is given for %(item)s, which is named absent"),
    ),
    (
        re.compile(r"^prefabricated quantity (?P<part>\S+) is larger than the total (?P<total>\S+)"),
        lambda: _("the prefabricated quantity %(part)s is larger than the total %(total)s"),
    ),
    (re.compile(r"^unknown category"), lambda: _("unknown category")),
    (re.compile(r"^not in table D\.0\.1"), lambda: _("not in table D.0.1 of GB/T 51366")),
]


def _legacy_text(text: str) -> str:
    for pattern, template in _LEGACY_PATTERNS:
        match = pattern.search(text)
        if match:
            return template() % match.groupdict()
    return text


def translate(
    field: str, message: str | Message, *, code: str | None = None, params: Mapping[str, Any] | None = None
) -> str:
    """The refusal as the user reads it: the field or clause, then what is wrong.

    Compatible with the first version (``translate(error.field, error.message)``): the engines'
    ``error.message`` is a :class:`~greenbuild.standards.messages.CodedText` that carries its code,
    so the code's template is used and the field is named in words. A :class:`Message`, or ``code``
    and ``params``, may be passed instead. A plain string without a code is matched against the
    first version's English patterns, and only a clause field is named in words (as before).
    """
    coded: Message | None = None
    if code is not None:
        coded = Message(code, params or {})
    elif isinstance(message, Message):
        coded = message
    elif isinstance(getattr(message, "message", None), Message):
        coded = message.message  # type: ignore[union-attr]
    if coded is None or coded.code not in TEMPLATES:
        text = _legacy_text(str(message))
        name = field_label(field) if _CLAUSE_FIELD.match(field) else field
        return _("{field}: {message}").format(field=name, message=text)
    return _("{field}: {message}").format(field=field_label(field), message=render(coded, fallback=str(message)))


def translate_error(error: Any) -> str:
    """A :class:`~greenbuild.standards.types.StandardsInputError` in the user's language."""
    return translate(error.field, error.message)


def lazy_render(message: Message | Mapping[str, Any], fallback: str = "") -> Any:
    """:func:`render`, evaluated when shown (in the language active then)."""
    return _lazy_render(message, fallback)


def _render_sentence(message: Message | Mapping[str, Any], fallback: str = "") -> str:
    return str(capfirst(render(message, fallback)))


_lazy_render = lazy(_render_sentence, str)


def lazy_requirement_title(requirement: str, fallback: str = "") -> Any:
    return _lazy_requirement_title(requirement, fallback)


_lazy_requirement_title = lazy(requirement_title, str)


def codes_without_template() -> list[str]:
    return sorted(set(REGISTRY) - set(TEMPLATES))


def registry_codes() -> Sequence[str]:
    return sorted(REGISTRY)


# --- score runs ----------------------------------------------------------------------------------


def run_headline(run: Any) -> str:
    """A run's headline in the active language, from its result (the stored headline for old runs)."""
    result = run.result or {}
    if run.engine == "gbt50378" and result.get("level"):
        total = result.get("total_score")
        return "{} · {}".format(capfirst(label("level", result["level"])), figure(total) if total is not None else "—")
    if run.engine == "gbt51129" and result.get("assembly_rate_pct") is not None:
        return "{} % · {}".format(figure(result["assembly_rate_pct"]), label("grade", result.get("grade")))
    if run.engine == "waste" and result.get("intensity_t_per_10k_m2") is not None:
        return _("{value} t/10,000 m²").format(value=figure(result["intensity_t_per_10k_m2"]))
    if run.engine == "green-materials" and result.get("green_material_ratio_pct") is not None:
        return "{} %".format(figure(result["green_material_ratio_pct"]))
    if run.engine == "carbon" and result.get("total_kgco2e_per_m2") is not None:
        return "{} kgCO₂e/m²".format(figure(result["total_kgco2e_per_m2"]))
    return str(run.headline)


def run_subject(run: Any) -> str:
    """What a run scored, in the active language: a scorecard's stage and basis, else the stored name."""
    from greenbuild.scoring.choices import Basis, Stage

    stage = (run.result or {}).get("stage")
    if run.engine == "gbt50378" and stage in Stage.values and run.basis in Basis.values:
        return "{} ({})".format(Stage(stage).label, Basis(run.basis).label)
    return str(run.subject)
