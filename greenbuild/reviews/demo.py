"""The expert review in the demo programme (called by ``seed_demo``; idempotent).

Adds eight experts to the pool besides the README's ``expert`` (password ``DEMO_PASSWORD``), with
profiles; one works for the contractor of several projects, so the draw's 回避 shows, and no two
experts of one employer sit on a panel (the scheme's rule). Display names are plain names: the
employer is shown beside them, never repeated in them. Then two submitted plans get a drawn panel
through the real services: one concluded review (a decline and its replacement, the leader appointed
by the bureau, five experts' scores with their opinion forms, the leader's "pass"), and one round in
progress (three of five scores and opinions in; ``expert`` still has to score).
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
    ("nj-tech", "南京工业大学", "91320400100000004"),
    ("js-research", "江苏省建筑科学研究院有限公司", "91320400100000005"),
    ("cz-research", "常州市建筑科学研究院集团股份有限公司", "91320400100000006"),
]

# username, display name, employer key (or the name of an existing organisation), title, specialties
EXPERTS = [
    ("expert", "冯振华", "cz-university", "教授", ["green_building", "hvac"]),
    ("expert_gao", "高建国", "cz-institute", "教授级高级工程师", ["prefabrication", "structure"]),
    ("expert_lin", "林晓", "js-design", "高级工程师", ["bim", "green_building"]),
    ("expert_ma", "马骏", "nj-tech", "副教授", ["materials"]),
    ("expert_shen", "沈慧", "js-research", "教授级高级工程师", ["hvac", "green_building"]),
    ("expert_tang", "唐亮", "cz-research", "高级工程师", ["construction", "cost"]),
    ("expert_xu", "徐波", "cz-university", "教授", ["prefabrication", "bim"]),
    ("expert_yao", "姚红", "cz-institute", "高级工程师", ["construction", "materials"]),
    ("expert_zhu", "朱峰", "中建八局第三建设有限公司", "高级工程师", ["construction", "prefabrication"]),
]

SCORES = ["8.5", "7.5", "9", "8", "7"]  # per expert; every section (0–10): totals 85, 75, 90, 80, 70
#: each expert's recommended conclusion, in line with their total and the scheme's score bands
RECOMMENDATIONS = ["passed", "passed_with_revisions", "passed", "passed", "passed_with_revisions"]
REQUIREMENTS = [
    "1. 细化智慧工地设备配置清单\n2. 明确BIM交付标准",
    "1. 补充装配率计算书\n2. 细化智慧工地设备配置清单",
    "无",
    "1. 明确BIM交付标准",
    "1. 补充建筑垃圾减量计量方法\n2. 补充装配率计算书",
]


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
        elif user.display_name != display:  # a plain name, never "name (employer)" (REV-21)
            User.objects.filter(pk=user.pk).update(display_name=display)
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


def _seed_with(plan: Any, expert: User, *, first: bool, required: tuple[str, ...] = ()) -> int:
    """The first seed whose panel of five (under the scheme's employer rule) has ``expert``
    (drawn first when ``first``, so a later decline does not take them off the panel)."""
    from greenbuild.reviews.models import CriteriaScheme

    scheme = CriteriaScheme.objects.filter(active=True).order_by("pk").first()
    limit = scheme.max_per_employer if scheme is not None else 1
    _candidates, pool, _reasons = services.screen_candidates(plan)
    for seed in range(20211101, 20211101 + 2000):
        try:
            panel = services.drawing.draw_panel(pool, size=5, seed=seed, required=required, max_per_employer=limit)
        except services.drawing.DrawError:
            return 20211101
        if (panel[0] == expert.pk) if first else (expert.pk in panel[1:]):
            return seed
    return 20211101


def _scores(review_round: ReviewRound, index: int) -> dict[str, str]:
    """Every section's score and comment, and the opinion form (专家评审意见表) of expert ``index``."""
    data: dict[str, str] = {}
    for section in review_round.scheme.sections.all():
        data["score_{}".format(section.pk)] = SCORES[index]
        data["comment_{}".format(section.pk)] = "{}：措施基本可行，建议细化量化指标与责任分工。".format(
            section.title_zh
        )
    data["opinion"] = "策划方案目标明确，装配率、建筑垃圾减量与绿色建材目标满足试点要求，措施总体可行。"
    data["recommendation"] = RECOMMENDATIONS[index]
    data["revision_requirements"] = REQUIREMENTS[index]
    data["declaration"] = "on"
    return data


def _seats(review_round: ReviewRound) -> list[PanelSeat]:
    return list(PanelSeat.objects.filter(round=review_round).exclude(response="declined").order_by("order"))


@transaction.atomic
def seed_reviews(bureau: User) -> int:
    """Returns the number of review rounds created."""
    experts = _pool()
    if ReviewRound.objects.filter(panel_size=5).exists():  # the plans demo's rounds have three seats
        return 0
    plans = _submitted_plans(bureau, 2)
    created = 0
    if plans:  # a concluded review: one decline and its replacement, five scores, "pass"
        plan = plans[0]
        review_round = services.draw_panel(
            actor=bureau,
            plan_id=plan.pk,
            panel_size=5,
            seed=_seed_with(plan, experts["expert"], first=True, required=("prefabrication",)),
            required_specialties=["prefabrication"],
        )
        decliner = _seats(review_round)[-1]
        services.respond_to_seat(
            actor=decliner.expert, seat_id=decliner.pk, accept=False, conflict=True, note="本人曾为该项目提供设计咨询。"
        )
        for seat in _seats(review_round):
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
        leader = next(s for s in _seats(review_round) if s.expert_id == experts["expert"].pk)
        services.appoint_leader(actor=bureau, round_id=review_round.pk, seat_id=leader.pk)
        for index, seat in enumerate(_seats(review_round)):
            services.save_scores(actor=seat.expert, seat_id=seat.pk, data=_scores(review_round, index), submit=True)
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
            actor=bureau, plan_id=plan.pk, panel_size=5, seed=_seed_with(plan, experts["expert"], first=False)
        )
        for seat in _seats(review_round):
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
        others = [s for s in _seats(review_round) if s.expert_id != experts["expert"].pk]
        services.appoint_leader(actor=bureau, round_id=review_round.pk, seat_id=others[0].pk)
        for index, seat in enumerate(others[:3]):
            services.save_scores(actor=seat.expert, seat_id=seat.pk, data=_scores(review_round, index), submit=True)
        created += 1
    return created
