"""Import pages, for the bureau only. Thin: check the gate, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.forms import apply_service_error
from greenbuild.core.http import HtmxRequest
from greenbuild.imports import permissions, services
from greenbuild.imports.forms import ImportForm
from greenbuild.imports.models import ImportBatch
from greenbuild.imports.organisations import IMPORTERS
from greenbuild.reports.excel import xlsx_response


def _importer(name: str) -> type:
    importer = IMPORTERS.get(name)
    if importer is None:
        raise Http404
    return importer


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, "view")
    names = permissions.importer_names(request.user)
    batches = ImportBatch.objects.filter(importer__in=names).select_related("actor", "source")[:20]
    return render(request, "imports/index.html", {"importers": [IMPORTERS[name] for name in names], "batches": batches})


@login_required
@accepts_uploads(AttachmentKind.IMPORT)  # up to the import policy's 20 MB, above the 10 MB body cap
def import_form(request: HttpRequest, name: str) -> HttpResponse:
    permissions.require(request.user)
    importer = _importer(name)
    permissions.require(request.user, "run", name)
    form = ImportForm(request.POST or None, request.FILES or None, needs_password=name == "users")
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.submit_import(
                name,
                actor=request.user,
                uploaded_file=form.cleaned_data["workbook"],
                initial_password=form.cleaned_data.get("initial_password", ""),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"workbook": error.messages})
            apply_service_error(form, error)
        else:
            return redirect("imports:batch-detail", pk=batch.pk)
    batches = ImportBatch.objects.filter(importer=name).select_related("actor", "source")[:10]
    return render(request, "imports/import_form.html", {"importer": importer, "form": form, "batches": batches})


@login_required
def import_template(request: HttpRequest, name: str) -> HttpResponse:
    permissions.require(request.user, "view")
    importer = _importer(name)()
    permissions.require(request.user, "view", name)
    return xlsx_response(importer.template_workbook(), "{}-{}.xlsx".format(importer.label, _("template")))


@login_required
def batch_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    batch = permissions.get_batch_for_user(request.user, pk)
    template = "imports/partials/batch_status.html" if request.htmx else "imports/batch_detail.html"
    return render(request, template, {"batch": batch, "errors": batch.errors[:500]})


@login_required
def batch_errors(request: HttpRequest, pk: int) -> HttpResponse:
    batch = permissions.get_batch_for_user(request.user, pk)
    if not batch.errors:
        raise Http404
    data = services.error_report(batch)
    # the rows as uploaded (names, phones, e-mail addresses): an export of personal data
    record_event(
        EventKind.EXPORT,
        request=request,
        target=batch,
        export="import_errors",
        importer=batch.importer,
        rows=len({error[0] for error in batch.errors}),
    )
    return xlsx_response(data, "{}-{}-{}.xlsx".format(batch.importer_label, _("errors"), batch.pk))
