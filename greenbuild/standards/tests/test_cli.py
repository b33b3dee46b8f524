"""The ``greenbuild score ENGINE FILE [--json]`` command and the engine registry."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greenbuild.standards import registry
from greenbuild.standards.cli import EXIT_BROKEN_PIPE, main
from greenbuild.standards.types import StandardsInputError

GOLDEN = Path(__file__).parent / "golden"
REPO_ROOT = Path(__file__).resolve().parents[3]

CASES = {
    "gbt51129": GOLDEN / "gbt51129" / "14_q4_absent_kitchen_issue_example.json",
    "waste": GOLDEN / "waste" / "01_issue_example.json",
    "green-materials": GOLDEN / "green_materials" / "01_mixed_bill.json",
    "carbon": GOLDEN / "carbon" / "01_materials_with_default_transport.json",
}
CONTRACT_KEYS = {
    "gbt51129": {"assembly_rate_pct", "q1", "q2", "q3", "q4", "is_prefabricated", "grade", "findings", "conditions"},
    "waste": {
        "intensity_t_per_10k_m2",
        "national_target_t_per_10k_m2",
        "meets_national_target",
        "meets_project_target",
    },
    "green-materials": {"green_material_ratio_pct", "table_3_2_8", "clause_7_2_18_points", "findings"},
    "carbon": {"a1_a3_kgco2e", "a4_kgco2e", "a5_kgco2e", "total_kgco2e", "total_kgco2e_per_m2", "findings"},
}


def _input_file(tmp_path: Path, engine: str) -> Path:
    path = tmp_path / "input.json"
    path.write_text(
        json.dumps(json.loads(CASES[engine].read_text(encoding="utf-8"))["input"], ensure_ascii=False), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("engine", sorted(CASES))
def test_json_output_has_the_contract_keys(engine, tmp_path, capsys):
    assert main([engine, str(_input_file(tmp_path, engine)), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert CONTRACT_KEYS[engine] <= set(output)
    assert output["engine_version"] == "1.0.0" and output["edition"]


@pytest.mark.parametrize("engine", sorted(CASES))
def test_default_output_is_a_readable_table(engine, tmp_path, capsys):
    assert main([engine, str(_input_file(tmp_path, engine))]) == 0
    out = capsys.readouterr().out
    assert "clause" in out and "reason" in out and "----" in out


def test_table_output_ends_with_a_newline(tmp_path, capsys):
    """gbt50378's table has no final newline of its own; the shell prompt must not follow it on one line."""
    path = tmp_path / "scorecard.json"
    case = json.loads((GOLDEN / "gbt50378" / "03_one_star_at_69_95_not_rounded.json").read_text(encoding="utf-8"))
    path.write_text(json.dumps(case["input"], ensure_ascii=False), encoding="utf-8")
    assert main(["gbt50378", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("(Q +0.05).\n") and not out.endswith("\n\n")


def test_json_numbers_are_exact_decimal_text(tmp_path, capsys):
    assert main(["gbt51129", str(_input_file(tmp_path, "gbt51129")), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["assembly_rate_pct"] == 75.3 and output["grade"] == "A" and output["q1"] == 38.3


def test_file_dash_reads_standard_input(monkeypatch, capsys):
    data = json.loads(CASES["waste"].read_text(encoding="utf-8"))["input"]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(data)))
    assert main(["waste", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intensity_t_per_10k_m2"] == 134.62


@pytest.mark.parametrize(
    ("engine", "data", "named"),
    [
        ("gbt51129", {"structure": "concrete", "vertical_members_pct": 120}, "vertical_members_pct"),
        (
            "waste",
            {"gross_floor_area_m2": 100, "prefabricated": False, "records": [{"category": "other", "tonnes": -2}]},
            "records[0].tonnes",
        ),
        (
            "green-materials",
            {"items": [{"name": "x", "category": "roof", "quantity": 1, "unit": "t", "certified": True}]},
            "items[0].category",
        ),
        (
            "carbon",
            {"gross_floor_area_m2": 100, "materials": [{"material": "kryptonite", "quantity": 1}]},
            "materials[0].material",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_field(engine, data, named, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main([engine, str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert named in captured.err and "bad input" in captured.err


def test_missing_file_exits_2_with_a_clear_message(tmp_path, capsys):
    assert main(["waste", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_malformed_json_exits_2_with_line_and_column(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"gross_floor_area_m2": 100,\n  "records": [}', encoding="utf-8")
    assert main(["waste", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "line 2" in err


def test_top_level_array_is_refused(tmp_path, capsys):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert main(["carbon", str(path)]) == 2
    assert "JSON object" in capsys.readouterr().err


def test_unknown_engine_is_a_usage_error(capsys):
    assert main(["leed", "x.json"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_registry_names_every_cli_engine():
    assert set(registry.ENGINES) == {"gbt50378", "gbt51129", "waste", "green-materials", "carbon"}
    for name in ("gbt51129", "waste", "green-materials", "carbon"):
        module = registry.get_engine(name)
        assert name == module.ENGINE and module.ENGINE_VERSION == "1.0.0"


def test_registry_evaluate_uses_the_named_engine():
    data = json.loads(CASES["waste"].read_text(encoding="utf-8"))["input"]
    result = registry.evaluate("waste", data)
    assert result.meets_national_target is True


def test_registry_refuses_an_unknown_engine():
    with pytest.raises(StandardsInputError) as raised:
        registry.evaluate("leed", {})
    assert raised.value.field == "engine"


def test_list_standards_has_a_default_edition_per_engine():
    standards = registry.list_standards()
    defaults = {info.engine for info in standards if info.is_default}
    assert {"gbt51129", "waste", "green-materials", "carbon"} <= defaults
    editions = {info.edition for info in standards}
    assert "GB/T 51129-2017" in editions and "GB/T 51366-2019" in editions


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_a_reader_that_closed_the_pipe_gets_no_traceback(as_json, tmp_path):
    """``greenbuild score ... --json | head``: the reader is gone before the write (no race)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # no reader at all: the first write fails with EPIPE
    try:
        command = [sys.executable, "-m", "greenbuild", "score", "gbt51129", str(_input_file(tmp_path, "gbt51129"))]
        completed = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
            command + (["--json"] if as_json else []),
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=REPO_ROOT,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert completed.stderr == ""
    assert completed.returncode == EXIT_BROKEN_PIPE == 141


def test_broken_pipe_on_write_returns_the_sigpipe_code(tmp_path, monkeypatch):
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["gbt51129", str(_input_file(tmp_path, "gbt51129")), "--json"]) == EXIT_BROKEN_PIPE
