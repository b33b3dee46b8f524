"""Pages of inspections: the list, scheduling, an inspection (checklist, findings with photos; usable
at 390 px and kept as a draft when the connection drops), a finding, a rectification order and the
counts for the bureau and the districts (with an Excel export through ``reports``).

Everything is fetched through the gate (``permissions.py``); writes go through ``services.py``."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.accounts.choices import Role
from greenbuild.attachments.downloads import content_disposition
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, get_child_or_404, get_object_for_user
from greenbuild.inspections import selectors, services
from greenbuild.inspections.choices import (
    ORDER_STATUS_COLOURS,
    SEVERITY_COLOURS,
    CheckResult,
    InspectionStatus,
    OrderStatus,
)
from greenbuild.inspections.forms import (
    CloseFindingForm,
    DeadlineForm,
    FindingForm,
    MoveForm,
    OrderForm,
    PhotoForm,
    ScheduleForm,
    StatsFilterForm,
    UploadForm,
)
from greenbuild.inspections.models import Finding, Inspection, RectificationOrder
from greenbuild.inspections.permissions import (
    ANSWER,
    in_scope,
    is_inspector,
    may_see_stats,
    scope_q,
    stats_projects,
)
from greenbuild.inspections.workflow import INSPECTION_WORKFLOW, ORDER_WORKFLOW


def _serve(attachment: Any) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="attachment-{}".format(attachment.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- inspections -------------------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    inspections = Inspection.objects.for_user(request.user).select_related("project", "inspector", "step")
    status = request.GET.get("status") or ""
    if status in InspectionStatus.values:
        inspections = inspections.filter(status=status)
    orders = (
        RectificationOrder.objects.for_user(request.user)
        .exclude(status=OrderStatus.CLOSED)
        .select_related("project", "finding")
        .order_by("deadline", "pk")[:100]
    )
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "inspections": inspections[:200],
            "orders": orders,
            "status": status,
            "status_choices": InspectionStatus.choices,
            "may_schedule": is_inspector(request.user),
            "may_see_stats": may_see_stats(request.user),
            "colours": ORDER_STATUS_COLOURS,
        },
    )


def _inspectors(user: Any) -> Any:
    from greenbuild.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL]) | Q(inspector_pool_entry__active=True)
        )
        .distinct()
        .order_by("username")
    )


def _schedule_form(request: HttpRequest, data: Any = None) -> ScheduleForm:
    from greenbuild.projects.models import Project

    projects = Project.objects.for_user(request.user).filter(scope_q(request.user)).order_by("name")
    initial = {}
    if request.GET.get("project", "").isdigit():
        initial["project"] = request.GET["project"]
    return ScheduleForm(data, projects=projects, inspectors=_inspectors(request.user), initial=initial)


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not is_inspector(request.user):
        raise Http404("No such page.")
    if request.method == "POST":
        form = _schedule_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.schedule_inspection(
                    project=data["project"],
                    inspector=data["inspector"],
                    due_on=data["due_on"],
                    actor=request.user,
                    reason=data["reason"],
                )
            except (DomainError, ActionForbidden) as error:
                if isinstance(error, ActionForbidden):
                    form.add_error("project", _("You may not inspect this project."))
                else:
                    apply_service_error(form, error)
            else:
                messages.success(request, _("The inspection was scheduled."))
                return redirect("inspections:inspection-detail", pk=inspection.pk)
        keep_refused_form(request, "schedule", form)
        return redirect(request.get_full_path())
    form = take_refused_form(
        request,
        "schedule",
        ScheduleForm,
        projects=_schedule_form(request).fields["project"].queryset,  # type: ignore[attr-defined]
        inspectors=_inspectors(request.user),
    ) or _schedule_form(request)
    return render(request, "inspections/inspection_form.html", {"form": form})


def _inspection(request: HttpRequest, pk: Any, action: str = "view") -> Inspection:
    return get_object_for_user(Inspection, request.user, pk, action)


def _finding_form(request: HttpRequest, inspection: Inspection, data: Any = None, files: Any = None) -> FindingForm:
    from greenbuild.guidelines.selectors import current_guideline, items_of

    return FindingForm(data, files, items=items_of(current_guideline()))


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    working = inspection.status == "in_progress" and INSPECTION_WORKFLOW.may(
        request.user, INSPECTION_WORKFLOW.table["submit"], inspection
    )
    moves = INSPECTION_WORKFLOW.available_moves(inspection, request.user)
    finding_form = None
    if working:
        from greenbuild.guidelines.selectors import current_guideline, items_of

        finding_form = take_refused_form(
            request, "finding-{}".format(inspection.pk), FindingForm, items=items_of(current_guideline())
        ) or _finding_form(request, inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "checklist": inspection.checklist.select_related("guideline_item"),
            "results": CheckResult.choices,
            "findings": inspection.findings.select_related("order").prefetch_related("photos"),
            "moves": [(m, MoveForm()) for m in moves],
            "working": working,
            "finding_form": finding_form,
            "severity_colours": SEVERITY_COLOURS,
            "transitions": inspection.transitions.select_related("actor"),
            "server_draft": json.dumps(inspection.draft or {}) if working else "",
        },
    )


@login_required
@require_POST
def inspection_checks(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, CHANGE)
    results: dict[Any, tuple[str, str]] = {}
    for item in inspection.checklist.all():
        result = request.POST.get("result-{}".format(item.pk))
        if result is None:
            continue
        results[item.pk] = (result, request.POST.get("note-{}".format(item.pk), ""))
    try:
        changed = services.record_checks(actor=request.user, inspection_id=inspection.pk, results=results)
        services.update_summary(
            actor=request.user, inspection_id=inspection.pk, summary=request.POST.get("summary", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The checklist was saved ({n} changed).").format(n=changed))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


@login_required
@require_POST
def inspection_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's script keeps the unsent input here too (and in the browser) while online."""
    inspection = _inspection(request, pk, CHANGE)
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
        services.save_draft(actor=request.user, inspection_id=inspection.pk, data=data)
    except (ValueError, DomainError) as error:
        return JsonResponse({"saved": False, "detail": str(getattr(error, "message", _("Not readable.")))}, status=400)
    return JsonResponse({"saved": True})


