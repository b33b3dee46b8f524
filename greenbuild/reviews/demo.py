"""The expert review in the demo programme (called by ``seed_demo``; idempotent).

Adds eight experts to the pool besides the README's ``expert`` (password ``DEMO_PASSWORD``), with
profiles; one works for the contractor of several projects, so the draw's 回避 shows. Then two
submitted plans get a drawn panel through the real services: one concluded review (a decline and
its replacement, five experts' scores, the leader's "pass"), and one round in progress (three of
five scores in; ``expert`` still has to score).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.core.credit_code import make_credit_code
from greenbuild.reviews import services
from greenbuild.reviews.models import ExpertProfile, PanelSeat, ReviewRound

EMPLOYERS = [
    ("cz-university", "常州大学", "91320400100000001"),
    ("cz-institute", "常州工学院", "91320400100000002"),
    ("js-design", "江苏省建筑设计研究院有限公司", "91320400100000003"),
]

# username, display name, employer key (or the name of an existing organisation), title, specialties
EXPERTS = [
    ("expert", "冯教授（专家库）", "cz-university", "教授", ["green_building", "hvac"]),
    ("expert_gao", "高建国（常州工学院）", "cz-institute", "教授级高级工程师", ["prefabrication", "structure"]),
    ("expert_lin", "林晓（省建筑设计院）", "js-design", "高级工程师", ["bim", "green_building"]),
    ("expert_ma", "马骏（常州大学）", "cz-university", "副教授", ["materials"]),
    ("expert_shen", "沈慧（省建筑设计院）", "js-design", "教授级高级工程师", ["hvac", "green_building"]),
    ("expert_tang", "唐亮（常州工学院）", "cz-institute", "高级工程师", ["construction", "cost"]),
    ("expert_xu", "徐波（常州大学）", "cz-university", "教授", ["prefabrication", "bim"]),
    ("expert_yao", "姚红（常州工学院）", "cz-institute", "高级工程师", ["construction", "materials"]),
    (
        "expert_zhu",
        "朱峰（中建八局三公司）",
        "中建八局第三建设有限公司",
        "高级工程师",
        ["construction", "prefabrication"],
    ),
]

SCORES = ["8.5", "7.5", "9", "8", "7"]  # per expert; every section (0–10)


def _pool() -> dict[str, User]:
    from greenbuild.projects.demo import DEMO_PASSWORD

    pool_org = Organisation.objects.filter(kind=OrganisationKind.EXPERT_POOL).order_by("pk").first()
    employers: dict[str, Organisation] = {}
    for key, name, body in EMPLOYERS:
        employers[key], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": OrganisationKind.CONSULTANT, "credit_code": make_credit_code(body)}
        )
    experts: dict[str, User] = {}
    for username, display, employer_key, title, specialties in EXPERTS:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if pool_org is not None:
            Membership.objects.get_or_create(user=user, organisation=pool_org, role=Role.EXPERT)
        employer = employers.get(employer_key) or Organisation.objects.filter(name=employer_key).first()
        ExpertProfile.objects.get_or_create(
            user=user, defaults={"specialties": specialties, "title": title, "employer": employer}
        )
        experts[username] = user
    return experts


def _submitted_plans(bureau: User, needed: int) -> list[Any]:
    """Submitted plans without a review round; more are written and submitted when too few."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.demo import _owner_of, complete_data
    from greenbuild.plans.models import GreenPlan
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project

    plans = list(GreenPlan.objects.filter(status=PlanStatus.SUBMITTED, reviews__isnull=True).order_by("pk"))
    spare = Project.objects.filter(
        status__in=[ProjectStatus.CANDIDATE, ProjectStatus.RECOMMENDED], green_plan__isnull=True
    ).order_by("pk")
    for project in spare:
        if len(plans) >= needed:
            break
        owner = _owner_of(project)
        if owner is None:
            continue
        plan = plan_services.start_plan(actor=owner, project=project)
        plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=complete_data(project, plan.guideline))
        plan_services.submit_plan(actor=owner, plan_id=plan.pk, comment="请专家评审。")
        plans.append(GreenPlan.objects.get(pk=plan.pk))
    return plans[:needed]


def _seed_with(plan: Any, expert: User, *, leader: bool) -> int:
    """The first seed whose panel of five has ``expert`` (as its leader when ``leader``)."""
    candidates = services.expert_candidates()
    conflicted = services.conflicted_organisations(plan.project)
    for seed in range(20211101, 20211101 + 2000):
        try:
            panel = services.drawing.draw_panel(candidates, size=5, seed=seed, conflicted_organisation_ids=conflicted)
        except services.drawing.DrawError:
            return 20211101
        if (panel[0] == expert.pk) if leader else (expert.pk in panel[1:]):
            return seed
    return 20211101


def _scores(review_round: ReviewRound, value: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for section in review_round.scheme.sections.all():
        data["score_{}".format(section.pk)] = value
        data["comment_{}".format(section.pk)] = "{}：措施基本可行，建议细化量化指标与责任分工。".format(
            section.title_zh
        )
    return data


def _seats(review_round: ReviewRound) -> list[PanelSeat]:
    return list(PanelSeat.objects.filter(round=review_round).exclude(response="declined").order_by("order"))


@transaction.atomic
def seed_reviews(bureau: User) -> int:
    """Returns the number of review rounds created."""
    experts = _pool()
    if ReviewRound.objects.exists():
        return 0
    plans = _submitted_plans(bureau, 2)
    created = 0
    if plans:  # a concluded review: one decline and its replacement, five scores, "pass"
        plan = plans[0]
        review_round = services.draw_panel(
            actor=bureau,
            plan_id=plan.pk,
            panel_size=5,
            seed=_seed_with(plan, experts["expert"], leader=True),
            required_specialties=["prefabrication"],
        )
        decliner = _seats(review_round)[-1]
        services.respond_to_seat(
            actor=decliner.expert, seat_id=decliner.pk, accept=False, conflict=True, note="本人曾为该项目提供设计咨询。"
        )
        for seat in _seats(review_round):
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
        for seat, value in zip(_seats(review_round), SCORES, strict=False):
            services.save_scores(actor=seat.expert, seat_id=seat.pk, data=_scores(review_round, value), submit=True)
        leader = next(s for s in _seats(review_round) if s.is_leader)
        services.conclude_round(
            actor=leader.expert,
            round_id=review_round.pk,
            conclusion="passed",
            reasons="策划方案目标明确，装配率、建筑垃圾减量与绿色建材目标满足试点要求；"
            "建议进一步细化智慧工地设备配置与BIM交付标准。同意通过。",
        )
        created += 1
    if len(plans) > 1:  # in progress: three of five scores in; ``expert`` still to score
        plan = plans[1]
        review_round = services.draw_panel(
            actor=bureau, plan_id=plan.pk, panel_size=5, seed=_seed_with(plan, experts["expert"], leader=False)
        )
        for seat in _seats(review_round):
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
        others = [s for s in _seats(review_round) if s.expert_id != experts["expert"].pk]
        for seat, value in zip(others[:3], SCORES, strict=False):
            services.save_scores(actor=seat.expert, seat_id=seat.pk, data=_scores(review_round, value), submit=True)
        created += 1
    return created
