"""Pages of the expert review: the pool, the draw, a round, an expert's seat and scores.

Every object comes through the gate (``permissions.py``); every write through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import parse_id
from greenbuild.plans.permissions import get_plan_for_user
from greenbuild.reviews import permissions, services
from greenbuild.reviews.choices import RoundStatus, SeatResponse, Specialty
from greenbuild.reviews.forms import (
    ClarificationForm,
    ConclusionForm,
    DrawForm,
    ExpertProfileForm,
    RespondForm,
    score_initial,
)
from greenbuild.reviews.models import ExpertProfile, ExpertScore, PanelSeat, ReviewRound, list_text
from greenbuild.reviews.workflow import ROUND_WORKFLOW


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """My reviews: the bureau's rounds and plans waiting for a panel; an expert's seats; an owner's rounds."""
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.models import GreenPlan

    user = request.user
    rounds = (
        permissions.ROUND_GATE.for_user(user)
        .select_related("plan__project", "scheme")
        .prefetch_related(Prefetch("seats", queryset=PanelSeat.objects.filter(expert_id=user.pk), to_attr="my_seats"))
        .order_by("-created_at", "-pk")[:200]
    )
    waiting = []
    if permissions.can_draw(user):
        waiting = list(
            GreenPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related("project", "current_version")[:200]
        )
    rows = [(r, (r.my_seats or [None])[0]) for r in rounds]
    return render(
        request,
        "reviews/round_list.html",
        {"rows": rows, "waiting": waiting, "can_draw": permissions.can_draw(user)},
    )


