"""What other apps may read of the scoring app (its public read interface)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from greenbuild.scoring.figures import pilot_checks
from greenbuild.scoring.models import ClauseClaim
from greenbuild.scoring.permissions import can
from greenbuild.standards.pilot_checks import RequirementCheck


def project_standards_summary(user: Any, project: Any, request: Any = None) -> dict[str, Any] | None:
    """R7–R14 for the project page, or None when ``user`` may not see the project's scores (with
    ``request``, the checks the page's other cards read too: :func:`page_pilot_checks`)."""
    if not can(user, "view", project):
        return None
    from greenbuild.scoring.freshness import outdated_results

    if request is None:
        latest = current_runs(project)
        checks = pilot_checks(project, latest)
    else:
        latest, checks = page_pilot_checks(request, project)
    return {
        "checks": checks,
        "outdated": outdated_results(latest),
        "record": result_of_record(project),  # the pending claims beside the official R7 (item 7)
    }


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The standards-checks card of the project page (registered in ``ScoringConfig.ready``):
    shown on the internal page to whoever may see the project's scores."""
    from greenbuild.projects.permissions import can as can_project

    if not can_project(request.user, "view_internal", project):
        return None
    summary = project_standards_summary(request.user, project, request)
    return None if summary is None else {"standards": summary}


def page_pilot_checks(request: Any, project: Any) -> tuple[dict[str, Any], tuple[RequirementCheck, ...]]:
    """``(current_runs(project), pilot_checks(project, …))`` computed once for the page being
    rendered, however many of its cards show R7–R14 (the lifecycle and the standards cards of the
    project page): the same runs and records, read twice in one request, gave the same answer.
    Kept on ``request`` only, so nothing outlives the request; each card still asks its own gate
    before it shows them."""
    memo: dict[int, tuple[dict[str, Any], tuple[RequirementCheck, ...]]] = request.__dict__.setdefault(
        "_gb_pilot_checks", {}
    )
    if project.pk not in memo:
        latest = current_runs(project)
        memo[project.pk] = (latest, pilot_checks(project, latest))
    return memo[project.pk]


def unknown_pilot_requirements(project: Any) -> list[str]:
    """The requirements R7–R14 that are still unknown for ``project`` (registered into
    ``greenbuild.projects.hooks`` at app-ready time: confirming such a pilot needs a comment)."""
    from greenbuild.standards.pilot_checks import CheckStatus

    return [
        check.requirement
        for check in pilot_checks(project, current_runs(project))
        if check.status == CheckStatus.UNKNOWN
    ]


def current_runs(project: Any) -> dict[str, Any]:
    """The latest runs that still stand. A reviewed GB/T 50378 run stays the result of record when
    the owner changes a claim after the review (issue 16 item 7): the change is a pending revision
    (:func:`result_of_record`), never the official result."""
    from greenbuild.scoring.figures import latest_runs
    from greenbuild.scoring.freshness import mark_outdated_results

    # Waste, materials and carbon stand only while their records are as they were (item 6).
    return mark_outdated_results(project, latest_runs(project))


