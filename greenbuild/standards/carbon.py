"""GB/T 51366-2019 建筑碳排放计算标准: embodied carbon of materials (A1–A3), their transport (A4)
and construction-site energy (A5), in kgCO₂e and kgCO₂e per m² of floor area.

Input contract (JSON object)::

    {"edition": "GB/T 51366-2019",               # optional, this is the default
     "gross_floor_area_m2": 12000,
     "grid": "jiangsu",                           # optional electricity grid; the rule table's default
     "materials": [
       {"material": "concrete_c30", "quantity": 5000, "mass_t": 12000,
        "transport_mode": "diesel_truck_heavy_30t", "distance_km": 25},
       {"material": "rebar_hot_rolled", "quantity": 800},
       {"name": "预制外墙板", "quantity": 900, "unit": "m3", "mass_t": 2200,
        "factor_kgco2e_per_unit": 310, "factor_source": "EPD 2024-017 (third-party verified)"}],
     "construction_energy": [{"carrier": "electricity", "quantity": 250000},
                             {"carrier": "diesel", "quantity": 18000}]}

A material is either a row of table D.0.1 (``material`` key as in the rule table, ``unit`` optional
and, when given, must be the table's unit) or a product with its own verified factor
(``name``, ``unit``, ``factor_kgco2e_per_unit`` and a non-empty ``factor_source``; verified data
take priority over the table, 6.2.4 [P]). ``quantity`` ≥ 0 in that unit.

Transport (A4) uses the mass in tonnes: the quantity itself for materials measured in t (or kg
÷ 1000), else ``mass_t`` must be given. ``transport_mode`` is a key of table E.0.1 (default: the
rule table's default mode); ``distance_km`` defaults to the rule table's distance for the
material's transport class (concrete 40 km, other 500 km [M]); give ``distance_km: 0`` for a
material not transported by road, rail or ship (e.g. tap water).

Construction energy (A5): ``carrier`` is ``electricity`` (kWh, factor of the chosen grid and year)
or a fuel of the rule table (diesel and gasoline in kg, natural gas in m³).

Output (:func:`result_to_dict`): ``a1_a3_kgco2e``, ``a4_kgco2e``, ``a5_kgco2e``,
``total_kgco2e``, the same per m² (``*_kgco2e_per_m2``), the electricity grid factor used (with
its year), per-line details and findings. Sums are exact; reported figures are rounded half-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import _support as s
from .messages import msg
from .numbers import ZERO, to_decimal
from .rulesets import bundled_ruleset
from .types import Confidence, Finding, RuleSet, StandardsInputError

__all__ = [
    "DEFAULT_EDITION",
    "ENGINE",
    "ENGINE_VERSION",
    "CarbonInputs",
    "CarbonResult",
    "EnergyInput",
    "EnergyLine",
    "MaterialInput",
    "MaterialLine",
    "evaluate",
    "parse_inputs",
    "render_table",
    "result_to_dict",
]

ENGINE = "carbon"
ENGINE_VERSION = "1.0.0"
DEFAULT_EDITION = "GB/T 51366-2019"
STANDARD = "GB/T 51366"
ELECTRICITY = "electricity"

_TOP_LEVEL_KEYS = frozenset({"edition", "gross_floor_area_m2", "grid", "materials", "construction_energy"})
_MATERIAL_KEYS = frozenset(
    {
        "material",
        "name",
        "quantity",
        "unit",
        "mass_t",
        "factor_kgco2e_per_unit",
        "factor_source",
        "transport_mode",
        "transport_class",
        "distance_km",
    }
)
_ENERGY_KEYS = frozenset({"carrier", "quantity", "unit"})
_MASS_UNITS_IN_TONNES = {"t": Decimal(1), "kg": Decimal("0.001")}


@dataclass(frozen=True)
class MaterialInput:
    quantity: Decimal
    material: str | None = None  # key of table D.0.1
    name: str | None = None
    unit: str | None = None
    mass_t: Decimal | None = None
    factor_kgco2e_per_unit: Decimal | None = None
    factor_source: str | None = None
    transport_mode: str | None = None
    transport_class: str | None = None
    distance_km: Decimal | None = None


@dataclass(frozen=True)
class EnergyInput:
    carrier: str
    quantity: Decimal
    unit: str | None = None


@dataclass(frozen=True)
class CarbonInputs:
    gross_floor_area_m2: Decimal
    materials: tuple[MaterialInput, ...]
    construction_energy: tuple[EnergyInput, ...]
    grid: str | None = None
    edition: str = DEFAULT_EDITION


@dataclass(frozen=True)
class MaterialLine:
    label: str
    quantity: Decimal
    unit: str
    factor: Decimal
    factor_source: str
    a1_a3_kgco2e: Fraction
    mass_t: Decimal | None
    transport_mode: str | None
    transport_factor: Decimal | None
    distance_km: Decimal
    distance_is_default: bool
    a4_kgco2e: Fraction


@dataclass(frozen=True)
class EnergyLine:
    carrier: str
    title: str
    quantity: Decimal
    unit: str
    factor: Decimal
    a5_kgco2e: Fraction


@dataclass(frozen=True)
class CarbonResult:
    edition: str
    engine_version: str
    ruleset_version: str  # version of the rule table it was computed with
    gross_floor_area_m2: Decimal
    materials: tuple[MaterialLine, ...]
    energy: tuple[EnergyLine, ...]
    grid: str
    grid_title: str
    grid_year: int
    grid_factor_kgco2_per_kwh: Decimal
    a1_a3_kgco2e: Decimal
    a4_kgco2e: Decimal
    a5_kgco2e: Decimal
    total_kgco2e: Decimal
    a1_a3_kgco2e_per_m2: Decimal
    a4_kgco2e_per_m2: Decimal
    a5_kgco2e_per_m2: Decimal
    total_kgco2e_per_m2: Decimal
    total_exact: Fraction
    findings: tuple[Finding, ...]


# --- parsing ------------------------------------------------------------------------------------


def _optional_string(entry: Mapping[str, Any], key: str, field: str) -> str | None:
    return s.require_string(entry, key, field) if entry.get(key) is not None else None


def _parse_material(entry: Mapping[str, Any], field: str) -> MaterialInput:
    s.reject_unknown_keys(entry, _MATERIAL_KEYS, field + ".")
    material = _optional_string(entry, "material", field + ".material")
    factor = s.optional_number(entry, "factor_kgco2e_per_unit", field + ".factor_kgco2e_per_unit", minimum=ZERO)
    if material is None and factor is None:
        raise StandardsInputError(field + ".material", msg("carbon.input.material_or_factor"))
    if material is not None and factor is not None:
        raise StandardsInputError(field + ".factor_kgco2e_per_unit", msg("carbon.input.material_and_factor"))
    source = _optional_string(entry, "factor_source", field + ".factor_source")
    unit = _optional_string(entry, "unit", field + ".unit")
    name = _optional_string(entry, "name", field + ".name")
    if factor is not None:
        if source is None:
            raise StandardsInputError(field + ".factor_source", msg("carbon.input.factor_source"))
        if unit is None:
            raise StandardsInputError(field + ".unit", msg("carbon.input.required_with_factor"))
        if name is None:
            raise StandardsInputError(field + ".name", msg("carbon.input.required_with_factor"))
    transport_class = _optional_string(entry, "transport_class", field + ".transport_class")
    if material is not None and transport_class is not None:
        raise StandardsInputError(field + ".transport_class", msg("carbon.input.transport_class"))
    return MaterialInput(
        quantity=s.require_number(entry, "quantity", field + ".quantity", minimum=ZERO),
        material=material,
        name=name,
        unit=unit,
        mass_t=s.optional_number(entry, "mass_t", field + ".mass_t", minimum=ZERO),
        factor_kgco2e_per_unit=factor,
        factor_source=source,
        transport_mode=_optional_string(entry, "transport_mode", field + ".transport_mode"),
        transport_class=transport_class,
        distance_km=s.optional_number(entry, "distance_km", field + ".distance_km", minimum=ZERO),
    )


def parse_inputs(data: Mapping[str, Any]) -> CarbonInputs:
    """Check the shape of the input; raise :class:`StandardsInputError` naming the field."""
    data = s.require_mapping(data, "input")
    s.reject_unknown_keys(data, _TOP_LEVEL_KEYS)
    edition = s.require_string(data, "edition", "edition") if "edition" in data else DEFAULT_EDITION
    area = s.require_number(data, "gross_floor_area_m2", "gross_floor_area_m2", positive=True)
    materials = []
    for index, raw in enumerate(s.require_sequence(data.get("materials", []), "materials")):
        field = "materials[{}]".format(index)
        materials.append(_parse_material(s.require_mapping(raw, field), field))
    energy = []
    for index, raw in enumerate(s.require_sequence(data.get("construction_energy", []), "construction_energy")):
        field = "construction_energy[{}]".format(index)
        entry = s.require_mapping(raw, field)
        s.reject_unknown_keys(entry, _ENERGY_KEYS, field + ".")
        energy.append(
            EnergyInput(
                carrier=s.require_string(entry, "carrier", field + ".carrier"),
                quantity=s.require_number(entry, "quantity", field + ".quantity", minimum=ZERO),
                unit=_optional_string(entry, "unit", field + ".unit"),
            )
        )
    if not materials and not energy:
        raise StandardsInputError("materials", msg("carbon.input.nothing"))
    grid = _optional_string(data, "grid", "grid")
    return CarbonInputs(area, tuple(materials), tuple(energy), grid, edition)


# --- evaluation ---------------------------------------------------------------------------------


def _material_line(
    item: MaterialInput, field: str, ruleset: RuleSet, rows: Mapping[str, Mapping[str, Any]]
) -> tuple[MaterialLine, list[Finding]]:
    findings: list[Finding] = []
    table = s.rule_entry(ruleset, "materials")
    if item.material is not None:
        row = rows.get(item.material)
        if row is None:
            raise StandardsInputError(field + ".material", msg("carbon.input.unknown_material", value=item.material))
        unit = row["unit"]
        if item.unit is not None and item.unit != unit:
            raise StandardsInputError(
                field + ".unit", msg("carbon.input.unit_mismatch", title=row["title"], unit=unit, given=item.unit)
            )
        factor = s.rule_number(row, "factor_kgco2e_per_unit", "materials." + item.material)
        source = "GB/T 51366-2019 表{}".format(table["table"])
        label = row["title"] if item.name is None else "{} ({})".format(item.name, row["title"])
        transport_class = row.get("transport_class", "other")
        confidence = s.confidence_of(row)
    else:
        unit = item.unit or ""
        factor = item.factor_kgco2e_per_unit or ZERO
        source = item.factor_source or ""
        label = item.name or ""
        transport_class = item.transport_class or "other"
        confidence = Confidence.UNCONFIRMED
    if item.mass_t is not None and unit in _MASS_UNITS_IN_TONNES:
        # D12: A1–A3 and A4 use one mass; a second, different mass for the same line is refused.
        mass_of_quantity = item.quantity * _MASS_UNITS_IN_TONNES[unit]
        if item.mass_t != mass_of_quantity:
            raise StandardsInputError(
                field + ".mass_t",
                msg(
                    "carbon.input.mass_contradicts",
                    line=label,
                    mass_t=s.show(item.mass_t),
                    unit=unit,
                    quantity=s.show(item.quantity),
                    mass=s.show(mass_of_quantity),
                ),
            )
    a1_a3 = s.exact(item.quantity) * s.exact(factor)
    findings.append(
        Finding(
            table["table"] if item.material else "6.2.4",
            label,
            msg(
                "carbon.a1_a3",
                quantity=s.show(item.quantity),
                unit=unit,
                factor=s.show(factor),
                a1_a3=s.show(a1_a3),
                source=source,
            ),
            confidence=confidence,
        )
    )

    transport = s.rule_entry(ruleset, "transport")
    distances = transport["default_distance_km"]
    if item.distance_km is not None:
        distance, is_default = item.distance_km, False
    else:
        if transport_class not in distances:
            raise StandardsInputError(
                field + ".transport_class", msg("carbon.input.unknown_transport_class", allowed=", ".join(distances))
            )
        distance, is_default = to_decimal(distances[transport_class], "transport.default_distance_km"), True
    mass: Decimal | None = item.mass_t
    mode_key: str | None = None
    mode_factor: Decimal | None = None
    a4 = Fraction(0)
    if distance > 0:
        if mass is None:
            if unit not in _MASS_UNITS_IN_TONNES:
                raise StandardsInputError(field + ".mass_t", msg("carbon.input.mass_required", unit=unit))
            mass = item.quantity * _MASS_UNITS_IN_TONNES[unit]
        modes = {row["key"]: row for row in transport["modes"]}
        mode_key = item.transport_mode or transport["default_mode"]
        if mode_key not in modes:
            raise StandardsInputError(field + ".transport_mode", msg("carbon.input.unknown_mode", value=mode_key))
        mode_factor = s.rule_number(modes[mode_key], "factor_kgco2e_per_t_km", "transport." + mode_key)
        a4 = s.exact(mass) * s.exact(distance) * s.exact(mode_factor)
        notes = []
        if is_default:
            notes.append(msg("carbon.note.default_distance", transport_class=transport_class))
        if item.transport_mode is None:
            notes.append(msg("carbon.note.default_mode"))
        figures: dict[str, Any] = {
            "mass": s.show(mass),
            "distance": s.show(distance),
            "factor": s.show(mode_factor),
            "a4": s.show(a4),
        }
        findings.append(
            Finding(
                transport["table"],
                "{} — {}".format(label, modes[mode_key]["title"]),
                msg("carbon.a4.defaults", notes=notes, **figures) if notes else msg("carbon.a4", **figures),
                confidence=s.confidence_of(modes[mode_key]),
            )
        )
    line = MaterialLine(
        label, item.quantity, unit, factor, source, a1_a3, mass, mode_key, mode_factor, distance, is_default, a4
    )
    return line, findings


def _grid(inputs: CarbonInputs, ruleset: RuleSet) -> Mapping[str, Any]:
    electricity = s.rule_entry(ruleset, "energy.electricity")
    grids = {row["key"]: row for row in electricity["grids"]}
    key = inputs.grid or electricity["default_grid"]
    if key not in grids:
        raise StandardsInputError("grid", msg("carbon.input.unknown_grid", value=key, allowed=", ".join(grids)))
    grid: Mapping[str, Any] = grids[key]
    return grid


def evaluate(inputs: CarbonInputs, ruleset: RuleSet | None = None) -> CarbonResult:
    """A1–A3, A4 and A5 in kgCO₂e, their sum, and each per m² of gross floor area."""
    ruleset = s.require_ruleset(ruleset or bundled_ruleset(inputs.edition), STANDARD)
    rows = {row["key"]: row for row in s.rule_entry(ruleset, "materials.rows")}
    formulas = s.rule_entry(ruleset, "formulas")
    reporting = s.rule_entry(ruleset, "reporting")
    places = int(reporting["kgco2e_places"])
    per_m2_places = int(reporting["per_m2_places"])

    findings: list[Finding] = []
    lines: list[MaterialLine] = []
    for index, item in enumerate(inputs.materials):
        line, line_findings = _material_line(item, "materials[{}]".format(index), ruleset, rows)
        lines.append(line)
        findings.extend(line_findings)

    grid = _grid(inputs, ruleset)
    electricity = s.rule_entry(ruleset, "energy.electricity")
    carriers = {row["key"]: row for row in s.rule_entry(ruleset, "energy.carriers")}
    energy_lines: list[EnergyLine] = []
    for index, entry in enumerate(inputs.construction_energy):
        field = "construction_energy[{}]".format(index)
        if entry.carrier == ELECTRICITY:
            title, unit = electricity["title"], electricity["unit"]
            factor = s.rule_number(grid, "factor_kgco2_per_kwh", "energy.electricity." + grid["key"])
            basis = "{} {} grid factor".format(grid["title"], grid["year"])
            confidence = s.confidence_of(grid)
        elif entry.carrier in carriers:
            row = carriers[entry.carrier]
            title, unit = row["title"], row["unit"]
            factor = s.rule_number(row, "factor_kgco2_per_unit", "energy." + entry.carrier)
            basis = row.get("basis", "")
            confidence = s.confidence_of(row)
        else:
            known = ", ".join([ELECTRICITY, *carriers])
            raise StandardsInputError(
                field + ".carrier", msg("carbon.input.unknown_carrier", value=entry.carrier, allowed=known)
            )
        if entry.unit is not None and entry.unit != unit:
            raise StandardsInputError(
                field + ".unit", msg("carbon.input.carrier_unit", title=title, unit=unit, given=entry.unit)
            )
        a5 = s.exact(entry.quantity) * s.exact(factor)
        energy_lines.append(EnergyLine(entry.carrier, title, entry.quantity, unit, factor, a5))
        findings.append(
            Finding(
                formulas["a5"]["clause"],
                title,
                msg(
                    "carbon.a5",
                    quantity=s.show(entry.quantity),
                    unit=unit,
                    factor=s.show(factor),
                    a5=s.show(a5),
                    basis=basis,
                ),
                confidence=confidence,
                title_message=msg("title.carrier", title=title, carrier=entry.carrier),
            )
        )

    a1_a3 = sum((line.a1_a3_kgco2e for line in lines), Fraction(0))
    a4 = sum((line.a4_kgco2e for line in lines), Fraction(0))
    a5 = sum((line.a5_kgco2e for line in energy_lines), Fraction(0))
    total = a1_a3 + a4 + a5
    area = s.exact(inputs.gross_floor_area_m2)
    for key, value in (("a1_a3", a1_a3), ("a4", a4), ("a5", a5)):
        findings.append(
            Finding(
                formulas[key]["clause"],
                formulas[key]["title"],
                msg(
                    "carbon.stage",
                    stage=key.upper().replace("_", "–"),
                    total=s.show(s.round_fraction(value, places)),
                    area=s.show(inputs.gross_floor_area_m2),
                    per_m2=s.show(s.round_fraction(value / area, per_m2_places)),
                ),
                confidence=s.confidence_of(formulas[key]),
                title_message=msg("title.rule", title=formulas[key]["title"], rule="carbon." + key),
            )
        )
    findings.append(
        Finding(
            formulas["intensity"]["clause"],
            formulas["intensity"]["title"],
            title_message=msg("title.rule", title=formulas["intensity"]["title"], rule="carbon.intensity"),
            reason=msg(
                "carbon.total",
                total=s.show(s.round_fraction(total, places)),
                area=s.show(inputs.gross_floor_area_m2),
                per_m2=s.show(s.round_fraction(total / area, per_m2_places)),
            ),
            confidence=s.confidence_of(formulas["intensity"]),
        )
    )

    return CarbonResult(
        edition=ruleset.edition,
        engine_version=ENGINE_VERSION,
        ruleset_version=ruleset.version,
        gross_floor_area_m2=inputs.gross_floor_area_m2,
        materials=tuple(lines),
        energy=tuple(energy_lines),
        grid=grid["key"],
        grid_title=grid["title"],
        grid_year=int(grid["year"]),
        grid_factor_kgco2_per_kwh=to_decimal(grid["factor_kgco2_per_kwh"], "grid"),
        a1_a3_kgco2e=s.round_fraction(a1_a3, places),
        a4_kgco2e=s.round_fraction(a4, places),
        a5_kgco2e=s.round_fraction(a5, places),
        total_kgco2e=s.round_fraction(total, places),
        a1_a3_kgco2e_per_m2=s.round_fraction(a1_a3 / area, per_m2_places),
        a4_kgco2e_per_m2=s.round_fraction(a4 / area, per_m2_places),
        a5_kgco2e_per_m2=s.round_fraction(a5 / area, per_m2_places),
        total_kgco2e_per_m2=s.round_fraction(total / area, per_m2_places),
        total_exact=total,
        findings=tuple(findings),
    )


# --- output -------------------------------------------------------------------------------------


def result_to_dict(result: CarbonResult) -> dict[str, Any]:
    return {
        **s.result_header(ENGINE, result),
        "gross_floor_area_m2": s.json_number(result.gross_floor_area_m2),
        "a1_a3_kgco2e": s.json_number(result.a1_a3_kgco2e),
        "a4_kgco2e": s.json_number(result.a4_kgco2e),
        "a5_kgco2e": s.json_number(result.a5_kgco2e),
        "total_kgco2e": s.json_number(result.total_kgco2e),
        "a1_a3_kgco2e_per_m2": s.json_number(result.a1_a3_kgco2e_per_m2),
        "a4_kgco2e_per_m2": s.json_number(result.a4_kgco2e_per_m2),
        "a5_kgco2e_per_m2": s.json_number(result.a5_kgco2e_per_m2),
        "total_kgco2e_per_m2": s.json_number(result.total_kgco2e_per_m2),
        "electricity_grid": {
            "key": result.grid,
            "title": result.grid_title,
            "year": result.grid_year,
            "factor_kgco2_per_kwh": s.json_number(result.grid_factor_kgco2_per_kwh),
        },
        "materials": [
            {
                "label": line.label,
                "quantity": s.json_number(line.quantity),
                "unit": line.unit,
                "factor_kgco2e_per_unit": s.json_number(line.factor),
                "factor_source": line.factor_source,
                "a1_a3_kgco2e": s.json_number(s.round_fraction(line.a1_a3_kgco2e, 2)),
                "mass_t": s.json_number(line.mass_t),
                "transport_mode": line.transport_mode,
                "distance_km": s.json_number(line.distance_km),
                "distance_is_default": line.distance_is_default,
                "a4_kgco2e": s.json_number(s.round_fraction(line.a4_kgco2e, 2)),
            }
            for line in result.materials
        ],
        "construction_energy": [
            {
                "carrier": line.carrier,
                "quantity": s.json_number(line.quantity),
                "unit": line.unit,
                "factor_kgco2_per_unit": s.json_number(line.factor),
                "a5_kgco2e": s.json_number(s.round_fraction(line.a5_kgco2e, 2)),
            }
            for line in result.energy
        ],
        "findings": [s.finding_to_dict(finding) for finding in result.findings],
    }


def render_table(result: CarbonResult) -> str:
    summary = s.format_table(
        ["stage", "kgCO₂e", "kgCO₂e/m²"],
        [
            ["A1–A3 materials", s.show(result.a1_a3_kgco2e), s.show(result.a1_a3_kgco2e_per_m2)],
            ["A4 transport", s.show(result.a4_kgco2e), s.show(result.a4_kgco2e_per_m2)],
            ["A5 construction energy", s.show(result.a5_kgco2e), s.show(result.a5_kgco2e_per_m2)],
            ["total", s.show(result.total_kgco2e), s.show(result.total_kgco2e_per_m2)],
        ],
    )
    grid = "electricity: {} {} grid, {} kgCO₂/kWh".format(
        result.grid_title, result.grid_year, s.show(result.grid_factor_kgco2_per_kwh)
    )
    title = "{} 建筑碳排放 — {} m²".format(result.edition, s.show(result.gross_floor_area_m2))
    return "\n\n".join([title, summary, grid, s.findings_table(result.findings)]) + "\n"
