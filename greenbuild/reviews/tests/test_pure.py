"""The draw and the consolidation are pure functions: no Django, hand-computed cases, properties."""

from __future__ import annotations

import ast
import pathlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbuild.reviews import consolidate, draw
from greenbuild.reviews.consolidate import Section, expert_total
from greenbuild.reviews.consolidate import consolidate as panel_score
from greenbuild.reviews.draw import Candidate, DrawError, draw_panel, draw_replacement

HERE = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["draw.py", "consolidate.py"])
def test_pure_modules_import_no_django_and_nothing_of_ours(module):
    tree = ast.parse((HERE / module).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("django", "greenbuild"))]


def pool(n=9, specialties=None, orgs=None):
    return [
        Candidate(
            id=i,
            specialties=frozenset((specialties or {}).get(i, ())),
            organisation_ids=frozenset((orgs or {}).get(i, {100 + i})),
        )
        for i in range(1, n + 1)
    ]


# --- the draw ----------------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_panel_in_the_same_order():
    assert draw_panel(pool(), size=5, seed=42) == draw_panel(list(reversed(pool())), size=5, seed=42)


def test_the_order_is_the_published_hash_order():
    ranked = sorted(range(1, 10), key=lambda i: draw.rank(7, i))
    assert draw_panel(pool(), size=3, seed=7) == ranked[:3]


def test_another_seed_draws_another_panel():
    panels = {tuple(draw_panel(pool(), size=3, seed=seed)) for seed in range(20)}
    assert len(panels) > 1


@pytest.mark.parametrize("size", [2, 4, 6])
def test_an_even_panel_size_is_refused(size):
    with pytest.raises(DrawError) as error:
        draw_panel(pool(), size=size, seed=1)
    assert error.value.code in {"even_size", "too_small"}


def test_a_panel_below_three_is_refused():
    with pytest.raises(DrawError) as error:
        draw_panel(pool(), size=1, seed=1)
    assert error.value.code == "too_small"


def test_too_few_eligible_experts_is_a_clear_error():
    with pytest.raises(DrawError) as error:
        draw_panel(pool(6, orgs={1: {9}, 2: {9}}), size=5, seed=1, conflicted_organisation_ids={9})
    assert (error.value.code, error.value.needed, error.value.available) == ("too_few", 5, 4)


def test_required_specialties_are_on_the_panel():
    specialties = {8: {"bim"}, 9: {"hvac"}}
    for seed in range(30):
        panel = draw_panel(pool(9, specialties), size=3, required=["bim", "hvac"], seed=seed)
        assert {8, 9} <= set(panel)


def test_a_required_specialty_nobody_has_is_refused():
    with pytest.raises(DrawError) as error:
        draw_panel(pool(), size=3, required=["bim"], seed=1)
    assert (error.value.code, error.value.specialty) == ("specialty_missing", "bim")


def test_more_required_specialties_than_seats_is_refused():
    specialties = {1: {"a"}, 2: {"b"}, 3: {"c"}, 4: {"d"}}
    with pytest.raises(DrawError) as error:
        draw_panel(pool(9, specialties), size=3, required=["a", "b", "c", "d"], seed=1)
    assert error.value.code == "too_many_required"


def test_a_replacement_is_the_next_of_the_same_seed_stream():
    candidates = pool()
    panel = draw_panel(candidates, size=3, seed=5)
    stream = [c.id for c in draw.seed_stream(candidates, 5)]
    replacement = draw_replacement(candidates, seed=5, seated=panel[1:], drawn_before=panel)
    assert replacement == stream[3]


def test_a_replacement_keeps_a_required_specialty_on_the_panel():
    candidates = pool(9, {2: {"bim"}, 7: {"bim"}})
    panel = draw_panel(candidates, size=3, required=["bim"], seed=3)
    bim = next(i for i in panel if i in (2, 7))
    other = 7 if bim == 2 else 2
    seated = [i for i in panel if i != bim]
    assert draw_replacement(candidates, seed=3, seated=seated, drawn_before=panel, required=["bim"]) == other


def test_an_exhausted_stream_has_no_replacement():
    candidates = pool(3)
    with pytest.raises(DrawError) as error:
        draw_replacement(candidates, seed=1, seated=[1, 2], drawn_before=[1, 2, 3])
    assert error.value.code == "no_replacement"


worlds = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2), st.frozensets(st.integers(1, 6), max_size=2)
    ),
    min_size=0,
    max_size=14,
)


