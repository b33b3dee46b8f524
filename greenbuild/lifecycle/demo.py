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
    ("czj", "孙敏（财政局）", "常州市财政局", "finance"),
)


def pass_review_for_demo(project: Any, owner: User, bureau: User, index: int = 0) -> None:
    """The plan of a candidate passes review (every other one with revisions, revised and verified)
    before it is confirmed."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PASSED_STATUSES, PlanStatus
    from greenbuild.plans.demo import PASSED_AFTER_REVISION, _walk

    plan = plan_services.start_plan(actor=owner, project=project)
    if plan.status in PASSED_STATUSES:
        return
    _walk(plan, PlanStatus.PASSED if index % 2 == 0 else PASSED_AFTER_REVISION, owner, bureau)


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


def _instrument(step: ProjectStep) -> Any:
    """The signed instrument the department files with its approval (a small PDF)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "%PDF-1.4\n% {} · {}\n%%EOF\n".format(step.type.instrument_zh, step.project.name).encode()
    return SimpleUploadedFile("{}.pdf".format(step.type.instrument_zh), body, content_type="application/pdf")


def _write_and_sign(step: ProjectStep, reviewer: User, action: str = "approve", comment: str = "") -> None:
    for item in step.items.filter(status=ItemStatus.OPEN).select_related("guideline_item"):
        services.write_item(
            actor=reviewer,
            item_id=item.pk,
            status=ItemStatus.WRITTEN,
            note="已将“{}”写入{}。".format(item.guideline_item.code, step.type.instrument_zh),
        )
    services.sign_step(
        actor=reviewer,
        step_id=step.pk,
        action=action,
        comment=comment,
        instrument_file=_instrument(step) if action != "return" else None,
    )


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
                if reviewer is None or (step.type.code == "finance_budget" and index % 5 == 1):
                    continue  # one budget review waits on 财政局's page (REV-23)
                with_conditions = step.type.code in ("land_transfer", "drawing_review")
                _write_and_sign(
                    step,
                    reviewer,
                    "approve_with_conditions" if with_conditions else "approve",
                    CONDITIONS if with_conditions else "",
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
    _conditions_followed_up(pilots, reviewers)
    _returned_and_resubmitted(pilots, reviewers)
    _change_requests(pilots, bureau)
    return signed


#: an approval with conditions: one condition per line, each tracked to closure
CONDITIONS = "施工图阶段须补充装配式专项设计说明。\n绿色建材应用清单随施工图一并报审。"


def _conditions_followed_up(pilots: list[Any], reviewers: dict[str, User]) -> None:
    """The owner of the first pilot with conditions (of an open programme) answers them; the
    department confirms the first and the second waits for its confirmation (each in someone's
    待办); the other pilots' conditions wait for their owners."""
    from greenbuild.lifecycle.choices import ConditionStatus
    from greenbuild.lifecycle.models import StepCondition
    from greenbuild.notifications.services import ended_programme_ids

    if StepCondition.objects.exclude(status=ConditionStatus.OPEN).exists():
        return  # seeded already
    ended = ended_programme_ids()  # an ended programme's to-dos are archived: show an open one's
    for project in sorted(pilots, key=lambda p: p.programme_id in ended):
        rows = list(
            StepCondition.objects.filter(step__project=project, status=ConditionStatus.OPEN)
            .select_related("step__type__department")
            .order_by("step__type__order", "number")
        )
        owner = _owner_of(project)
        if not rows or owner is None:
            continue
        for row in rows:
            services.answer_condition(
                actor=owner, condition_id=row.pk, answer="已落实：{}（见补充材料）".format(row.text.rstrip("。"))
            )
        reviewer = reviewers.get(rows[0].step.type.department.code)
        if reviewer is not None:
            services.review_condition(actor=reviewer, condition_id=rows[0].pk, accept=True)
        return


def _returned_and_resubmitted(pilots: list[Any], reviewers: dict[str, User]) -> None:
    """REV-05 on two pilots of an open programme (an ended programme's to-dos are archived): on
    the first a step was returned, the owner supplemented a document and answered, and it waits
    again for its department; on the second a step is returned and waits in the owner's 待办 as
    "补充后重新报送"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenbuild.notifications.services import ended_programme_ids

    ended = ended_programme_ids()
    current = [p for p in pilots if p.programme_id not in ended]
    if ProjectStep.objects.filter(project__in=current, transitions__to_status=StepStatus.RETURNED).exists():
        return  # seeded already
    for position, project in enumerate(current[:2]):
        step = ProjectStep.objects.filter(project=project, status=StepStatus.OPEN).select_related("type").first()
        owner = _owner_of(project)
        reviewer = reviewers.get(step.type.department.code) if step else None
        if step is None or owner is None or reviewer is None:
            continue
        services.sign_step(
            actor=reviewer, step_id=step.pk, action="return", comment="缺少绿色建造增量成本测算，请补充后重新报送。"
        )
        if position == 0:
            services.resubmit_step(
                actor=owner,
                step_id=step.pk,
                answer="已补充绿色建造增量成本测算表（见附件）。",
                files=[
                    SimpleUploadedFile("绿色建造增量成本测算.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
                ],
            )


def _pilots() -> Any:
    from greenbuild.projects.models import Project

    return Project.objects.filter(status=ProjectStatus.CONFIRMED, baselines__isnull=False).distinct().order_by("pk")


def _owner_of(project: Any) -> User | None:
    return User.objects.filter(memberships__organisation=project.owner, memberships__role=Role.OWNER_APPLICANT).first()


def _change_requests(pilots: list[Any], bureau: User) -> None:
    """One approved change (the baseline has two versions, v2 from the change request) and one
    waiting for the bureau that would break R9 (an assembly rate moved to 45 %): its page shows
    the verdicts with and without it, and only an approval as an exception is offered."""
    if BaselineChangeRequest.objects.exists() or len(pilots) < 2:
        return
    for project, decide in ((pilots[0], True), (pilots[1], False)):
        owner = _owner_of(project)
        baseline = current_baseline(project)
        if owner is None or baseline is None:
            continue
        if decide:
            request = services.request_baseline_change(
                actor=owner,
                project_id=project.pk,
                reasons="主体结构由现浇改为装配式后，拆除与切割废料测算调整，申请将建筑垃圾排放目标调整为200吨/万平方米。",
                targets={**baseline.targets, "waste_t_per_10k_m2": "200"},
            )
            services.decide_baseline_change(
                actor=bureau, request_id=request.pk, action="approve", comment="经复核，同意调整。"
            )
            continue
        rates = dict(baseline.targets.get("assembly_rate_pct_by_building") or {})
        first = project.buildings.order_by("pk").first()
        if first is None:
            continue
        rates[str(first.pk)] = "45"
        services.request_baseline_change(
            actor=owner,
            project_id=project.pk,
            reasons="{}的地下室及裙房改为现浇，申请将其装配率目标调整为45%。".format(first.name),
            targets={**baseline.targets, "assembly_rate_pct_by_building": rates},
        )
