"""Every write of the completion app: scheme versions, evaluations and their moves, costs, lessons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.completion import permissions
from greenbuild.completion.choices import FINAL_STATUSES, EvaluationStatus
from greenbuild.completion.gather import gather, require_completion_scorecard, to_achieved, to_targets
from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, IncrementalCost, Lesson
from greenbuild.completion.verdict import evaluate, validate_criteria
from greenbuild.completion.workflow import EVALUATION_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import apply_move

EVALUATION_REPORT = "completion.evaluation_report"
ACCEPTANCE_LETTER = "completion.acceptance_letter"


# --- the scheme ---------------------------------------------------------------------------------


def current_scheme() -> EvaluationScheme | None:
    return EvaluationScheme.objects.order_by("-version").first()


@transaction.atomic
def new_scheme_version(*, actor: Any, data: dict[str, Any]) -> EvaluationScheme:
    """A new version of the scheme (the bureau's "edit"): the earlier versions stay as they were."""
    if not permissions.can_scheme(actor, "create", None):
        raise ActionForbidden()
    problems = validate_criteria(data.get("criteria"), gettext)
    if problems:
        raise DomainError(
            gettext("The criteria are not usable: {problems}").format(problems="; ".join(problems)), field="criteria"
        )
    last = EvaluationScheme.objects.select_for_update().order_by("-version").first()
    if last is not None and (
        last.name == data["name"]
        and last.rules == data["rules"]
        and last.method == data["method"]
        and last.criteria == data["criteria"]
        and last.pass_score == Decimal(str(data["pass_score"]))
    ):  # the form posted back as shown: no new version
        raise DomainError(gettext("Nothing differs from the version in force: change the scheme first."))
    scheme = EvaluationScheme(
        version=(last.version + 1) if last else 1,
        name=data["name"],
        rules=data["rules"],
        method=data["method"],
        criteria=data["criteria"],
        pass_score=Decimal(str(data["pass_score"])),
        note=data.get("note", ""),
        created_by=actor,
    )
    set_history_user(scheme, actor)
    scheme.save()
    return scheme


# --- the evaluation -----------------------------------------------------------------------------


def _compute(evaluation: CompletionEvaluation) -> None:
    achieved, targets, version, provisional = gather(evaluation.project, evaluation.scorecard)
    outcome = evaluate(evaluation.scheme.as_data(), to_achieved(achieved), to_targets(targets))
    evaluation.achieved = achieved
    evaluation.targets = targets
    evaluation.baseline_version = version
    evaluation.star_provisional = provisional
    evaluation.outcome = outcome.as_json()
    evaluation.verdict = outcome.verdict
    evaluation.score = outcome.score
    evaluation.gathered_at = timezone.now()


@transaction.atomic
def start_evaluation(*, actor: Any, project: Any) -> CompletionEvaluation:
    """The bureau starts the completion evaluation of a confirmed pilot; refused (nothing saved)
    without a completion scorecard, without a scheme, or while an evaluation is open or accepted."""
    from greenbuild.projects.models import Project

    if not is_bureau_admin(actor):
        raise ActionForbidden()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != "confirmed":
        raise DomainError(gettext("Only a confirmed pilot is evaluated at completion."))
    scorecard = require_completion_scorecard(project)
    scheme = current_scheme()
    if scheme is None:
        raise DomainError(gettext("There is no evaluation scheme yet."))
    if CompletionEvaluation.objects.filter(project=project).exclude(status=EvaluationStatus.NOT_ACCEPTED).exists():
        raise DomainError(gettext("The project already has a completion evaluation."))
    evaluation = CompletionEvaluation(project=project, scheme=scheme, scorecard=scorecard, created_by=actor)
    _compute(evaluation)
    set_history_user(evaluation, actor)
    evaluation.save()
    return evaluation


@transaction.atomic
def refresh_values(*, actor: Any, evaluation_id: int) -> CompletionEvaluation:
    """Gather the achieved values again (while the evaluation is a draft)."""
    evaluation: CompletionEvaluation = CompletionEvaluation.objects.select_for_update().get(pk=evaluation_id)
    if not permissions.can(actor, "refresh", evaluation):
        raise ActionForbidden()
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError(gettext("The values are gathered again only while the evaluation is a draft."))
    evaluation.scorecard = require_completion_scorecard(evaluation.project)
    _compute(evaluation)
    set_history_user(evaluation, actor)
    evaluation.save()
    return evaluation


@transaction.atomic
def appoint_panel(*, actor: Any, evaluation_id: int, leader: Any, members: list[Any]) -> CompletionEvaluation:
    from greenbuild.accounts.choices import Role
    from greenbuild.accounts.roles import has_role

    evaluation: CompletionEvaluation = CompletionEvaluation.objects.select_for_update().get(pk=evaluation_id)
    if not permissions.can(actor, "change", evaluation):
        raise ActionForbidden()
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError(gettext("The panel is appointed while the evaluation is a draft."))
    people = [leader, *[m for m in members if m.pk != leader.pk]]
    if any(not has_role(person, Role.EXPERT) for person in people):
        raise DomainError(gettext("Every panel member must be an expert."), field="leader")
    if evaluation.panel_leader_id == leader.pk and set(evaluation.panel_members.values_list("pk", flat=True)) == {
        p.pk for p in people
    }:
        return evaluation  # the form posted back as shown changes nothing
    evaluation.panel_leader = leader
    set_history_user(evaluation, actor)
    evaluation.save(update_fields=["panel_leader", "updated_at"])
    evaluation.panel_members.set(people)
    return evaluation


def move(*, actor: Any, evaluation_id: int, action: str, comment: str = "") -> Any:
    """Any move of the table; ``accept`` and ``conclude_panel`` have their own services."""
    if action == "accept":
        return accept(actor=actor, evaluation_id=evaluation_id, comment=comment)
    if action == "conclude_panel":
        raise DomainError(gettext("The panel's conclusion is recorded with its form."))
    with transaction.atomic():
        transition = apply_move(
            workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation_id, action=action, comment=comment
        )
        if action == "reject":
            _issue(actor, transition.evaluation, EVALUATION_REPORT)
        return transition


@transaction.atomic
def conclude_panel(*, actor: Any, evaluation_id: int, verdict: str, opinion: str) -> Any:
    from greenbuild.completion.choices import PanelVerdict

    evaluation: CompletionEvaluation = CompletionEvaluation.objects.select_for_update().get(pk=evaluation_id)
    if not EVALUATION_WORKFLOW.may_see(actor, evaluation):
        raise ActionForbidden()
    if not permissions.can(actor, "conclude_panel", evaluation):
        raise ActionForbidden()
    if evaluation.status != EvaluationStatus.PANEL:
        raise DomainError(gettext("The panel concludes while the evaluation is with it."))
    if verdict not in PanelVerdict.values:
        raise DomainError(gettext("Choose the panel's conclusion."), field="verdict")
    if not (opinion or "").strip():
        raise DomainError(gettext("Write the panel's opinion."), field="opinion")
    evaluation.panel_verdict = verdict
    evaluation.panel_opinion = opinion.strip()
    set_history_user(evaluation, actor)
    evaluation.save(update_fields=["panel_verdict", "panel_opinion", "updated_at"])
    return apply_move(
        workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation.pk, action="conclude_panel", comment=""
    )


def accept(*, actor: Any, evaluation_id: int, comment: str) -> Any:
    """The bureau accepts: the move (its guards read the comparison and the public notice), then the
    evaluation report and the acceptance letter are issued, in one transaction; after the commit
    ``completion_accepted`` is sent."""
    from greenbuild.completion.signals import completion_accepted

    with transaction.atomic():
        transition = apply_move(
            workflow=EVALUATION_WORKFLOW, actor=actor, obj_or_pk=evaluation_id, action="accept", comment=comment
        )
        evaluation = transition.evaluation
        _issue(actor, evaluation, EVALUATION_REPORT)
        _issue(actor, evaluation, ACCEPTANCE_LETTER)
        transaction.on_commit(
            lambda: completion_accepted.send(sender=CompletionEvaluation, evaluation=evaluation, actor=actor)
        )
    return transition


def _issue(actor: Any, evaluation: CompletionEvaluation, kind: str) -> Any:
    from greenbuild.documents.services import issue_document

    document, _created = issue_document(actor=actor, kind=kind, object_id=evaluation.pk)
    return document


# --- costs and lessons --------------------------------------------------------------------------


def _owner_project(actor: Any, project_id: int) -> Any:
    from greenbuild.projects.models import Project

    project = Project.objects.select_for_update().get(pk=project_id)
    if not permissions.can_report(actor, project):
        raise ActionForbidden()
    return project


@transaction.atomic
def report_cost(*, actor: Any, project_id: int, data: dict[str, Any]) -> IncrementalCost:
    project = _owner_project(actor, project_id)
    cost = IncrementalCost(project=project, reported_by=actor, **data)
    set_history_user(cost, actor)
    cost.full_clean()
    same: IncrementalCost | None = IncrementalCost.objects.filter(
        project=project,
        measure=cost.measure,
        guideline_code=cost.guideline_code,
        amount_yuan=cost.amount_yuan,
        note=cost.note,
    ).first()
    if same is not None:  # the same report sent twice (a doubled post) is kept once
        return same
    cost.save()
    return cost


@transaction.atomic
def remove_cost(*, actor: Any, cost_id: int) -> None:
    cost = IncrementalCost.objects.select_for_update().select_related("project").get(pk=cost_id)
    _owner_project(actor, cost.project_id)
    set_history_user(cost, actor)
    cost.delete()


@transaction.atomic
def file_lesson(*, actor: Any, project_id: int, data: dict[str, Any]) -> Lesson:
    project = _owner_project(actor, project_id)
    lesson = Lesson(project=project, filed_by=actor, **data)
    set_history_user(lesson, actor)
    lesson.full_clean()
    same: Lesson | None = Lesson.objects.filter(
        project=project, topic=lesson.topic, title=lesson.title, body=lesson.body
    ).first()
    if same is not None:  # the same lesson sent twice (a doubled post) is kept once
        return same
    lesson.save()
    return lesson


def is_final(evaluation: CompletionEvaluation) -> bool:
    return evaluation.status in FINAL_STATUSES
