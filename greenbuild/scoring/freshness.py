"""Whether a record engine's result still rests on the records as they are (issue 16 item 6, SCO-05).

A waste, green-material or carbon run stores the inputs it was computed from. A result is
``current`` when the records give the same inputs now, ``outdated`` when a record (or the floor
area, or a building's prefabrication) changed since, and ``withdrawn`` when nothing is left to
compute it from. The comparison reads the records themselves, not a flag, so a change made by any
path (page, API, a future import, the shell) is seen. The record services recompute in the
request; :func:`greenbuild.scoring.services.refresh_record_results` does it for the PDF job.
"""

from __future__ import annotations

from typing import Any

#: The project-wide engines whose results are computed from the records (waste, materials, energy).
RECORD_ENGINES = ("waste", "green-materials", "carbon")


def record_engine_inputs(project: Any) -> dict[str, dict[str, Any] | None]:
    """What each record engine would be fed now, from the stored records (one query per list)."""
    from django.db.models import prefetch_related_objects

    from greenbuild.scoring.figures import project_carbon_inputs, project_green_material_inputs, project_waste_inputs

    cached = getattr(project, "_prefetched_objects_cache", {})
    missing = [name for name in ("waste_records", "material_lines", "energy_records") if name not in cached]
    if missing:
        prefetch_related_objects([project], *missing)
    return {
        "waste": project_waste_inputs(project),
        "green-materials": project_green_material_inputs(project),
        "carbon": project_carbon_inputs(project),
    }


def forget_records(project: Any) -> None:
    """Drop the records prefetched on ``project`` (after a write, before reading them again)."""
    cached = getattr(project, "_prefetched_objects_cache", None)
    if cached:
        for name in ("waste_records", "material_lines", "energy_records"):
            cached.pop(name, None)


def result_states(project: Any, latest: dict[str, Any]) -> dict[str, str]:
    """``current``, ``outdated`` or ``withdrawn`` for each record engine's run in ``latest``."""
    if not any(key in latest for key in RECORD_ENGINES):
        return {}
    inputs = record_engine_inputs(project)
    states = {}
    for key in RECORD_ENGINES:
        run = latest.get(key)
        if run is None:
            continue
        now = inputs[key]
        states[key] = "withdrawn" if now is None else ("current" if now == run.inputs else "outdated")
    return states


def mark_outdated_results(project: Any, latest: dict[str, Any]) -> dict[str, Any]:
    """Drop from ``latest`` the record engines' runs nothing is left to compute from, and set
    ``run.outdated`` on the others (True when the records changed since). Returns ``latest``."""
    for key, state in result_states(project, latest).items():
        if state == "withdrawn":
            del latest[key]
        else:
            latest[key].outdated = state == "outdated"
    return latest


def outdated_results(latest: dict[str, Any]) -> list[Any]:
    """The runs of ``latest`` (as ``selectors.current_runs`` returns them) whose records changed since."""
    return [run for run in latest.values() if getattr(run, "outdated", False)]


def may_recompute(user: Any, project: Any) -> bool:
    """Whether ``user`` may store recomputed results of ``project`` (a write, with ``user`` as the
    run's actor): whoever enters its records or reviews its scores. A reader who may only see the
    scores (a district official, a department, a contractor, an expert) is told the figures are
    outdated and cannot have runs written in their name (recompute endpoint, PDF summary)."""
    from greenbuild.scoring.permissions import can

    return project is not None and (can(user, "claim", project) or can(user, "review", project))


def changed_engines(project: Any) -> list[str]:
    """The record engines whose latest run no longer matches the records (outdated, not withdrawn)."""
    from greenbuild.scoring.figures import latest_runs

    return [key for key, state in result_states(project, latest_runs(project)).items() if state == "outdated"]


def recomputing(project: Any) -> bool:
    """Whether a background recomputation of ``project``'s figures is queued or running."""
    from greenbuild.jobs.choices import JobStatus
    from greenbuild.jobs.models import Job
    from greenbuild.scoring.tasks import RECOMPUTE_RESULTS

    return Job.objects.filter(
        kind=RECOMPUTE_RESULTS, project=project, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).exists()
