"""The job kind of the bulletins: generate one revision (figures, PDF, workbook) with progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.bulletins.permissions import can
from greenbuild.jobs.registry import job_kind

GENERATE_JOB = "bulletins.generate"


def may_generate(user: Any, project: Any) -> bool:
    return can(user, "generate", None)


@job_kind(GENERATE_JOB, label=_("Periodic bulletin (HTML, PDF, Excel)"), permitted=may_generate)
def generate(job: Any, report: Any) -> Any:
    from greenbuild.bulletins.services import build_revision, restart_failed_revision

    revision_id = int(job.params["revision_id"])
    restart_failed_revision(revision_id)
    return build_revision(actor=job.actor, revision_id=revision_id, report=report)
