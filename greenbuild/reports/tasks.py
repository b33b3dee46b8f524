"""Job kinds of the reports app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.registry import job_kind
from greenbuild.reports.services import store_standards_summary
from greenbuild.scoring.permissions import can as can_scores

STANDARDS_SUMMARY = "reports.standards_summary"


def may_summarise(user: Any, project: Any) -> bool:
    return project is not None and can_scores(user, "view", project)


@job_kind(STANDARDS_SUMMARY, label=_("Standards summary (PDF)"), permitted=may_summarise, needs_project=True)
def standards_summary(job: Any, report: Any) -> Any:
    return store_standards_summary(actor=job.actor, project=job.project, report=report)
