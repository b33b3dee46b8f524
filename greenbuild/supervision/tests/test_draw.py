"""The published draw of 双随机 (issue 20 item 1): hand-computed selections for small populations,
the ratio computed exactly, reproducibility, and the CLI's JSON contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from greenbuild.supervision.cli import main
from greenbuild.supervision.draw import DrawError, draw, new_seed, rank_key, sample_size

# SHA-256 of "abc:1" … "abc:4", first 8 hex digits, worked out by hand with hashlib:
#   abc:3 0ffad30e < abc:2 16455f08 < abc:4 21ac199c < abc:1 bfcf0b9c
ABC_RANK = ["3", "2", "4", "1"]
# "20261207:2" 19ae9474 < ":10" 4fd46ec8 < ":8" 659878c3 < ":4" 71e8a363 < ":5" 750600a9 < …
DEC_RANK = ["2", "10", "8", "4", "5", "7", "6", "1", "3", "9"]


def test_the_rank_is_the_lowercase_hex_sha256_of_seed_colon_id():
    assert rank_key("abc", "3") == "0ffad30e" + rank_key("abc", "3")[8:]
    assert rank_key("abc", "3").islower() and len(rank_key("abc", "3")) == 64
    # UTF-8 text: a Chinese seed and ids rank the same way
    assert [c for c in draw("双随机", 1, ["丙", "乙", "甲"]).selected] == ["甲", "乙", "丙"]


@pytest.mark.parametrize(
    ("ratio", "k"), [("0.25", 1), ("0.5", 2), ("0.51", 3), ("0.75", 3), ("1", 4), ("0.01", 1), (Fraction(1, 3), 2)]
)
def test_hand_computed_selections_of_four(ratio, k):
    result = draw("abc", ratio, [1, 2, 3, 4])
    assert result.k == k and list(result.selected) == ABC_RANK[:k]


def test_k_is_the_ceiling_computed_exactly_and_at_least_one():
    # 0.1 × 30 is 3 exactly (a float product, 3.0000000000000004, would round up to 4)
    assert sample_size(30, Fraction("0.1")) == 3
    assert sample_size(10, Fraction("0.3")) == 3 and sample_size(10, Fraction("0.31")) == 4
    assert sample_size(1, Fraction("0.01")) == 1 and sample_size(0, Fraction("0.5")) == 0
    result = draw("20261207", "0.3", range(1, 11))
    assert list(result.selected) == DEC_RANK[:3]


def test_the_same_record_gives_the_same_draw_whatever_the_order_of_the_population():
    forwards = draw("20261207", "0.5", [str(i) for i in range(1, 11)])
    backwards = draw("20261207", "0.5", [str(i) for i in range(10, 0, -1)])
    assert forwards.selected == backwards.selected == tuple(DEC_RANK[:5])
    assert draw("another seed", "0.5", range(1, 11)).selected != forwards.selected


def test_a_fresh_seed_is_secure_random_text():
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) == 50 and all(len(s) == 32 and int(s, 16) >= 0 for s in seeds)


@pytest.mark.parametrize(
    ("ratio", "ids", "message"),
    [
        ("0", [1, 2], "greater than 0"),
        ("-0.5", [1, 2], "greater than 0"),
        ("1.01", [1, 2], "at most 1"),
        ("nan", [1, 2], "must be a number"),
        ("abc", [1, 2], "must be a number"),
        ("0.5", [], "nothing to draw"),
        ("0.5", [1, 2, 1], "repeated: 1"),
        ("0.5", [1, " 2"], "surrounding spaces"),
    ],
)
def test_bad_input_is_refused_with_a_message(ratio, ids, message):
    with pytest.raises(DrawError, match=message):
        draw("seed", ratio, ids)


def test_the_cli_prints_the_contract_json(capsys):
    assert main(["draw", "--seed", "abc", "--ratio", "0.5", "1", "2", "3", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"seed": "abc", "ratio": 0.5, "population": 4, "k": 2, "selected": [3, 2]}
    assert list(out) == ["seed", "ratio", "population", "k", "selected"]
    # ids that are not plain integers stay text
    assert main(["draw", "--seed", "双随机", "--ratio", "1", "丙", "乙", "甲", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["selected"] == ["甲", "乙", "丙"]


def test_without_a_seed_the_cli_takes_a_fresh_one_and_prints_it(capsys):
    assert main(["draw", "--ratio", "1", "7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["seed"]) == 32 and out["selected"] == [7]


@pytest.mark.parametrize(
    "argv",
    [
        ["draw", "--seed", "s", "--ratio", "0", "1"],
        ["draw", "--seed", "s", "--ratio", "2", "1"],
        ["draw", "--seed", "s", "--ratio", "0.5"],
        ["draw", "--seed", "s", "--ratio", "0.5", "4", "4"],
        ["draw", "--seed", "s", "1", "2"],  # no ratio
        ["draw", "--seed", "s", "--ratio", "0.5", "1", "--bogus"],
        [],
    ],
)
def test_the_cli_exits_2_with_a_message_on_bad_input(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip()


def test_the_console_command_runs_without_django_settings():
    """Anyone reproduces a published draw with the installed command: no database, no settings."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "greenbuild",
            "supervision",
            "draw",
            "--seed",
            "abc",
            "--ratio",
            "0.5",
            "1",
            "2",
            "3",
            "4",
            "--json",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["selected"] == [3, 2]
    assert "django" not in completed.stderr.lower()


def test_the_draw_and_its_command_load_no_django():
    code = (
        "import sys, greenbuild.supervision.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert completed.stdout.strip() == "[]"