@settings(max_examples=200, deadline=None)
@given(
    world=worlds,
    conflicted=st.frozensets(st.integers(1, 6), max_size=3),
    size=st.sampled_from([3, 5, 7]),
    seed=st.integers(0, 2**31),
    required=st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2),
    declines=st.integers(0, 4),
)
def test_conflicted_experts_are_never_drawn_and_the_draw_replays(world, conflicted, size, seed, required, declines):
    candidates = [Candidate(id=i + 1, specialties=s, organisation_ids=o) for i, (s, o) in enumerate(world)]
    by_id = {c.id: c for c in candidates}
    try:
        panel = draw_panel(candidates, size=size, required=required, seed=seed, conflicted_organisation_ids=conflicted)
    except DrawError as error:
        assert error.code in {"too_few", "specialty_missing", "too_many_required"}
        return
    assert len(panel) == len(set(panel)) == size
    assert not any(by_id[i].organisation_ids & conflicted for i in panel)
    assert panel == draw_panel(
        candidates, size=size, required=required, seed=seed, conflicted_organisation_ids=conflicted
    )
    seated, drawn_before = list(panel), list(panel)
    for _ in range(declines):
        seated.pop(0)
        try:
            new = draw_replacement(
                candidates,
                seed=seed,
                seated=seated,
                drawn_before=drawn_before,
                required=required,
                conflicted_organisation_ids=conflicted,
            )
        except DrawError:
            break
        assert new not in drawn_before and not (by_id[new].organisation_ids & conflicted)
        seated.append(new)
        drawn_before.append(new)


# --- the consolidation (hand-computed) ---------------------------------------------------------

TWO = [Section("a", Decimal("0.4"), Decimal(0), Decimal(10)), Section("b", Decimal("0.6"), Decimal(0), Decimal(20))]


def test_an_experts_total_is_the_weighted_mean_on_a_hundred_point_scale():
    # 0.4 × 8/10 × 100 + 0.6 × 15/20 × 100 = 32 + 45 = 77
    assert expert_total(TWO, {"a": Decimal(8), "b": Decimal(15)}) == Decimal("77.00")


def test_weights_need_not_add_up_to_one_and_ranges_need_not_start_at_zero():
    sections = [Section("a", Decimal(2), Decimal(1), Decimal(5)), Section("b", Decimal(1), Decimal(0), Decimal(3))]
    # a: (4−1)/(5−1) = 75 %, weight 2; b: 2/3 = 66.666…%, weight 1 → (150 + 66.666…) / 3 = 72.222… → 72.22
    assert expert_total(sections, {"a": Decimal(4), "b": Decimal(2)}) == Decimal("72.22")


def test_an_experts_total_rounds_half_up():
    sections = [Section("a", Decimal(1), Decimal(0), Decimal(8))]
    # 1/8 = 12.5 %; 0.01/8 → 12.625 → 12.63 (half up, not to even)
    assert expert_total(sections, {"a": Decimal("1.01")}) == Decimal("12.63")


def test_a_score_outside_its_range_or_missing_is_refused():
    with pytest.raises(ValueError, match="outside"):
        expert_total(TWO, {"a": Decimal(11), "b": Decimal(1)})
    with pytest.raises(ValueError, match="no score"):
        expert_total(TWO, {"a": Decimal(1)})


def test_the_mean_of_three_experts():
    # (77 + 80.5 + 70) / 3 = 75.8333… → 75.83
    assert panel_score([Decimal("77"), Decimal("80.5"), Decimal("70")], "mean") == Decimal("75.83")


def test_the_mean_rounds_half_up():
    # (70.01 + 70.02) / 2 = 70.015 → 70.02
    assert panel_score([Decimal("70.01"), Decimal("70.02")], "mean") == Decimal("70.02")


def test_the_trimmed_mean_drops_one_highest_and_one_lowest_of_five():
    totals = [Decimal(x) for x in ("90", "60", "75", "80", "70")]
    # drop 90 and 60: (75 + 80 + 70) / 3 = 75
    assert panel_score(totals, "trimmed_mean") == Decimal("75.00")
    # the plain mean: 375 / 5 = 75 as well; change one: 95 instead of 90 → trimmed stays 75, mean 76
    totals[0] = Decimal("95")
    assert panel_score(totals, "trimmed_mean") == Decimal("75.00")
    assert panel_score(totals, "mean") == Decimal("76.00")


def test_the_trimmed_mean_of_fewer_than_five_is_the_mean():
    totals = [Decimal("90"), Decimal("60"), Decimal("75")]
    assert panel_score(totals, "trimmed_mean") == panel_score(totals, "mean") == Decimal("75.00")


def test_seven_experts_trimmed():
    totals = [Decimal(x) for x in ("81.25", "79.5", "90", "55", "80", "82.75", "78")]
    # drop 90 and 55: (81.25 + 79.5 + 80 + 82.75 + 78) / 5 = 401.5 / 5 = 80.3
    assert panel_score(totals, "trimmed_mean") == Decimal("80.30")


def test_nobody_scored_gives_no_score_and_an_unknown_method_is_refused():
    assert panel_score([], "mean") is None
    with pytest.raises(ValueError):
        panel_score([Decimal(1)], "median")
    assert consolidate.TRIM_FROM == 5