@login_required
def draw(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The bureau draws a panel for a submitted plan."""
    plan = get_plan_for_user(request.user, plan_pk)
    if not permissions.can_draw(request.user):
        raise ActionForbidden()
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_round = services.draw_panel(
                actor=request.user,
                plan_id=plan.pk,
                panel_size=data["panel_size"],
                required_specialties=data["required_specialties"],
                scheme=data["scheme"],
                deadline=data["deadline"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The panel has been drawn; the experts are invited."))
            return redirect("reviews:round-detail", pk=review_round.pk)
    pool = services.expert_candidates()
    conflicted = services.conflicted_organisations(plan.project)
    return render(
        request,
        "reviews/draw.html",
        {
            "plan": plan,
            "form": form,
            "pool_size": len(pool),
            "eligible": len(services.drawing.eligible(pool, conflicted)),
        },
    )


def _round_context(request: HttpRequest, review_round: ReviewRound) -> dict[str, Any]:
    user = request.user
    seats = list(review_round.seats.select_related("expert__expert_profile__employer", "replaced_by__expert"))
    active = [s for s in seats if s.seated]
    my_seat = next((s for s in active if s.expert_id == user.pk), None)
    see_scores = permissions.can(user, permissions.SEE_SCORES, review_round)
    sections = list(review_round.scheme.sections.all())
    table: list[dict[str, Any]] = []
    totals: dict[int, Any] = {}
    consolidated = None
    if see_scores:
        scores = ExpertScore.objects.filter(seat__in=[s for s in active if s.submitted_at is not None])
        by_seat: dict[int, dict[int, Any]] = {}
        for score in scores:
            by_seat.setdefault(score.seat_id, {})[score.section_id] = score
        totals = services.expert_totals(review_round)
        consolidated = services.consolidated_score(review_round)
        table = [
            {"seat": s, "scores": [by_seat.get(s.pk, {}).get(x.pk) for x in sections], "total": totals.get(s.pk)}
            for s in active
            if s.submitted_at is not None
        ]
        if any(row["seat"].expert_id != user.pk for row in table):
            services.reveal_scores(actor=user, review_round=review_round, request=request)
    is_bureau = permissions.can_draw(user)
    return {
        "round": review_round,
        "plan": review_round.plan,
        "project": review_round.plan.project,
        "seats": seats if is_bureau else [],
        "panel": active if (is_bureau or my_seat is not None) else [],
        "my_seat": my_seat,
        "is_bureau": is_bureau,
        "sections": sections,
        "see_scores": see_scores,
        "table": table,
        "consolidated": consolidated,
        "submitted_count": sum(1 for s in active if s.submitted_at is not None),
        "active_count": len(active),
        "respond_form": RespondForm() if my_seat and permissions.can_seat(user, "respond", my_seat) else None,
        "can_score": bool(my_seat and permissions.can_seat(user, "score", my_seat)),
        "clarify_form": ClarificationForm()
        if review_round.status == RoundStatus.SCORING and permissions.can(user, "request_clarification", review_round)
        else None,
        "conclude_form": ConclusionForm()
        if review_round.status == RoundStatus.SCORING and permissions.can(user, "conclude", review_round)
        else None,
        "can_replace": is_bureau
        and review_round.status == RoundStatus.PANEL
        and any(s.response == SeatResponse.DECLINED and s.replaced_by_id is None for s in seats)
        and len(active) < review_round.panel_size,
        "can_letter": permissions.can(user, "letter", review_round),
        "transitions": [
            (t, RoundStatus(t.to_status).label)
            for t in review_round.transitions.select_related("actor").order_by("at", "pk")
        ],
        "required_labels": list_text(
            [Specialty(s).label for s in review_round.required_specialties if s in Specialty.values]
        ),
        "workflow": ROUND_WORKFLOW,
    }


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = permissions.get_round_for_user(request.user, pk)
    return render(request, "reviews/round_detail.html", _round_context(request, review_round))


def _back(review_round: Any) -> HttpResponse:
    return redirect("reviews:round-detail", pk=review_round.pk)


@login_required
@require_POST
def seat_respond(request: HttpRequest, pk: int) -> HttpResponse:
    seat = permissions.get_seat_for_user(request.user, pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you accept or decline."))
        return _back(seat.round)
    data = form.cleaned_data
    try:
        services.respond_to_seat(
            actor=request.user,
            seat_id=seat.pk,
            accept=data["decision"] == "accept",
            conflict=data["conflict"],
            note=data["note"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return _back(seat.round)
    if data["decision"] == "accept":
        messages.success(request, _("Thank you: you sit on the panel."))
        return _back(seat.round)
    messages.success(request, _("You declined the invitation; a replacement is drawn."))
    return redirect("reviews:round-list")


@login_required
def seat_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's scoring form, one row per section; saved as a draft or submitted once."""
    seat = permissions.get_seat_for_user(request.user, pk)
    if seat.expert_id != request.user.pk:
        raise ActionForbidden()  # the bureau sees every seat, but scores none
    review_round = ReviewRound.objects.select_related("plan__project", "plan_version", "scheme").get(pk=seat.round_id)
    sections = list(review_round.scheme.sections.all())
    if not permissions.can_seat(request.user, "score", seat):
        if request.method == "POST":
            raise ActionForbidden()
        return _back(review_round)
    values: dict[str, Any] = score_initial(seat)
    error_field, error_message = None, None
    if request.method == "POST":
        values = {k: v for k, v in request.POST.items() if k.startswith(("score_", "comment_"))}
        submit = "submit" in request.POST
        try:
            services.save_scores(actor=request.user, seat_id=seat.pk, data=values, submit=submit)
        except DomainError as error:
            error_field, error_message = error.field, str(error.message)
        else:
            if submit:
                messages.success(request, _("Your scores are submitted."))
                return _back(review_round)
            messages.success(request, _("Your scores are saved as a draft."))
            return redirect("reviews:seat-score", pk=seat.pk)
    rows = [
        {
            "section": s,
            "score_name": "score_{}".format(s.pk),
            "comment_name": "comment_{}".format(s.pk),
            "score": values.get("score_{}".format(s.pk), ""),
            "comment": values.get("comment_{}".format(s.pk), ""),
            "error": error_message if error_field == "score_{}".format(s.pk) else None,
        }
        for s in sections
    ]
    general_error = error_message if error_message and not any(r["error"] for r in rows) else None
    return render(
        request,
        "reviews/seat_score.html",
        {"seat": seat, "round": review_round, "rows": rows, "general_error": general_error},
        status=400 if error_message else 200,
    )


@login_required
@require_POST
def round_replace(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = permissions.get_round_for_user(request.user, pk, "replace")
    try:
        services.draw_replacement(actor=request.user, round_id=review_round.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A replacement expert has been drawn."))
    return _back(review_round)


@login_required
@require_POST
def round_clarify(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = permissions.get_round_for_user(request.user, pk, "request_clarification")
    form = ClarificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the question to the owner."))
        return _back(review_round)
    try:
        services.request_clarification(
            actor=request.user, round_id=review_round.pk, question=form.cleaned_data["question"]
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The question has been sent to the owner."))
    return _back(review_round)


@login_required
@require_POST
def round_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = permissions.get_round_for_user(request.user, pk, "conclude")
    form = ConclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the conclusion and give the reasons."))
        return _back(review_round)
    try:
        services.conclude_round(
            actor=request.user,
            round_id=review_round.pk,
            conclusion=form.cleaned_data["conclusion"],
            reasons=form.cleaned_data["reasons"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The conclusion has been recorded."))
    return _back(review_round)


@login_required
@require_POST
def round_letter(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = permissions.get_round_for_user(request.user, pk, "letter")
    job = services.start_decision_letter(actor=request.user, round_id=review_round.pk)
    return redirect("jobs:job-detail", pk=job.pk)


# --- the expert pool (bureau) ------------------------------------------------------------------


def _experts() -> Any:
    return User.objects.filter(memberships__role=Role.EXPERT).distinct().order_by("pk")


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_pool(request.user):
        raise Http404("No such page.")
    experts = _experts().select_related("expert_profile__employer")[:500]
    return render(request, "reviews/expert_list.html", {"experts": experts})


@login_required
def expert_edit(request: HttpRequest, user_pk: int) -> HttpResponse:
    if not permissions.can_manage_pool(request.user):
        raise Http404("No such page.")
    number = parse_id(user_pk)
    expert = _experts().filter(pk=number).first() if number else None
    if expert is None:
        raise Http404("No such object.")
    profile = ExpertProfile.objects.filter(user=expert).first()
    initial = (
        {
            "specialties": profile.specialties,
            "title": profile.title,
            "employer": profile.employer,
            "available": profile.available,
        }
        if profile
        else {"available": True}
    )
    form = ExpertProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_expert_profile(actor=request.user, user_id=expert.pk, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The expert profile has been saved."))
            return redirect("reviews:expert-list")
    return render(request, "reviews/expert_form.html", {"expert": expert, "form": form})