@login_required
@require_POST
def inspection_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in INSPECTION_WORKFLOW.table:
        raise Http404
    inspection = _inspection(request, pk)
    form = MoveForm(request.POST)
    comment = form.data.get("comment", "") if isinstance(form.data.get("comment", ""), str) else ""
    try:
        services.transition_inspection(actor=request.user, inspection_id=inspection.pk, action=action, comment=comment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=INSPECTION_WORKFLOW.table[action].label))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


@login_required
@require_POST
@accepts_uploads("photo")
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, CHANGE)
    form = _finding_form(request, inspection, request.POST, request.FILES)
    key = "finding-{}".format(inspection.pk)
    if not form.is_valid():
        keep_refused_form(request, key, form)
        return redirect("inspections:inspection-detail", pk=inspection.pk)
    data = form.cleaned_data
    try:
        from django.db import transaction

        with transaction.atomic():
            finding = services.raise_finding(
                project=inspection.project,
                actor=request.user,
                summary=data["summary"],
                severity=data["severity"],
                source="inspection",
                clause=data["clause"],
                inspection=inspection,
                deadline=data["deadline"],
                location=data["location"],
                guideline_item=data["guideline_item"],
                instructions=data["instructions"],
            )
            if data.get("photo"):
                services.add_finding_photo(actor=request.user, finding_id=finding.pk, uploaded_file=data["photo"])
    except DomainError as error:
        if error.field == "file":
            error.field = "photo"
        apply_service_error(form, error)
        keep_refused_form(request, key, form)
        return redirect("inspections:inspection-detail", pk=inspection.pk)
    messages.success(request, _("The finding was recorded."))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


# --- findings ----------------------------------------------------------------------------------


def _finding(request: HttpRequest, pk: Any, action: str = "view") -> Finding:
    return get_object_for_user(Finding, request.user, pk, action)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    may_change = in_scope(request.user, finding.project) and finding.status != "closed"
    order = finding.order_or_none
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "order": order,
            "photos": finding.photos.select_related("attachment"),
            "may_change": may_change,
            "order_form": (take_refused_form(request, "order-{}".format(finding.pk), OrderForm) or OrderForm())
            if may_change and order is None
            else None,
            "photo_form": PhotoForm() if may_change else None,
            "close_form": CloseFindingForm() if may_change and order is None else None,
            "severity_colours": SEVERITY_COLOURS,
        },
    )


