"""Job kinds of the scoring app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.registry import job_kind
from greenbuild.scoring.freshness import may_recompute

RECOMPUTE_RESULTS = "scoring.recompute_results"


@job_kind(RECOMPUTE_RESULTS, label=_("Recompute the standards figures"), permitted=may_recompute, needs_project=True)
def recompute_results(job: Any, report: Any) -> None:
    """Bring the waste, green-material and carbon results up to date with their records (item 6)."""
    from greenbuild.core.errors import DomainError
    from greenbuild.scoring.services import refresh_record_results

    report(10, _("Recomputing the figures whose records changed"))
    try:
        refresh_record_results(actor=job.actor, project=job.project)
    except ValidationError as error:
        raise DomainError(
            _("The records changed and the figures cannot be recomputed: {reason}").format(
                reason="; ".join(error.messages)
            )
        ) from None
