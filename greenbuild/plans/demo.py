"""Demo plans in every state, through the real services (idempotent: a project with a plan is skipped).

Every concluded plan is concluded by its review round (a drawn panel, every expert's submitted
scores and opinion, the leader's conclusion); a 修改后通过 goes on to the owner's revision and its
verification (复核), and only then is the pilot confirmed. ``conclude_through_review`` is the
shared way for tests to reach a concluded plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.plans import services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.models import GreenPlan
from greenbuild.projects.choices import ProjectStatus


def complete_data(project: Any, guideline: Any, **targets: Any) -> dict[str, Any]:
    """A plan that passes its self-check (``targets`` overrides some targets)."""
    from greenbuild.guidelines.selectors import measure_items

    measures = {
        item.code: "按导则{}落实：{}（责任单位：工程总承包单位）。".format(item.code, item.text_zh[:30])
        for item in measure_items(guideline)
    }
    data = {
        "targets": {
            "star_level": "two_star" if project.category.is_building else "",
            "assembly_rate_pct_by_building": {str(b.pk): "60" for b in project.buildings.all()},
            "waste_t_per_10k_m2": "180",
            "green_material_pct": "60",
            "carbon_kgco2e_per_m2": None,
        },
        "measures": measures,
        "technologies": ["T-01", "T-04", "T-05", "T-10"],
        "bim_plan": {
            "stages": ["design", "production", "construction"],
            "text": "设计阶段BIM正向设计，生产阶段构件深化与排产，施工阶段进度与质量管理。",
        },
        "smart_site_plan": {
            "smart_site": "智慧工地平台：人员实名制、塔吊监测、扬尘噪声监测。",
            "equipment": "测量机器人、地坪整平机器人、智能喷涂机器人。",
        },
        "organisation_mode": "epc",
    }
    data["targets"].update(targets)
    return data


#: a demo target beyond the plan's states: passed with revisions, revised, verified → passed
PASSED_AFTER_REVISION = "passed_after_revision"

#: the state each demo plan is taken to, in the order of the projects chosen
CONFIRMED_STATES = (S.PASSED, PASSED_AFTER_REVISION)
OTHER_STATES = (
    S.SUBMITTED,  # the reviews demo concludes one round on it ...
    S.SUBMITTED,  # ... and leaves one scoring, with ``expert`` still to score
    S.CLARIFICATION,
    S.PASSED_WITH_REVISIONS,
    S.REVISION_SUBMITTED,
    S.REVISE,
    S.IN_REVIEW,
    S.FAILED,
    S.DRAFT,
)

#: the section score each expert gives, by the conclusion the panel reaches (inside the default
#: score bands: ≥ 80 pass, 60–79.99 pass with revisions or revise, < 60 fail)
SCORE_FOR = {S.PASSED: "9", S.PASSED_WITH_REVISIONS: "7.5", S.REVISE: "6.5", S.FAILED: "4"}
REQUIREMENTS = [
    "补充各单体建筑装配率计算书，并与结构施工图核对一致。",
    "细化建筑垃圾减量化措施，明确分类收集与资源化利用去向。",
    "明确智慧工地设备配置清单与BIM成果交付标准。",
]


def _owner_of(project: Any) -> User | None:
    return User.objects.filter(memberships__organisation=project.owner, memberships__role=Role.OWNER_APPLICANT).first()


def _ensure_pool(plan: GreenPlan) -> None:
    """At least three experts free of conflicts with the plan's project (the demo's pool)."""
    from greenbuild.reviews import services as review_services

    if len(review_services.expert_candidates()) < 6:
        from greenbuild.reviews.demo import _pool

        _pool()


def open_round(plan: GreenPlan, bureau: User, *, accept: bool = True) -> Any:
    """Draw a panel of three for the submitted ``plan`` (the plan goes into review); with
    ``accept`` every drawn expert accepts and the panel gets its leader (appointed or elected, as
    the scheme says): the round is scoring."""
    from greenbuild.reviews import services as review_services
    from greenbuild.reviews.models import PanelSeat

    _ensure_pool(plan)
    review_round = review_services.draw_panel(actor=bureau, plan_id=plan.pk, panel_size=3, seed=20211101 + plan.pk)
    if not accept:
        return review_round
    for seat in PanelSeat.objects.filter(round=review_round).select_related("expert").order_by("order"):
        review_services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    seats = list(
        PanelSeat.objects.filter(round=review_round, response="accepted").select_related("expert").order_by("order")
    )
    if not any(seat.is_leader for seat in seats):
        selection = getattr(review_services, "leader_selection", lambda r: "appointed")(review_round)
        if selection == "elected" and hasattr(review_services, "vote_for_leader"):
            for seat in seats:
                review_services.vote_for_leader(actor=seat.expert, round_id=review_round.pk, seat_id=seats[0].pk)
        elif hasattr(review_services, "appoint_leader"):
            review_services.appoint_leader(actor=bureau, round_id=review_round.pk, seat_id=seats[0].pk)
    review_round.refresh_from_db()
    return review_round


def round_leader(review_round: Any) -> User:
    return review_round.seats.select_related("expert").get(is_leader=True, response="accepted").expert


def score_data(review_round: Any, value: str, recommendation: str) -> dict[str, str]:
    """An expert's full score sheet with the opinion form (专家评审意见表)."""
    data: dict[str, str] = {}
    for section in review_round.scheme.sections.all():
        data["score_{}".format(section.pk)] = value
        data["comment_{}".format(section.pk)] = "{}：措施基本可行。".format(section.title_zh)
    data["opinion"] = "策划方案目标明确，措施基本可行。"
    data["recommendation"] = recommendation
    data["revision_requirements"] = "\n".join(REQUIREMENTS) if recommendation == S.PASSED_WITH_REVISIONS else "无"
    data["declaration"] = "on"
    return data