def claim_histories(claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each claim's history rows, oldest first (when, who, claimed, accepted, evidence replaced):
    what the reviewer reads of a clause changed since their decision."""
    history: dict[int, list[dict[str, Any]]] = {}
    entries = ClauseClaim.history.filter(id__in=claim_ids).select_related("history_user")
    for entry in entries.order_by("history_date", "history_id"):
        earlier = history.setdefault(entry.id, [])
        earlier.append(
            {
                "at": entry.history_date,
                "who": entry.history_user,
                "claimed": entry.claimed_pass if entry.kind == "control" else entry.claimed_points,
                "accepted": entry.accepted_pass if entry.kind == "control" else entry.accepted_points,
                "evidence_replaced": bool(earlier) and entry.evidence_id != earlier[-1]["evidence_id"],
                "evidence_id": entry.evidence_id,
            }
        )
    return history


# --- the result of record (issue 16 item 7) ------------------------------------------------------


@dataclass(frozen=True)
class ResultOfRecord:
    """A project's GB/T 50378 result of record and what is pending beside it.

    ``official`` is the latest reviewed (accepted) run, completion evaluation before design
    pre-evaluation: the star level and R7 that the standards page, the PDF summary, the open data
    and the API all state. ``pending`` is a claimed run nobody has reviewed yet: the owner's
    change after the review (its claims differ from those the reviewer saw), a later stage filed
    but not reviewed, or, with no review at all, the latest claims. It is shown only labelled as
    provisional ("申报（未评审）") and never replaces the official result.
    """

    official: Any  # ScoreRun | None
    pending: Any  # ScoreRun | None
    r7: RequirementCheck
    pending_r7: RequirementCheck | None

    @property
    def level(self) -> str | None:
        return _run_level(self.official)

    @property
    def pending_level(self) -> str | None:
        return _run_level(self.pending)

    @property
    def stage(self) -> str | None:
        return None if self.official is None else self.official.result.get("stage")

    @property
    def pending_stage(self) -> str | None:
        return None if self.pending is None else self.pending.result.get("stage")


def _run_level(run: Any) -> str | None:
    return None if run is None else run.result.get("level")


def _r7(level: str | None) -> RequirementCheck:
    """R7 for a star level (R7 reads the star level alone), in the language active when shown."""
    from greenbuild.scoring.messages import lazy_render, lazy_requirement_title
    from greenbuild.standards.pilot_checks import PilotFigures, check_pilot

    check = next(c for c in check_pilot(PilotFigures(star_level=level)) if c.requirement == "R7")
    if check.message is None:
        return check
    return dataclasses.replace(
        check,
        title=lazy_requirement_title(check.requirement, check.title),
        reason=lazy_render(check.message, check.reason),
    )


def _newer(run: Any, other: Any) -> bool:
    return (run.at, run.pk) > (other.at, other.pk)


def _result_from_runs(runs: list[Any]) -> ResultOfRecord:
    """The rule itself, over one project's GB/T 50378 runs, newest first."""
    from greenbuild.scoring.choices import Basis, Stage
    from greenbuild.scoring.figures import star_level_run

    latest: dict[str, Any] = {}
    for run in runs:
        latest.setdefault("gbt50378:{}:{}".format(run.scorecard.stage, run.basis), run)
    official = star_level_run(latest)
    pending = None
    for stage in (Stage.EVALUATION, Stage.PRE_EVALUATION):
        claimed = latest.get("gbt50378:{}:{}".format(stage, Basis.CLAIMED))
        if official is None or stage != official.scorecard.stage:
            if claimed is not None:  # never reviewed, or a later stage than the review
                pending = claimed
                break
            continue
        if claimed is not None and _newer(claimed, official):
            seen = next(
                (
                    r
                    for r in runs
                    if r.scorecard_id == official.scorecard_id and r.basis == Basis.CLAIMED and not _newer(r, official)
                ),
                None,
            )
            if seen is None or seen.inputs != claimed.inputs:  # changed since the reviewer saw it
                pending = claimed
        break
    return ResultOfRecord(
        official=official,
        pending=pending,
        r7=_r7(_run_level(official)),
        pending_r7=None if pending is None else _r7(_run_level(pending)),
    )


def results_of_record(projects: Iterable[Any]) -> dict[int, ResultOfRecord]:
    """:func:`result_of_record` of many projects in one query (open data, lists)."""
    from greenbuild.scoring.choices import Engine
    from greenbuild.scoring.models import ScoreRun

    ids = [p.pk for p in projects]
    runs: dict[int, list[Any]] = defaultdict(list)
    for run in (
        ScoreRun.objects.filter(project_id__in=ids, engine=Engine.GBT50378, scorecard__isnull=False)
        .select_related("scorecard", "actor")
        .order_by("-at", "-pk")
    ):
        runs[run.project_id].append(run)
    return {pk: _result_from_runs(runs.get(pk, [])) for pk in ids}


def result_of_record(project: Any) -> ResultOfRecord:
    """THE GB/T 50378 result of ``project``: the one rule the standards page, the PDF summary,
    the open data and the API call (no gate: callers read through their own)."""
    return results_of_record([project])[project.pk]


# --- R7–R14 as one table (issue 18 item 5, API-07) ----------------------------------------------

#: The project fields each requirement's declared value reads (``lifecycle.selectors.side_by_side``).
DECLARED_FIELDS = {
    "R7": ("target_star_level",),
    "R8": ("standardised_design",),
    "R9": ("buildings",),
    "R10": ("waste_target_t_per_10k_m2",),
    "R11": ("green_material_target_pct",),
    "R12": ("bim_design", "bim_production", "bim_construction"),
    "R13": ("smart_site_measures",),
    "R14": ("organisation_mode",),
}


@dataclass(frozen=True)
class RequirementRow:
    """One requirement as the standards page (标准核查) shows it: the R7–R14 table's verdict and
    reason, and the side-by-side table's declared, baseline and achieved columns."""

    requirement: str
    title: str
    verdict: str  # pass / fail / unknown (the R7–R14 table's badge)
    reason_code: str | None
    reason: str
    declared: str | None  # None: hidden from the reader by the field policy
    baseline: str | None  # None: no locked baseline, or the reader does not see it
    achieved: str  # pass / fail / unknown, or not_started before work starts
    provisional: RequirementCheck | None  # R7 on claims not yet reviewed, beside the official one


@dataclass(frozen=True)
class RequirementTable:
    project: Any
    baseline_version: int | None
    work_started: bool
    rows: list[RequirementRow]


def requirement_table(user: Any, project: Any) -> RequirementTable:
    """R7–R14 of ``project`` for ``user`` (who may see its scores: the caller's gate), from the same
    functions as the standards page: ``figures.pilot_checks`` on the runs that still stand,
    ``lifecycle.selectors.side_by_side`` for declared / baseline / achieved (the baseline only for
    readers of the baseline gate, as the page's ``{% baseline_table %}``), and the result of record
    for R7's claims not yet reviewed."""
    from greenbuild.core.fields import policy_for
    from greenbuild.lifecycle.permissions import BASELINE_GATE
    from greenbuild.lifecycle.selectors import current_baseline, side_by_side, work_started
    from greenbuild.scoring.figures import latest_building_runs

    latest = current_runs(project)
    checks = pilot_checks(project, latest, latest_building_runs(project))
    sides = {row.requirement: row for row in side_by_side(project, checks)}
    baseline = current_baseline(project)
    if baseline is not None and not BASELINE_GATE.for_user(user).filter(pk=baseline.pk).exists():
        baseline = None
    record = result_of_record(project)
    policy = policy_for(project)
    rows = []
    for check in checks:
        side = sides[check.requirement]
        hidden = any(not policy.may_see(user, project, name) for name in DECLARED_FIELDS.get(check.requirement, ()))
        rows.append(
            RequirementRow(
                requirement=check.requirement,
                title=str(check.title),
                verdict=str(check.status),
                reason_code=check.message.code if check.message is not None else None,
                reason=str(check.reason),
                declared=None if hidden else side.declared,
                baseline=side.baseline if baseline is not None else None,
                achieved=side.status,
                provisional=record.pending_r7 if check.requirement == "R7" else None,
            )
        )
    return RequirementTable(
        project=project,
        baseline_version=baseline.version if baseline is not None else None,
        work_started=work_started(project),
        rows=rows,
    )
