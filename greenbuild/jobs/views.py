"""The job page and its progress fragment (polled by HTMX until the job ends)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from greenbuild.core.errors import DomainError
from greenbuild.core.http import HtmxRequest
from greenbuild.jobs import services
from greenbuild.jobs.permissions import RETRY, can, get_job_for_user


def _context(request: HttpRequest, job: object) -> dict[str, object]:
    return {"job": job, "can_retry": can(request.user, RETRY, job)}


@login_required
def job_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    template = "jobs/partials/job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, _context(request, job))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk, RETRY)
    try:
        services.retry_job(job, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("jobs:job-detail", pk=job.pk)
