"""Background work of inspections: a photo's thumbnail (a job) and the daily overdue escalation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.registry import daily, job_kind


def _may_thumbnail(user: Any, project: Any) -> bool:
    from greenbuild.inspections.permissions import in_scope

    return bool(in_scope(user, project))


@job_kind(
    "inspections.thumbnail", label=_("Thumbnail of an inspection photo"), permitted=_may_thumbnail, needs_project=True
)
def thumbnail(job: Any, report: Any) -> None:
    from greenbuild.inspections.services import make_thumbnail

    report(10, _("Making the thumbnail"))
    make_thumbnail(photo_id=int(job.params["photo_id"]))
    report(100, _("Done"))


@daily("inspections.escalate_overdue")
def escalate_overdue() -> int:
    from greenbuild.inspections.services import escalate_overdue as escalate

    return escalate()
