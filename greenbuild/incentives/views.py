"""Pages of incentives (R25) and training (R26). Everything is fetched through the gates
(``permissions.py``); writes go through ``services.py``; a refused form keeps its input and comes
back at its own address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, VIEW, get_object_for_user, parse_id
from greenbuild.incentives import selectors, services
from greenbuild.incentives.choices import (
    BONUS_STATUS_COLOURS,
    ESCROW_STATUS_COLOURS,
    Audience,
    EnterpriseRole,
    ResultLevel,
)
from greenbuild.incentives.forms import (
    AttendanceForm,
    BonusRuleForm,
    ImportForm,
    ProjectChoiceForm,
    ReasonForm,
    TrainingSessionForm,
    point_field_name,
)
from greenbuild.incentives.models import BonusRecord, BonusRule, EscrowEligibility, TrainingAttendance, TrainingSession
from greenbuild.incentives.permissions import can, can_view_enterprise, is_bureau, may_read_training
from greenbuild.incentives.workflow import BONUS_WORKFLOW, ESCROW_WORKFLOW


def _bureau_or_403(user: Any) -> None:
    if not is_bureau(user):
        raise ActionForbidden()


def _confirmed_pilots() -> Any:
    from greenbuild.projects.models import Project
    from greenbuild.projects.permissions import PUBLIC_STATUSES

    return Project.objects.filter(status__in=PUBLIC_STATUSES).order_by("name")


def _real_estate_pilots() -> Any:
    from django.db.models import Q

    from greenbuild.incentives.choices import REAL_ESTATE_CATEGORY

    return _confirmed_pilots().filter(
        Q(category__code=REAL_ESTATE_CATEGORY) | Q(category__parent__code=REAL_ESTATE_CATEGORY)
    )


# --- bonus records --------------------------------------------------------------------------------


@login_required
def bonus_list(request: HttpRequest) -> HttpResponse:
    records = list(
        BonusRecord.objects.for_user(request.user)
        .select_related("project", "organisation", "rule")
        .order_by("-created_at", "-pk")[:500]
    )
    for record in records:
        record.colour = BONUS_STATUS_COLOURS.get(record.status, "secondary")
    context: dict[str, Any] = {"records": records, "may_manage": is_bureau(request.user)}
    if is_bureau(request.user):
        context["award_form"] = take_refused_form(
            request, "incentives-award", ProjectChoiceForm, queryset=_confirmed_pilots()
        ) or ProjectChoiceForm(queryset=_confirmed_pilots())
    return render(request, "incentives/bonus_list.html", context)


@login_required
@require_POST
def bonus_award(request: HttpRequest) -> HttpResponse:
    _bureau_or_403(request.user)
    form = ProjectChoiceForm(request.POST, queryset=_confirmed_pilots())
    if form.is_valid():
        try:
            created = services.award_bonuses(actor=request.user, project_id=form.cleaned_data["project"].pk)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("{count} bonus records were recorded.").format(count=len(created)))
            return redirect("incentives:bonus-list")
    keep_refused_form(request, "incentives-award", form)
    return redirect("{}#award".format(reverse("incentives:bonus-list")))


@login_required
def bonus_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_for_user(BonusRecord, request.user, pk, VIEW)
    context: dict[str, Any] = {
        "record": record,
        "colour": BONUS_STATUS_COLOURS.get(record.status, "secondary"),
        "moves": BONUS_WORKFLOW.available_moves(record, request.user),
        "transitions": record.transitions.select_related("actor"),
        "may_view_enterprise": can_view_enterprise(request.user, record.organisation),
    }
    if context["moves"]:
        context["reason_form"] = (
            take_refused_form(request, "bonus-{}-revoke".format(record.pk), ReasonForm) or ReasonForm()
        )
    return render(request, "incentives/bonus_detail.html", context)


@login_required
@require_POST
def bonus_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_for_user(BonusRecord, request.user, pk, VIEW)
    if not can(request.user, "revoke", record):
        raise ActionForbidden()
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_bonus(actor=request.user, record_id=record.pk, reason=form.cleaned_data["comment"])
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The bonus record was revoked; it stays on record."))
            return redirect("incentives:bonus-detail", pk=record.pk)
    keep_refused_form(request, "bonus-{}-revoke".format(record.pk), form)
    return redirect("incentives:bonus-detail", pk=record.pk)


# --- bonus rules ----------------------------------------------------------------------------------


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = list(BonusRule.objects.for_user(request.user).prefetch_related("points").select_related("created_by"))
    grid = []
    for rule in rules:
        table = rule.table()
        grid.append(
            (
                rule,
                [
                    (role.label, [table.get((role.value, level.value)) for level in ResultLevel])
                    for role in EnterpriseRole
                ],
            )
        )
    return render(
        request,
        "incentives/rule_list.html",
        {"grid": grid, "levels": list(ResultLevel), "may_manage": is_bureau(request.user)},
    )


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    _bureau_or_403(request.user)
    form = BonusRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_bonus_rule(
                actor=request.user,
                version=data["version"],
                title=data["title"],
                effective_from=data["effective_from"],
                source=data["source"],
                excellent_score=data["excellent_score"],
                points=form.points(),
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The new version of the bonus rule was recorded."))
            return redirect("incentives:rule-list")
    rows = [
        (role.label, [form[point_field_name(role.value, level.value)] for level in ResultLevel])
        for role in EnterpriseRole
    ]
    head = [form[name] for name in ("version", "title", "effective_from", "source", "excellent_score")]
    return render(
        request, "incentives/rule_form.html", {"form": form, "rows": rows, "head": head, "levels": list(ResultLevel)}
    )


# --- escrow ---------------------------------------------------------------------------------------


@login_required
def escrow_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        EscrowEligibility.objects.for_user(request.user).select_related("project", "decided_by").order_by("-decided_at")
    )
    for row in rows:
        row.colour = ESCROW_STATUS_COLOURS.get(row.status, "secondary")
    context: dict[str, Any] = {"rows": rows, "may_manage": is_bureau(request.user)}
    if is_bureau(request.user):
        context["assess_form"] = take_refused_form(
            request, "incentives-escrow", ProjectChoiceForm, queryset=_real_estate_pilots()
        ) or ProjectChoiceForm(queryset=_real_estate_pilots())
    return render(request, "incentives/escrow_list.html", context)


@login_required
@require_POST
def escrow_assess(request: HttpRequest) -> HttpResponse:
    _bureau_or_403(request.user)
    form = ProjectChoiceForm(request.POST, queryset=_real_estate_pilots())
    if form.is_valid():
        try:
            eligibility = services.assess_escrow(actor=request.user, project_id=form.cleaned_data["project"].pk)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("The escrow eligibility was decided: {status}.").format(status=eligibility.get_status_display()),
            )
            return redirect("incentives:escrow-detail", pk=eligibility.pk)
    keep_refused_form(request, "incentives-escrow", form)
    return redirect("{}#assess".format(reverse("incentives:escrow-list")))


@login_required
def escrow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    eligibility = get_object_for_user(EscrowEligibility, request.user, pk, VIEW)
    context: dict[str, Any] = {
        "eligibility": eligibility,
        "colour": ESCROW_STATUS_COLOURS.get(eligibility.status, "secondary"),
        "moves": ESCROW_WORKFLOW.available_moves(eligibility, request.user),
        "transitions": eligibility.transitions.select_related("actor"),
    }
    if context["moves"]:
        context["reason_form"] = (
            take_refused_form(request, "escrow-{}-release".format(eligibility.pk), ReasonForm) or ReasonForm()
        )
    return render(request, "incentives/escrow_detail.html", context)


@login_required
@require_POST
def escrow_release(request: HttpRequest, pk: int) -> HttpResponse:
    eligibility = get_object_for_user(EscrowEligibility, request.user, pk, VIEW)
    if not can(request.user, "release", eligibility):
        raise ActionForbidden()
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.release_escrow(
                actor=request.user, eligibility_id=eligibility.pk, note=form.cleaned_data["comment"]
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The release of the escrowed funds was recorded."))
            return redirect("incentives:escrow-detail", pk=eligibility.pk)
    keep_refused_form(request, "escrow-{}-release".format(eligibility.pk), form)
    return redirect("incentives:escrow-detail", pk=eligibility.pk)


# --- the enterprise page --------------------------------------------------------------------------


def _organisation(pk: Any) -> Any:
    from greenbuild.accounts.models import Organisation

    number = parse_id(pk)
    organisation = Organisation.objects.filter(pk=number).first() if number else None
    if organisation is None:
        raise Http404("No such page.")
    return organisation


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's pilots (with its role), their results and its bonuses: for its members
    and the bureau (everyone else: 404)."""
    organisation = _organisation(pk)
    if not can_view_enterprise(request.user, organisation):
        raise Http404("No such page.")
    return render(
        request,
        "incentives/enterprise.html",
        {
            "organisation": organisation,
            "pilots": selectors.enterprise_pilots(organisation),
            "total": selectors.bonus_total(organisation),
            "training": selectors.enterprise_training(organisation),
            "public": False,
        },
    )


