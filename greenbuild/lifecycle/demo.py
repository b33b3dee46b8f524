"""The demo's baselines and steps, through the real services (idempotent).

``pass_review_for_demo`` walks a candidate's plan through review before the projects demo
confirms it (issue 13 item 5); ``seed_lifecycle`` adds the department reviewers of the
development and reform commission and the housing bureau, takes the steps of the confirmed
pilots forward across departments and leaves one baseline change request for the bureau.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ItemStatus, StepStatus
from greenbuild.lifecycle.models import BaselineChangeRequest, ProjectStep
from greenbuild.lifecycle.selectors import current_baseline
from greenbuild.projects.choices import ProjectStatus
from greenbuild.reference.models import Department

#: (username, display name, organisation name, department code)
REVIEWERS = (
    ("fgw", "陈刚（发展和改革委员会）", "常州市发展和改革委员会", "development-reform"),
    ("zjj", "吴婷（住房和城乡建设局）", "常州市住房和城乡建设局（建设管理处）", "housing-construction"),
)


def pass_review_for_demo(project: Any, owner: User, bureau: User, index: int = 0) -> None:
    """The plan of a candidate passes review (every other one with revisions) before it is confirmed."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PASSED_STATUSES, PlanStatus
    from greenbuild.plans.demo import _walk

    plan = plan_services.start_plan(actor=owner, project=project)
    if plan.status in PASSED_STATUSES:
        return
    _walk(plan, PlanStatus.PASSED if index % 2 == 0 else PlanStatus.PASSED_WITH_REVISIONS, owner, bureau)


def _reviewers() -> dict[str, User]:
    from greenbuild.projects.demo import DEMO_PASSWORD

    users = {}
    for username, display, org_name, code in REVIEWERS:
        organisation, _ = Organisation.objects.get_or_create(
            name=org_name,
            defaults={"kind": OrganisationKind.DEPARTMENT, "credit_code": _credit_code(username)},
        )
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            role=Role.DEPARTMENT_REVIEWER,
            defaults={"department": Department.objects.get(code=code)},
        )
        users[code] = user
    return users


def _credit_code(username: str) -> str:
    from greenbuild.core.credit_code import make_credit_code

    return make_credit_code("11320400{:09d}".format(sum(ord(c) for c in username) * 7919))


def _write_and_sign(step: ProjectStep, reviewer: User, action: str = "approve", comment: str = "") -> None:
    for item in step.items.filter(status=ItemStatus.OPEN).select_related("guideline_item"):
        services.write_item(
            actor=reviewer,
            item_id=item.pk,
            status=ItemStatus.WRITTEN,
            note="已将“{}”写入{}。".format(item.guideline_item.code, step.type.instrument_zh),
        )
    services.sign_step(actor=reviewer, step_id=step.pk, action=action, comment=comment)


@transaction.atomic
def seed_lifecycle(bureau: User) -> int:
    """Take the confirmed pilots' steps forward; returns the number of steps signed."""
    reviewers = _reviewers()
    nrp = User.objects.filter(username="nrp").first()
    if nrp is not None:
        reviewers["natural-resources-planning"] = nrp
    pilots = list(_pilots())
    signed = 0
    for index, project in enumerate(pilots):
        if (
            ProjectStep.objects.filter(project=project)
            .exclude(status__in=[StepStatus.PENDING, StepStatus.OPEN])
            .exists()
        ):
            continue  # seeded already
        services.open_steps(actor=bureau, project=project)
        depth = [1, 2, 4, 7, 0][index % 5]  # how many parallel groups this pilot has passed
        for _group in range(depth):
            for step in ProjectStep.objects.filter(project=project, status=StepStatus.OPEN).select_related("type"):
                reviewer = reviewers.get(step.type.department.code)
                if reviewer is None:
                    continue
                with_conditions = step.type.code in ("land_transfer", "drawing_review")
                _write_and_sign(
                    step,
                    reviewer,
                    "approve_with_conditions" if with_conditions else "approve",
                    "施工图阶段须补充装配式专项设计说明。" if with_conditions else "",
                )
                signed += 1
        if index == 2:  # one step returned, waiting for the owner
            step = ProjectStep.objects.filter(project=project, status=StepStatus.OPEN).select_related("type").first()
            reviewer = reviewers.get(step.type.department.code) if step else None
            if reviewer is not None:
                services.sign_step(
                    actor=reviewer,
                    step_id=step.pk,
                    action="return",
                    comment="绿色建造技术指标未写入，请补充后重新报送。",
                )
    _change_requests(pilots, bureau)
    return signed


def _pilots() -> Any:
    from greenbuild.projects.models import Project

    return Project.objects.filter(status=ProjectStatus.CONFIRMED, baselines__isnull=False).distinct().order_by("pk")


def _owner_of(project: Any) -> User | None:
    return User.objects.filter(memberships__organisation=project.owner, memberships__role=Role.OWNER_APPLICANT).first()


def _change_requests(pilots: list[Any], bureau: User) -> None:
    """One approved change (the baseline has two versions) and one waiting for the bureau."""
    if BaselineChangeRequest.objects.exists() or len(pilots) < 2:
        return
    for project, decide in ((pilots[0], True), (pilots[1], False)):
        owner = _owner_of(project)
        baseline = current_baseline(project)
        if owner is None or baseline is None:
            continue
        targets = {**baseline.targets, "waste_t_per_10k_m2": "200"}
        request = services.request_baseline_change(
            actor=owner,
            project_id=project.pk,
            reasons="主体结构由现浇改为装配式后，拆除与切割废料测算调整，申请将建筑垃圾排放目标调整为200吨/万平方米。",
            targets=targets,
        )
        if decide:
            services.decide_baseline_change(
                actor=bureau, request_id=request.pk, action="approve", comment="经复核，同意调整。"
            )
