"""The bonus rule applied to hand-made cases (pure: no database)."""

from decimal import Decimal

from greenbuild.incentives.rules_engine import Award, awards, result_level

TABLE = {
    ("owner", "passed"): Decimal("3"),
    ("owner", "excellent"): Decimal("5"),
    ("contractor", "passed"): Decimal("3"),
    ("contractor", "excellent"): Decimal("5"),
    ("designer", "passed"): Decimal("2"),
    ("designer", "excellent"): Decimal("3"),
    ("supervisor", "passed"): Decimal("0"),
}


def test_each_listed_role_gets_its_points_at_the_level():
    enterprises = [(1, "owner"), (2, "contractor"), (3, "designer")]
    assert awards(TABLE, enterprises, "passed") == [
        Award(1, "owner", "passed", Decimal("3")),
        Award(2, "contractor", "passed", Decimal("3")),
        Award(3, "designer", "passed", Decimal("2")),
    ]
    assert [a.points for a in awards(TABLE, enterprises, "excellent")] == [Decimal(5), Decimal(5), Decimal(3)]


def test_a_role_the_rule_does_not_list_or_gives_zero_gets_no_award():
    assert awards(TABLE, [(4, "manufacturer"), (5, "supervisor")], "passed") == []


def test_an_enterprise_in_two_roles_gets_one_award_per_role_and_duplicates_count_once():
    result = awards(TABLE, [(2, "contractor"), (2, "designer"), (2, "contractor")], "passed")
    assert [(a.organisation_id, a.role, a.points) for a in result] == [
        (2, "contractor", Decimal("3")),
        (2, "designer", Decimal("2")),
    ]


def test_the_level_follows_the_verdict_and_the_distinction_score():
    assert result_level(verdict="met", score=Decimal("89.9"), excellent_score=Decimal("90")) == "passed"
    assert result_level(verdict="met", score=Decimal("90.0"), excellent_score=Decimal("90")) == "excellent"
    assert result_level(verdict="met", score=Decimal("99"), excellent_score=None) == "passed"
    assert result_level(verdict="met", score=None, excellent_score=Decimal("90")) == "passed"
    assert result_level(verdict="not_met", score=Decimal("95"), excellent_score=Decimal("90")) is None
    assert result_level(verdict="incomplete", score=None, excellent_score=Decimal("90")) is None
