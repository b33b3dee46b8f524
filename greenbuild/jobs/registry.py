"""The kinds of background job and the daily entries, declared by each app in its ``tasks.py``.

A job kind is a thin function that calls a service::

    @job_kind("reports.standards_summary", label=_("Standards summary (PDF)"),
              permitted=lambda user, project: can(user, "view_internal", project), needs_project=True)
    def standards_summary(job, report):
        report(10, _("Collecting the scores"))
        return build_summary(actor=job.actor, project=job.project, report=report)

It receives the :class:`~greenbuild.jobs.models.Job` and a progress reporter ``report(pct, message)``
and returns an ``Attachment`` (the result file) or ``None``. ``permitted(user, project)`` decides who
may start it; it is checked when the job is started and again when it runs.

A daily entry takes no arguments and is run once a day by ``greenbuild worker`` (or
``greenbuild run_daily``)::

    @daily("notifications.digest")
    def send_digest() -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Reporter = Callable[..., None]
JobFunction = Callable[[Any, Reporter], Any]
Permitted = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Any
    run: JobFunction
    permitted: Permitted
    needs_project: bool = False


_KINDS: dict[str, JobKind] = {}
_DAILY: dict[str, Callable[[], Any]] = {}


def job_kind(
    name: str, *, label: Any, permitted: Permitted, needs_project: bool = False
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job kind ``name``."""

    def register(func: JobFunction) -> JobFunction:
        _KINDS[name] = JobKind(name=name, label=label, run=func, permitted=permitted, needs_project=needs_project)
        return func

    return register


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def daily(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the decorated function to run once a day."""

    def register(func: Callable[[], Any]) -> Callable[[], Any]:
        _DAILY[name] = func
        return func

    return register


def daily_entries() -> dict[str, Callable[[], Any]]:
    return dict(_DAILY)
