"""What other apps read of the completion app: the result of record per pilot
(:func:`completion_results`), the rows of an evaluation, the costs and lessons, the project panel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from greenbuild.completion.choices import CRITERION_STATUS_LABELS, EvaluationStatus, Verdict
from greenbuild.completion.models import CompletionEvaluation, IncrementalCost, Lesson

PROVISIONAL_LABEL = gettext_lazy("Provisional: not yet accepted by the bureau")


@dataclass(frozen=True)
class CompletionResult:
    """A pilot's completion result of record.

    ``is_final``: the bureau's conclusion is recorded (accepted or not accepted); otherwise the
    result is provisional (an evaluation under way, or the live values against the current scheme
    when none is started) and every page, PDF and export shows it labelled (:attr:`label`).
    ``verdict`` is None when the pilot has no completion scorecard yet.
    """

    project_id: int
    evaluation_id: int | None
    status: str | None  # the evaluation's status, None without one
    verdict: str | None  # met / not_met / incomplete
    score: Decimal | None
    achieved: dict[str, Any]
    targets: dict[str, Any]
    rows: list[dict[str, Any]]
    is_final: bool
    accepted: bool
    scheme_version: int | None
    baseline_version: int | None
    star_provisional: bool = False
    missed: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "" if self.is_final else str(PROVISIONAL_LABEL)

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label) if self.verdict in Verdict.values else "—"


def _from_evaluation(evaluation: CompletionEvaluation) -> CompletionResult:
    rows = list((evaluation.outcome or {}).get("rows", []))
    return CompletionResult(
        project_id=evaluation.project_id,
        evaluation_id=evaluation.pk,
        status=evaluation.status,
        verdict=evaluation.verdict,
        score=evaluation.score,
        achieved=evaluation.achieved,
        targets=evaluation.targets,
        rows=rows,
        is_final=evaluation.is_final,
        accepted=evaluation.status == EvaluationStatus.ACCEPTED,
        scheme_version=evaluation.scheme.version,
        baseline_version=evaluation.baseline_version,
        star_provisional=evaluation.star_provisional,
        missed=[row["code"] for row in rows if row.get("status") == "missed"],
    )


def _live(project: Any, scheme: Any) -> CompletionResult:
    from greenbuild.completion.gather import completion_scorecard, gather, to_achieved, to_targets
    from greenbuild.completion.verdict import evaluate

    scorecard = completion_scorecard(project)
    if scorecard is None or scheme is None:
        return CompletionResult(project.pk, None, None, None, None, {}, {}, [], False, False, None, None)
    achieved, targets, version, provisional = gather(project, scorecard)
    outcome = evaluate(scheme.as_data(), to_achieved(achieved), to_targets(targets)).as_json()
    return CompletionResult(
        project_id=project.pk,
        evaluation_id=None,
        status=None,
        verdict=outcome["verdict"],
        score=None if outcome["score"] is None else Decimal(outcome["score"]),
        achieved=achieved,
        targets=targets,
        rows=outcome["rows"],
        is_final=False,
        accepted=False,
        scheme_version=scheme.version,
        baseline_version=version,
        star_provisional=provisional,
        missed=[row["code"] for row in outcome["rows"] if row["status"] == "missed"],
    )


def latest_evaluations(project_ids: list[int]) -> dict[int, CompletionEvaluation]:
    """Per project, its evaluation of record: the accepted one, else the latest."""
    found: dict[int, CompletionEvaluation] = {}
    for evaluation in (
        CompletionEvaluation.objects.filter(project_id__in=project_ids)
        .select_related("scheme")
        .order_by("-created_at", "-pk")
    ):
        current = found.get(evaluation.project_id)
        if current is None or (
            evaluation.status == EvaluationStatus.ACCEPTED and current.status != EvaluationStatus.ACCEPTED
        ):
            found[evaluation.project_id] = evaluation
    return found


def completion_results(projects: Any) -> dict[int, CompletionResult]:
    """THE completion result of each project (no gate: callers read through their own).

    The evaluation of record (accepted first, else the latest) when there is one; else the live
    values against the current scheme, provisional; a project without a completion scorecard has
    ``verdict`` None."""
    from greenbuild.completion.services import current_scheme

    projects = list(projects)
    evaluations = latest_evaluations([p.pk for p in projects])
    scheme = None
    results: dict[int, CompletionResult] = {}
    for project in projects:
        evaluation = evaluations.get(project.pk)
        if evaluation is not None:
            results[project.pk] = _from_evaluation(evaluation)
            continue
        if scheme is None:
            scheme = current_scheme()
        results[project.pk] = _live(project, scheme)
    return results


def shown_value(indicator: str, text: str) -> str:
    """A value of the comparison in the reader's language: star levels by their names, yes/no,
    EPC and consulting, BIM stages."""
    from greenbuild.projects.choices import StarLevel

    if text in StarLevel.values:  # a star level, whatever the indicator (older rows name none)
        return str(StarLevel(text).label)
    from greenbuild.plans.choices import BimStage

    words = {
        "yes": gettext("Yes"),
        "no": gettext("No"),
        "consulting": gettext("whole-process consulting"),
        "EPC": gettext("EPC"),
        **{stage.value: str(stage.label) for stage in BimStage},
    }
    # every code word of the stored text ("EPC no / consulting yes", "construction, design") in words
    return re.sub(r"[A-Za-z_]+", lambda match: words.get(match.group(0), match.group(0)), str(text))


def outcome_rows(evaluation: CompletionEvaluation) -> list[dict[str, Any]]:
    """The evaluation's comparison rows with the criterion titles and status labels to show."""
    titles = evaluation.scheme.criterion_titles()
    rows = []
    for row in (evaluation.outcome or {}).get("rows", []):
        rows.append(
            {
                **row,
                "title": titles.get(row["code"], row["code"]),
                "achieved": shown_value(row["indicator"], row["achieved"]),
                "target": shown_value(row["indicator"], row["target"]),
                "status_label": str(CRITERION_STATUS_LABELS.get(row["status"], row["status"])),
            }
        )
    return rows


