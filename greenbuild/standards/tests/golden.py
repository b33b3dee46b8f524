"""Golden cases: JSON files of an input, the figures computed by hand, and how (``comment``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from greenbuild.standards.types import StandardsInputError

GOLDEN_DIR = Path(__file__).parent / "golden"


def cases(engine: str) -> list[Path]:
    """The golden case files of one engine, in file-name order."""
    return sorted((GOLDEN_DIR / engine).glob("*.json"))


def same(actual: Any, expected: Any) -> bool:
    """Exact comparison: numbers as decimals (so 13 equals 13.0), dicts key by key."""
    if isinstance(expected, dict):
        return all(same(actual[key], value) for key, value in expected.items())
    if isinstance(expected, bool | str) or expected is None:
        return bool(actual == expected)
    return actual is not None and Decimal(str(actual)) == Decimal(str(expected))


def assert_matches(output: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        assert same(output[key], value), "{}: {} != {}".format(key, output[key], value)


def check_case(path: Path, run: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """A golden case: it explains its hand computation, and ``run`` gives exactly its figures.

    A case with ``expected_error`` instead of ``expected`` is a refusal: ``run`` must raise a
    :class:`StandardsInputError` naming that ``field`` with that message ``code`` (and ``params``,
    when the case gives them).
    """
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["comment"]
    if "expected_error" in case:
        expected = case["expected_error"]
        with pytest.raises(StandardsInputError) as refused:
            run(case["input"])
        assert refused.value.field == expected["field"]
        assert refused.value.code == expected["code"]
        for key, value in expected.get("params", {}).items():
            assert refused.value.params[key] == value, key
        return
    assert_matches(run(case["input"]), case["expected"])


def golden_outputs(engine: str, run: Callable[[dict[str, Any]], Any]) -> list[Any]:
    """``run`` on the input of every golden case of ``engine``: its output, or the refusal raised."""
    outputs: list[Any] = []
    for path in cases(engine):
        try:
            outputs.append(run(json.loads(path.read_text(encoding="utf-8"))["input"]))
        except StandardsInputError as error:
            outputs.append(error)
    return outputs
