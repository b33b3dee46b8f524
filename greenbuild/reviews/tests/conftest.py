"""Fixtures of the reviews tests: a pool of experts, a submitted plan, a drawn panel."""

from __future__ import annotations

from typing import Any

import pytest

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.reviews import services
from greenbuild.reviews.models import CriteriaScheme, PanelSeat
from greenbuild.testing.factories import OrganisationFactory, person

SPECIALTIES = [
    ["green_building", "hvac"],
    ["prefabrication", "structure"],
    ["bim"],
    ["construction"],
    ["materials"],
    ["green_building"],
    ["construction", "cost"],
]


def plan_data(project: Any) -> dict[str, Any]:
    """A plan that passes the self-check: every mandatory measure written, R7–R14 met."""
    from greenbuild.guidelines.selectors import current_guideline, measure_items

    measures = {item.code: "按导则落实：{}".format(item.code) for item in measure_items(current_guideline())}
    return {
        "targets": {
            "star_level": "two_star",
            "assembly_rate_pct_by_building": {str(b.pk): "60" for b in project.buildings.all()},
            "waste_t_per_10k_m2": "200",
            "green_material_pct": "70",
            "carbon_kgco2e_per_m2": None,
        },
        "measures": measures,
        "technologies": [],
        "bim_plan": {"stages": ["design", "production", "construction"], "text": "BIM 全过程应用"},
        "smart_site_plan": {"smart_site": "智慧工地平台", "equipment": "塔吊监测"},
        "organisation_mode": "epc",
    }


def submit_plan_of(project: Any, owner: Any) -> Any:
    from greenbuild.plans import services as plan_services

    plan = plan_services.start_plan(actor=owner, project=project)
    plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=plan_data(project))
    plan_services.submit_plan(actor=owner, plan_id=plan.pk)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def pool(orgs):
    """Seven experts (besides eve, who has no profile), each of another employer (the scheme allows
    one expert per employer on a panel), with profiles."""
    experts = []
    for index, specialties in enumerate(SPECIALTIES, start=1):
        employer = OrganisationFactory(name="专家单位{}".format(index), kind=OrganisationKind.CONSULTANT)
        user = person("expert{}".format(index), Role.EXPERT, orgs["experts"])
        services.ExpertProfile.objects.create(
            user=user, specialties=specialties, title="教授级高工", employer=employer, available=True
        )
        experts.append(user)
    return experts


@pytest.fixture
def scheme(db):
    return CriteriaScheme.objects.get(name__startswith="常州市绿色建造策划方案评审标准")


@pytest.fixture
def submitted_plan(personas, filed_project):
    project = filed_project("candidate", name="评审测试项目")
    return submit_plan_of(project, personas["alice_owner"])


@pytest.fixture
def drawn(personas, pool, submitted_plan):
    """A panel of three drawn with a fixed seed; returns (round, seats in draw order)."""
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=20211101)
    return review_round, list(PanelSeat.objects.filter(round=review_round).order_by("order"))


@pytest.fixture
def scoring(personas, drawn):
    """Every drawn expert accepted and the bureau appointed the first drawn as the leader: the
    round is scoring."""
    review_round, seats = drawn
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[0].pk)
    review_round.refresh_from_db()
    for seat in seats:
        seat.refresh_from_db()
    return review_round, seats


def full_opinion(recommendation: str = "passed") -> dict[str, str]:
    """A complete opinion form (专家评审意见表)."""
    return {
        "opinion": "方案目标明确，措施基本可行。",
        "recommendation": recommendation,
        "revision_requirements": "1. 细化装配率计算书\n2. 补充智慧工地设备清单",
        "declaration": "on",
    }


def full_scores(review_round: Any, value: str = "8") -> dict[str, str]:
    data = {}
    for section in review_round.scheme.sections.all():
        data["score_{}".format(section.pk)] = value
        data["comment_{}".format(section.pk)] = "意见"
    data.update(full_opinion())
    return data


@pytest.fixture
def all_submitted(scoring):
    review_round, seats = scoring
    for index, seat in enumerate(seats):
        services.save_scores(
            actor=seat.expert, seat_id=seat.pk, data=full_scores(review_round, str(6 + index)), submit=True
        )
    review_round.refresh_from_db()
    return review_round, seats


@pytest.fixture
def all_submitted_high(scoring):
    """Every expert submitted 8, 9 and 10 in every section: totals 80, 90, 100, consolidated 90,
    in the scheme's band that allows only “pass”."""
    review_round, seats = scoring
    for index, seat in enumerate(seats):
        services.save_scores(
            actor=seat.expert, seat_id=seat.pk, data=full_scores(review_round, str(8 + index)), submit=True
        )
    review_round.refresh_from_db()
    return review_round, seats