@dataclass(frozen=True)
class CostSummary:
    rows: list[IncrementalCost]
    total_yuan: Decimal
    floor_area_m2: Decimal | None
    per_m2_yuan: Decimal | None


def cost_summary(project: Any) -> CostSummary:
    """The owner's incremental costs, their total and the total per m² of gross floor area."""
    rows = list(IncrementalCost.objects.filter(project=project).order_by("pk"))
    total = sum((row.amount_yuan for row in rows), Decimal(0))
    area = project.total_gfa_m2
    per_m2 = (total / area).quantize(Decimal("0.01")) if area else None
    return CostSummary(rows=rows, total_yuan=total, floor_area_m2=area, per_m2_yuan=per_m2)


def per_m2(amount: Decimal, area: Decimal | None) -> Decimal | None:
    return (amount / area).quantize(Decimal("0.01")) if area else None


def lessons_of(project: Any) -> list[Lesson]:
    return list(Lesson.objects.filter(project=project).select_related("filed_by").order_by("pk"))


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The completion card of the project page: the result of record (labelled when provisional),
    costs and lessons, for readers of the project's internal pages."""
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.completion.permissions import can_report
    from greenbuild.projects.permissions import can as can_project

    if not can_project(request.user, "view_internal", project):
        return None
    evaluation = latest_evaluations([project.pk]).get(project.pk)
    if evaluation is None and project.status != "confirmed":
        return None
    return {
        "completion_evaluation": evaluation,
        "completion_costs": cost_summary(project),
        "completion_lesson_count": Lesson.objects.filter(project=project).count(),
        "completion_may_report": can_report(request.user, project),
        "completion_may_start": evaluation is None and project.status == "confirmed" and is_bureau_admin(request.user),
        "completion_provisional_label": PROVISIONAL_LABEL,
    }


def gettext_verdict(verdict: str | None) -> str:
    return str(Verdict(verdict).label) if verdict in Verdict.values else gettext("No completion scorecard yet")