def enterprise_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public version: confirmed pilots, final results, bonuses in force; nothing personal. An
    organisation without a published pilot has no public page."""
    organisation = _organisation(pk)
    pilots = selectors.enterprise_pilots(organisation, public=True)
    if not pilots:
        raise Http404("No such page.")
    return render(
        request,
        "incentives/enterprise.html",
        {
            "organisation": organisation,
            "pilots": pilots,
            "total": selectors.bonus_total(organisation, public=True),
            "public": True,
        },
    )


@login_required
def my_enterprises(request: HttpRequest) -> HttpResponse:
    """The enterprise pages the user may open (their organisations; the bureau: every enterprise
    with a bonus record)."""
    from greenbuild.accounts.models import Organisation
    from greenbuild.incentives.permissions import member_organisation_ids

    if is_bureau(request.user):
        organisations = Organisation.objects.filter(bonus_records__isnull=False).distinct()
    else:
        organisations = Organisation.objects.filter(pk__in=member_organisation_ids(request.user))
    return render(request, "incentives/enterprise_list.html", {"organisations": organisations.order_by("name")})


# --- training -------------------------------------------------------------------------------------


def _training_reader(user: Any) -> None:
    if not may_read_training(user):
        raise Http404("No such page.")


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _training_reader(request.user)
    sessions = list(TrainingSession.objects.for_user(request.user).order_by("-date", "-pk"))
    counts = selectors.attendance_counts(TrainingAttendance.objects.for_user(request.user))
    return render(
        request,
        "incentives/session_list.html",
        {"sessions": sessions, "counts": counts, "audiences": list(Audience), "may_manage": is_bureau(request.user)},
    )


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    _training_reader(request.user)
    _bureau_or_403(request.user)
    form = TrainingSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(actor=request.user, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The training session was recorded."))
            return redirect("incentives:session-detail", pk=session.pk)
    return render(request, "incentives/session_form.html", {"form": form, "session": None})


def _session(request: HttpRequest, pk: Any, action: str = VIEW) -> TrainingSession:
    _training_reader(request.user)
    session: TrainingSession = get_object_for_user(TrainingSession, request.user, pk, action)
    return session


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, CHANGE)
    form = TrainingSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(actor=request.user, session_id=session.pk, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The training session was saved."))
            return redirect("incentives:session-detail", pk=session.pk)
    return render(request, "incentives/session_form.html", {"form": form, "session": session})


def _import_key(session: TrainingSession) -> str:
    return "gb_incentives_import:{}".format(session.pk)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    attendance = session.attendance.select_related("organisation").order_by("organisation_name", "person_name", "pk")
    context: dict[str, Any] = {
        "session": session,
        "attendance": attendance,
        "counts": selectors.attendance_counts(session.attendance.all()),
        "audiences": list(Audience),
        "may_manage": is_bureau(request.user),
        "import_report": request.session.pop(_import_key(session), None),
    }
    if context["may_manage"]:
        context["attendance_form"] = take_refused_form(
            request, "session-{}-attendance".format(session.pk), AttendanceForm, session=session
        ) or AttendanceForm(session=session)
        context["import_form"] = ImportForm()
    return render(request, "incentives/session_detail.html", context)


@login_required
@require_POST
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, CHANGE)
    form = AttendanceForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.record_attendance(actor=request.user, session_id=session.pk, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The attendee was recorded."))
            return redirect("incentives:session-detail", pk=session.pk)
    keep_refused_form(request, "session-{}-attendance".format(session.pk), form)
    return redirect("{}#attendance-form".format(reverse("incentives:session-detail", args=[session.pk])))


@login_required
@require_POST
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, CHANGE)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a workbook to import."))
        return redirect("incentives:session-detail", pk=session.pk)
    outcome = services.import_attendance(
        actor=request.user, session_id=session.pk, uploaded_file=form.cleaned_data["workbook"]
    )
    if outcome.ok:
        messages.success(request, _("{count} attendees were imported.").format(count=outcome.created))
    else:
        messages.error(request, outcome.refused or _("Errors found: nothing was imported. See the row report."))
        request.session[_import_key(session)] = {"refused": outcome.refused, "errors": outcome.errors}
    return redirect("{}#import".format(reverse("incentives:session-detail", args=[session.pk])))


@login_required
def attendance_template(request: HttpRequest, pk: int) -> HttpResponse:
    from greenbuild.incentives.importers import AttendanceImporter
    from greenbuild.reports.excel import xlsx_response

    session = _session(request, pk, CHANGE)
    return xlsx_response(
        AttendanceImporter(session).template_workbook(), "training-attendance-{}.xlsx".format(session.pk)
    )
