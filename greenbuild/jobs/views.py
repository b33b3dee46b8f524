"""The job page and its progress fragment (polled by HTMX until the job ends), and 我的任务: the
jobs a person started, with their results, so a generated report can be found again (REG-05)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from greenbuild.core.errors import DomainError
from greenbuild.core.http import HtmxRequest
from greenbuild.jobs import selectors, services
from greenbuild.jobs.filters import JobFilterSet
from greenbuild.jobs.permissions import RETRY, can, get_job_for_user


def _context(request: HttpRequest, job: object) -> dict[str, object]:
    # the project and result links only where the reader may still open them (rule 3)
    return {"job": selectors.with_links(request.user, job), "can_retry": can(request.user, RETRY, job)}


JOBS_PER_PAGE = 25
DOCUMENTS_PER_PAGE = 20


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The task centre (我的任务与导出): the jobs the reader started, filtered by state and kind, with
    their result files and expiry (downloaded again through the attachments gate), and the issued
    documents the reader may read, with their number and verification link. Everyone sees their own
    jobs only, the bureau included (the admin lists all jobs)."""
    mine = selectors.jobs_started_by(request.user)
    filters = JobFilterSet(request.GET, queryset=mine)
    jobs = filters.qs if filters.is_valid() else mine.none()  # an unknown kind: nothing, and the form says why
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    documents = Paginator(selectors.readable_documents(request.user), DOCUMENTS_PER_PAGE).get_page(
        request.GET.get("documents_page")
    )
    return render(
        request,
        "jobs/job_list.html",
        {
            "filter": filters,
            "page": page,
            "documents": documents,
            "retention_days": services.retention_days(),
        },
    )


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
