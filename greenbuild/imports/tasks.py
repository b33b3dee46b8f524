"""Job kinds of the imports app: large workbooks are checked and written by the worker."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.imports import permissions
from greenbuild.imports.models import ImportStatus
from greenbuild.imports.services import JOB_KIND, run_import
from greenbuild.jobs.registry import job_kind
from greenbuild.jobs.services import JobFailed


@job_kind(JOB_KIND, label=_("Spreadsheet import"), permitted=lambda user, project: permissions.can(user, "run"))
def run(job: Any, report: Any) -> None:
    batch = run_import(job.params["batch"], actor=job.actor, report=report)
    if batch.status == ImportStatus.FAILED:
        raise JobFailed(_("The import stopped because of an unexpected error: nothing was imported."))