@login_required
@require_POST
@accepts_uploads("photo")
def finding_photo(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk, CHANGE)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.add_finding_photo(
                actor=request.user, finding_id=finding.pk, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The photo was added."))
    return redirect("inspections:finding-detail", pk=finding.pk)


@login_required
def finding_photo_file(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    photo = get_child_or_404(finding, finding.photos.select_related("attachment"), photo_pk)
    if request.GET.get("size") == "thumb" and photo.thumbnail:
        response = FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return _serve(photo.attachment)


@login_required
@require_POST
def finding_order(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk, CHANGE)
    form = OrderForm(request.POST)
    key = "order-{}".format(finding.pk)
    if form.is_valid():
        try:
            order = services.issue_order(
                actor=request.user,
                finding_id=finding.pk,
                deadline=form.cleaned_data["deadline"],
                instructions=form.cleaned_data["instructions"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The rectification order {number} was issued.").format(number=order.number))
            return redirect("inspections:order-detail", pk=order.pk)
    keep_refused_form(request, key, form)
    return redirect("inspections:finding-detail", pk=finding.pk)


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk, CHANGE)
    form = CloseFindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why no rectification is needed."))
    else:
        try:
            services.close_finding(actor=request.user, finding_id=finding.pk, comment=form.cleaned_data["comment"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The finding was closed."))
    return redirect("inspections:finding-detail", pk=finding.pk)


# --- rectification orders ----------------------------------------------------------------------


def _order(request: HttpRequest, pk: Any, action: str = "view") -> RectificationOrder:
    return get_object_for_user(RectificationOrder, request.user, pk, action)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from greenbuild.inspections.permissions import can

    order = _order(request, pk)
    moves = ORDER_WORKFLOW.available_moves(order, request.user)
    forms = [
        (move, take_refused_form(request, "order-{}-{}".format(order.pk, move.action), MoveForm) or MoveForm())
        for move in moves
    ]
    may_answer = order.status == OrderStatus.ISSUED and can(request.user, ANSWER, order)
    may_extend = order.status == OrderStatus.ISSUED and can(request.user, CHANGE, order)
    from greenbuild.documents.services import current_document

    return render(
        request,
        "inspections/order_detail.html",
        {
            "order": order,
            "finding": order.finding,
            "document": current_document("inspections.rectification_order", order),
            "moves": forms,
            "evidence": order.evidence.all(),
            "may_answer": may_answer,
            "deadline_form": (
                take_refused_form(request, "deadline-{}".format(order.pk), DeadlineForm) or DeadlineForm()
            )
            if may_extend
            else None,
            "colours": ORDER_STATUS_COLOURS,
            "transitions": order.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
@accepts_uploads("evidence")
def order_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk, ANSWER)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.add_order_evidence(actor=request.user, order_id=order.pk, uploaded_file=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The evidence was filed."))
    return redirect("inspections:order-detail", pk=order.pk)


@login_required
def order_evidence_file(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _serve(get_child_or_404(order, order.evidence.all(), attachment_pk))


@login_required
@require_POST
def order_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ORDER_WORKFLOW.table:
        raise Http404
    order = _order(request, pk, ANSWER if action == "answer" else CHANGE)
    form = MoveForm(request.POST)
    key = "order-{}-{}".format(order.pk, action)
    if not form.is_valid():
        keep_refused_form(request, key, form)
        return redirect("inspections:order-detail", pk=order.pk)
    try:
        services.transition_order(
            actor=request.user,
            order_id=order.pk,
            action=action,
            comment=form.cleaned_data["comment"],
            deadline=form.cleaned_data.get("deadline") if action == "reopen" else None,
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        keep_refused_form(request, key, form)
    else:
        messages.success(request, _("Done: {action}.").format(action=ORDER_WORKFLOW.table[action].label))
    return redirect("inspections:order-detail", pk=order.pk)


@login_required
@require_POST
def order_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk, CHANGE)
    form = DeadlineForm(request.POST)
    key = "deadline-{}".format(order.pk)
    if form.is_valid():
        try:
            services.extend_deadline(
                actor=request.user,
                order_id=order.pk,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The deadline was changed."))
            return redirect("inspections:order-detail", pk=order.pk)
    keep_refused_form(request, key, form)
    return redirect("inspections:order-detail", pk=order.pk)


# --- counts ------------------------------------------------------------------------------------


def _stats(request: HttpRequest) -> tuple[StatsFilterForm, dict[str, Any], list[dict[str, Any]], str]:
    from greenbuild.reference.models import District

    if not may_see_stats(request.user):
        raise Http404("No such page.")
    projects = stats_projects(request.user)
    districts = District.objects.filter(pk__in=projects.values("district_id")).order_by("pk")
    form = StatsFilterForm(request.GET or None, districts=districts)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("district"):
        projects = projects.filter(district=data["district"])
    stats = selectors.inspection_stats(projects=projects, start=data.get("start"), end=data.get("end"))
    by = data.get("by") or "project"
    return form, stats, selectors.stats_rows(stats, by), by


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    form, figures, rows, by = _stats(request)
    return render(
        request,
        "inspections/stats.html",
        {"form": form, "total": figures["total"], "rows": rows, "by": by, "query": request.GET.urlencode()},
    )


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    from greenbuild.inspections.choices import FindingSource, Severity
    from greenbuild.reports.excel import Sheet, workbook_response
    from greenbuild.reports.exports import export_filename

    _form, figures, rows, by = _stats(request)
    columns = [
        _("District") if by == "district" else _("Project"),
        _("Inspections"),
        _("Findings"),
        *[str(label) for label in Severity.labels],
        *[str(label) for label in FindingSource.labels],
        _("Open orders"),
        _("Overdue orders"),
        _("Closed orders"),
    ]

    def line(name: str, values: dict[str, Any]) -> list[Any]:
        return [
            name,
            values["inspections"],
            values["findings"],
            *[values["by_severity"].get(s, 0) for s in Severity.values],
            *[values["by_source"].get(s, 0) for s in FindingSource.values],
            values["open_orders"],
            values["overdue_orders"],
            values["closed_orders"],
        ]

    body = [line(r["name"], r) for r in rows] + [line(_("Total"), figures["total"])]
    sheet = Sheet(title=_("Inspection counts"), headers=columns, rows=body)
    return workbook_response(export_filename("inspections"), [sheet])
