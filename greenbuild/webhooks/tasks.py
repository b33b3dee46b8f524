"""The job kind of the webhooks: one attempt of one delivery (``services.attempt_delivery``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.registry import job_kind
from greenbuild.webhooks import services


@job_kind(services.JOB_KIND, label=_("Webhook delivery"), permitted=lambda user, project: user is None)
def deliver(job: Any, report: Any) -> None:
    """Started by the platform only (no person may start it); the attempt is logged on the delivery."""
    services.attempt_delivery(int(job.params["delivery"]))
