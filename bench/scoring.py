#!/usr/bin/env python
"""Benchmark: the standards engines on 10,000 pseudo-random but valid inputs each.

Generates N inputs per engine up-front (default 10,000; ``random.Random(seed)``, so every run
scores the same inputs) in the engines' JSON input contracts, with the clause and item lists read
from the bundled rule tables, then times each one: parse + evaluate, and evaluate alone. Prints the
median and the 95th percentile per evaluation for GB/T 50378 scorecards, GB/T 51129 buildings,
waste, green materials and carbon, and the spread of outcomes (so the inputs are seen to vary).
Pure Python: no database, no Django.

    .venv/bin/python bench/scoring.py [--n 10000] [--seed 3] [--engine gbt50378 ...]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greenbuild.standards import gbt51129, registry  # noqa: E402
from greenbuild.standards.rulesets import bundled_ruleset  # noqa: E402

Input = dict[str, Any]


def _pct(rng: random.Random, level: float) -> int | Decimal:
    """A percentage 0-100 around ``level`` (0-1) as the CLI would parse it: int or one decimal."""
    tenths = max(0, min(1000, round(level * 1000 * rng.uniform(0.6, 1.3))))
    return tenths // 10 if rng.random() < 0.5 else Decimal(tenths).scaleb(-1)


def _tonnes(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 10, high * 10)).scaleb(-1)


# --- GB/T 50378 scorecards ----------------------------------------------------------------------


def gbt50378_inputs(rng: random.Random, n: int) -> list[Input]:
    editions = ["GB/T 50378-2019", "GB/T 50378-2019（2024年版）"]
    tables = {edition: bundled_ruleset(edition).data for edition in editions}
    cards = []
    for _ in range(n):
        edition = rng.choice(editions)
        table = tables[edition]
        stage = rng.choice(["evaluation", "evaluation", "pre_evaluation"])
        control = {item["clause"]: True for item in table["control_items"]}
        if rng.random() < 0.05:
            control[rng.choice(list(control))] = False
        effort = rng.uniform(0.3, 1.0)  # how much of each clause maximum this project claims
        scored: dict[str, int | Decimal] = {}
        for item in table["scored_items"]:
            if item["operation_only"] and stage == "pre_evaluation":
                continue
            if rng.random() < 0.85:
                maximum = Decimal(item["maximum"])
                claim = min(maximum, (maximum * Decimal(effort) * Decimal(rng.uniform(0.7, 1.3))).quantize(1))
                if claim >= 1 and rng.random() < 0.1:
                    claim -= Decimal("0.5")
                scored[item["clause"]] = int(claim) if claim == claim.to_integral_value() else claim
        bonus = {
            item["clause"]: rng.randint(0, int(item["maximum"])) for item in table["bonus_items"] if rng.random() < 0.3
        }
        cards.append(
            {
                "edition": edition,
                "stage": stage,
                "building_type": rng.choice(["residential", "public"]),
                "control_items": control,
                "scored_items": scored,
                "bonus_items": bonus,
                "full_decoration": rng.random() < 0.85,
                "star_requirements": {
                    "envelope_improvement_pct": rng.choice([None, 0, 5, 10, 15, 20, 25]),
                    "load_reduction_pct": rng.choice([None, 5, 10, 15]),
                    "water_fixture_grade": rng.choice([None, 1, 2, 3]),
                    "sound_insulation": rng.choice([None, "none", "average", "high"]),
                    "pollutant_reduction_pct": rng.choice([None, 10, 20]),
                    "window_airtightness": rng.choice([None, True, True, False]),
                    "green_material_ratio_pct": rng.choice([None, 10, 20, 30, 45]),
                },
            }
        )
    return cards


# --- GB/T 51129 buildings -----------------------------------------------------------------------


def gbt51129_inputs(rng: random.Random, n: int) -> list[Input]:
    may_be_absent = {
        row["key"] for row in bundled_ruleset(gbt51129.DEFAULT_EDITION).data["items"] if row.get("may_be_absent")
    }
    buildings = []
    for index in range(n):
        structure = rng.choices(["concrete", "steel", "timber"], weights=[7, 2, 1])[0]
        building: Input = {
            "building": "{}#楼".format(index + 1),
            "structure": structure,
            "full_decoration": rng.random() < 0.8,
        }
        level = rng.uniform(0.2, 1.0)  # how prefabricated this building is
        quantities: Input = {}
        absent = []
        for item in gbt51129.RATIO_ITEMS:
            if item in may_be_absent and rng.random() < 0.08:
                absent.append(item)
            elif item == "vertical_members" and structure != "concrete" and rng.random() < 0.5:
                continue  # all vertical members steel or timber (D9)
            elif rng.random() < 0.2:
                total = Decimal(rng.randint(50, 5000))
                part = total * Decimal(min(1.0, level * rng.uniform(0.6, 1.3)))
                quantities[item] = {"part": part.quantize(Decimal("0.1")), "total": total}
            else:
                building[item + "_pct"] = _pct(rng, level)
        if quantities:
            building["quantities"] = quantities
        if absent:
            building["absent_items"] = absent
        buildings.append(building)
    return buildings


# --- waste, green materials, carbon -------------------------------------------------------------


def waste_inputs(rng: random.Random, n: int) -> list[Input]:
    categories = [row["key"] for row in bundled_ruleset("MOHURD-2020-construction-waste").data["categories"]]
    projects = []
    for _ in range(n):
        area = rng.randint(5_000, 200_000)
        project: Input = {"gross_floor_area_m2": area}
        if rng.random() < 0.2:
            project["prefabricated_floor_area_m2"] = rng.randint(0, area)
        else:
            project["prefabricated"] = rng.random() < 0.4
        if rng.random() < 0.6:
            project["target_t_per_10k_m2"] = rng.choice([150, 200, 250, 300])
        records = []
        for _ in range(rng.randint(1, 8)):
            tonnes = _tonnes(rng, 0, area // 80)  # 0-125 t per 万㎡ per record
            record: Input = {"category": rng.choice(categories), "tonnes": tonnes}
            if rng.random() < 0.5:
                record["recycled_tonnes"] = (tonnes * Decimal(rng.random())).quantize(Decimal("0.1"))
            records.append(record)
        project["records"] = records
        projects.append(project)
    return projects


def green_materials_inputs(rng: random.Random, n: int) -> list[Input]:
    groups = [
        row["key"] for row in bundled_ruleset(registry.get_engine("green-materials").DEFAULT_EDITION).data["groups"]
    ]
    units = ["m3", "m2", "t", "m", "套"]
    bills = []
    for _ in range(n):
        certified_share = rng.uniform(0.2, 0.95)
        lines = []
        for line in range(rng.randint(1, 30)):
            category = rng.choice(groups)
            kind = rng.randint(0, 7)
            lines.append(
                {
                    "name": "材料{}-{}".format(kind, line),
                    "item_type": "{}-类型{}".format(category, kind),
                    "category": category,
                    "quantity": rng.randint(1, 10_000),
                    "unit": units[kind % len(units)],  # one unit per item type
                    "certified": rng.random() < certified_share,
                }
            )
        bills.append({"items": lines})
    return bills


def carbon_inputs(rng: random.Random, n: int) -> list[Input]:
    table = bundled_ruleset("GB/T 51366-2019").data
    rows = table["materials"]["rows"]
    modes = [row["key"] for row in table["transport"]["modes"]]
    grids = [row["key"] for row in table["energy"]["electricity"]["grids"]]
    fuels = [row["key"] for row in table["energy"]["carriers"]]
    projects = []
    for _ in range(n):
        materials = []
        for _ in range(rng.randint(1, 15)):
            if rng.random() < 0.1:
                material: Input = {
                    "name": "预制构件",
                    "unit": "m3",
                    "quantity": rng.randint(10, 2_000),
                    "factor_kgco2e_per_unit": rng.randint(150, 450),
                    "factor_source": "EPD (third-party verified)",
                    "mass_t": rng.randint(25, 5_000),
                }
            else:
                row = rng.choice(rows)
                material = {"material": row["key"], "quantity": rng.randint(1, 5_000)}
                if row["unit"] not in ("t", "kg"):
                    material["mass_t"] = rng.randint(1, 12_000)
            if rng.random() < 0.5:
                material["transport_mode"] = rng.choice(modes)
            if rng.random() < 0.3:
                material["distance_km"] = rng.randint(0, 800)
            materials.append(material)
        energy = [{"carrier": "electricity", "quantity": rng.randint(10_000, 1_000_000)}]
        energy += [{"carrier": fuel, "quantity": rng.randint(100, 50_000)} for fuel in fuels if rng.random() < 0.5]
        project: Input = {
            "gross_floor_area_m2": rng.randint(2_000, 150_000),
            "materials": materials,
            "construction_energy": energy,
        }
        if rng.random() < 0.7:
            project["grid"] = rng.choice(grids)
        projects.append(project)
    return projects


# --- timing -------------------------------------------------------------------------------------

#: engine → (input generator, what to tally from each result to show the spread of outcomes)
BENCHES: dict[str, tuple[Callable[[random.Random, int], list[Input]], Callable[[Any], object]]] = {
    "gbt50378": (gbt50378_inputs, lambda result: result.level.value),
    "gbt51129": (gbt51129_inputs, lambda result: result.grade.value),
    "waste": (waste_inputs, lambda result: "meets national" if result.meets_national_target else "over national"),
    "green-materials": (green_materials_inputs, lambda result: result.table_3_2_8_level),
    "carbon": (carbon_inputs, lambda result: "{} grid".format(result.grid)),
}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) > 1 else values[0]


def run(engine_name: str, inputs: list[Input]) -> tuple[list[float], list[float], Counter[object]]:
    """Time parse + evaluate and evaluate alone for every input; tally the outcomes."""
    engine = registry.get_engine(engine_name)
    tally = BENCHES[engine_name][1]
    for data in inputs[:20]:  # warm-up: rule tables loaded and checked once
        engine.evaluate(engine.parse_inputs(data))
    outcomes: Counter[object] = Counter()
    both: list[float] = []
    alone: list[float] = []
    gc.collect()
    clock = time.perf_counter
    for data in inputs:
        t0 = clock()
        parsed = engine.parse_inputs(data)
        t1 = clock()
        result = engine.evaluate(parsed)
        t2 = clock()
        both.append(t2 - t0)
        alone.append(t2 - t1)
        outcomes[tally(result)] += 1
    return both, alone, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="inputs per engine (default 10,000)")
    parser.add_argument("--seed", type=int, default=3, help="seed of random.Random (default 3)")
    parser.add_argument("--engine", action="append", choices=list(BENCHES), help="only this engine (repeatable)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")
    engines = args.engine or list(BENCHES)

    started = time.perf_counter()
    inputs = {name: BENCHES[name][0](random.Random("{}:{}".format(args.seed, name)), args.n) for name in engines}
    print(
        "generated {} inputs per engine in {:.1f} s (seed {}, Python {})".format(
            args.n, time.perf_counter() - started, args.seed, sys.version.split()[0]
        )
    )
    print()
    header = "{:<16} {:>7} {:>14} {:>11} {:>14} {:>11} {:>9}"
    print(header.format("engine", "n", "parse+eval ms", "p95 ms", "eval ms", "p95 ms", "total s"))
    print(header.format("", "", "median", "", "median", "", ""))
    spreads = []
    for name in engines:
        both, alone, outcomes = run(name, inputs[name])
        print(
            "{:<16} {:>7} {:>14.3f} {:>11.3f} {:>14.3f} {:>11.3f} {:>9.1f}".format(
                name,
                len(both),
                statistics.median(both) * 1000,
                _p95(both) * 1000,
                statistics.median(alone) * 1000,
                _p95(alone) * 1000,
                sum(both),
            )
        )
        spreads.append(
            "{}: {}".format(
                name, ", ".join("{} {}".format(key, count) for key, count in sorted(outcomes.items(), key=str))
            )
        )
    print()
    print("outcomes (the inputs vary):")
    for line in spreads:
        print("  " + line)


if __name__ == "__main__":
    main()
