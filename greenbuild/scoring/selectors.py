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


def project_standards_summary(user: Any, project: Any) -> dict[str, Any] | None:
    """R7–R14 for the project page, or None when ``user`` may not see the project's scores."""
    if not can(user, "view", project):
        return None
    from greenbuild.scoring.freshness import outdated_results

    latest = current_runs(project)
    return {
        "checks": pilot_checks(project, latest),
        "outdated": outdated_results(latest),
        "record": result_of_record(project),  # the pending claims beside the official R7 (item 7)
    }


def project_panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    """The standards-checks card of the project page (registered in ``ScoringConfig.ready``):
    shown on the internal page to whoever may see the project's scores."""
    from greenbuild.projects.permissions import can as can_project

    if not can_project(request.user, "view_internal", project):
        return None
    summary = project_standards_summary(request.user, project)
    return None if summary is None else {"standards": summary}


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