def conclude_through_review(
    plan: GreenPlan,
    outcome: str,
    *,
    bureau: User,
    reasons: str = "专家组评审结论。",
    requirements: list[str] | None = None,
    deadline: dt.date | None = None,
    review_round: Any = None,
) -> Any:
    """Conclude the plan the only way there is: a drawn panel, every expert's submitted scores,
    the leader's conclusion (``reviews.services.conclude_round``). Returns the round."""
    from greenbuild.reviews import services as review_services
    from greenbuild.reviews.models import PanelSeat

    review_round = review_round or open_round(plan, bureau)
    for seat in PanelSeat.objects.filter(round=review_round, response="accepted", submitted_at__isnull=True).order_by(
        "order"
    ):
        review_services.save_scores(
            actor=seat.expert,
            seat_id=seat.pk,
            data=score_data(review_round, SCORE_FOR[S(outcome)], outcome),
            submit=True,
        )
    extra: dict[str, Any] = {}
    if outcome == S.PASSED_WITH_REVISIONS:
        extra = {
            "requirements": requirements or REQUIREMENTS,
            "revision_deadline": deadline or timezone.localdate() + dt.timedelta(days=30),
        }
    review_services.conclude_round(
        actor=round_leader(review_round), round_id=review_round.pk, conclusion=outcome, reasons=reasons, **extra
    )
    review_round.refresh_from_db()
    return review_round


def _walk(plan: GreenPlan, target: str, owner: User, bureau: User) -> None:
    """Take ``plan`` to ``target`` through the real services: every conclusion through a review
    round with submitted scores; 修改后通过 on to the revision and its verification."""
    from greenbuild.reviews import services as review_services

    project = plan.project
    services.save_plan_draft(actor=owner, plan_id=plan.pk, data=complete_data(project, plan.guideline))
    if target == S.DRAFT:
        return
    services.submit_plan(actor=owner, plan_id=plan.pk, comment="请专家评审。")
    if target == S.SUBMITTED:
        return
    review_round = open_round(plan, bureau, accept=target != S.IN_REVIEW)
    if target == S.IN_REVIEW:
        return
    if target in (S.CLARIFICATION, S.PASSED_WITH_REVISIONS, S.REVISION_SUBMITTED, PASSED_AFTER_REVISION):
        review_services.request_clarification(
            actor=round_leader(review_round),
            round_id=review_round.pk,
            question="请补充各单体装配率计算书，并说明建筑垃圾减量化措施。",
        )
        if target == S.CLARIFICATION:
            return
        data = complete_data(project, plan.guideline, waste_t_per_10k_m2="150", green_material_pct="65")
        services.answer_clarification(
            actor=owner, plan_id=plan.pk, answer="已补充装配率计算书，垃圾减量目标调整为150吨/万平方米。", data=data
        )
    outcome = S.PASSED_WITH_REVISIONS if target in (S.REVISION_SUBMITTED, PASSED_AFTER_REVISION) else target
    review_round = conclude_through_review(plan, outcome, bureau=bureau, review_round=review_round)
    if target not in (S.REVISION_SUBMITTED, PASSED_AFTER_REVISION):
        return
    revised = complete_data(project, plan.guideline, waste_t_per_10k_m2="140", green_material_pct="70")
    services.save_plan_draft(actor=owner, plan_id=plan.pk, data=revised)
    services.submit_revision(actor=owner, plan_id=plan.pk, comment="已按专家组修改要求逐条修改完善。")
    if target == S.REVISION_SUBMITTED:
        return
    plan.refresh_from_db()
    revision = plan.revisions.get(status="submitted")
    verifier = bureau if revision.verifier == "bureau" else round_leader(review_round)
    services.verify_revision(
        actor=verifier,
        plan_id=plan.pk,
        accept=True,
        checks=[True] * len(revision.requirements),
        comment="修改要求均已落实，复核通过。",
    )


def seed_plans(bureau: User) -> int:
    """Plans for the demo projects: passed ones for confirmed pilots, the other states for
    candidates and applications under review. Returns the number of plans created."""
    projects = list(
        GreenPlan.objects.none()
        .model.project.field.related_model.objects.filter(
            status__in=[
                ProjectStatus.CONFIRMED,
                ProjectStatus.CANDIDATE,
                ProjectStatus.RECOMMENDED,
                ProjectStatus.SUBMITTED,
            ]
        )
        .order_by("pk")
    )
    confirmed = [p for p in projects if p.status == ProjectStatus.CONFIRMED]
    # The plans still under way go to the running programme first: an ended programme's to-dos
    # are archived (UI-10), so a revision waiting there would be asked of nobody.
    from greenbuild.notifications.services import ended_programme_ids

    ended = ended_programme_ids()
    others = sorted(
        (p for p in projects if p.status != ProjectStatus.CONFIRMED),
        key=lambda p: (p.programme_id in ended, p.pk),
    )
    chosen = list(zip(confirmed, CONFIRMED_STATES * len(confirmed), strict=False)) + list(
        zip(others, OTHER_STATES, strict=False)
    )
    created = 0
    for project, target in chosen:
        if GreenPlan.objects.filter(project=project).exists():
            continue
        owner = _owner_of(project)
        if owner is None:
            continue
        plan = services.start_plan(actor=owner, project=project)
        _walk(plan, target, owner, bureau)
        created += 1
    return created
