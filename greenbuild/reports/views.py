"""Report downloads and starts. Thin: fetch through the gate, build or start, answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.fields import annotate_internal, redact
from greenbuild.jobs.services import start_job
from greenbuild.projects.filters import ProjectFilterSet, list_filters, sorted_projects
from greenbuild.projects.models import Project
from greenbuild.reports import exports
from greenbuild.reports.excel import workbook_response
from greenbuild.reports.tasks import STANDARDS_SUMMARY
from greenbuild.scoring.permissions import get_scored_project_for_user


def project_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The project list as the page shows it: same gate, same filters, every page."""
    queryset = Project.objects.for_user(request.user, "view").select_related(
        "district", "category", "owner", "use", "structure_material", "programme"
    )
    filters = list_filters(request)  # the page's filters, the current programme by default
    filterset = ProjectFilterSet(filters, queryset=queryset, request=request)
    record_event(EventKind.EXPORT, request=request, export="projects", filters=filters.urlencode())
    # Each row as the field policy lets this reader see it (projects/fields.py): a seated expert or
    # the public reads the project's public face, never its investment, approval code, first
    # submission or last change; the order must not reveal a hidden field either.
    query = filters.copy()
    query.pop("page", None)
    rows, _sort = sorted_projects(request, filterset.qs, query)  # the page's order, its sort included
    rows = [redact(request.user, row) for row in annotate_internal(rows, request.user)]
    return workbook_response(exports.export_filename(_("pilot-projects")), [exports.project_list_sheet(rows)])


@login_required
@require_POST
def project_selection_xlsx(request: HttpRequest) -> HttpResponse:
    """The bureau's batch export: the projects ticked on the list, each checked by the gate. All
    or nothing: when one of them is not visible to the reader (or the selection is not ids), the
    export is refused and the list says so; nothing is written."""
    from django.contrib import messages
    from django.shortcuts import redirect as go

    from greenbuild.lists.registry import clean_query
    from greenbuild.projects.batch_views import list_address, selected_ids
    from greenbuild.projects.selectors import may_act_in_batch

    if not may_act_in_batch(request.user):
        raise ActionForbidden()
    ids, bad = selected_ids(request)
    queryset = Project.objects.for_user(request.user, "view").select_related(
        "district", "category", "owner", "use", "structure_material", "programme"
    )
    # In the list's order, its column sort included (the form's ``next`` carries the list's query).
    query = QueryDict(clean_query(request.POST.get("next", "")))
    ordered, _sort = sorted_projects(request, queryset.filter(pk__in=ids), query)
    rows = list(annotate_internal(ordered, request.user))
    if bad or not ids or len(rows) != len(ids):
        messages.error(request, _("Nothing was exported: select projects of the list (each visible to you)."))
        return go(list_address(request))
    record_event(EventKind.EXPORT, request=request, export="projects", selected=ids)
    rows = [redact(request.user, row) for row in rows]
    return workbook_response(exports.export_filename(_("pilot-projects")), [exports.project_list_sheet(rows)])


@login_required  # SEC-17: signed out, every protected export sends to sign-in, whatever the id
def score_runs_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk)
    runs = project.score_runs.select_related("actor")
    record_event(EventKind.EXPORT, request=request, target=project, export="score_runs")
    stem = "{}-{}".format(project.name, _("score-runs"))
    return workbook_response(exports.export_filename(stem), [exports.score_runs_sheet(runs)])


@login_required
def records_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk, "claim")
    stem = "{}-{}".format(project.name, _("records"))
    record_event(EventKind.EXPORT, request=request, target=project, export="records")
    return workbook_response(exports.export_filename(stem), exports.records_sheets(project))


@login_required
@require_POST
def standards_summary_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the PDF in the background and show its progress."""
    project = get_scored_project_for_user(request.user, pk)
    job = start_job(STANDARDS_SUMMARY, actor=request.user, project=project)
    return redirect("jobs:job-detail", pk=job.pk)
