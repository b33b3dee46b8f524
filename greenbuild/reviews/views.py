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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import parse_id
from greenbuild.lists.sorting import Column, ListSort
from greenbuild.plans.permissions import get_plan_for_user
from greenbuild.reviews import permissions, services
from greenbuild.reviews.choices import (
    OPEN_STATUSES,
    Exclusion,
    LeaderSelection,
    Outcome,
    RoundEventKind,
    RoundStatus,
    SeatResponse,
    Specialty,
)
from greenbuild.reviews.forms import (
    ClarificationForm,
    ConclusionForm,
    DrawForm,
    ExpertProfileForm,
    RespondForm,
    opinion_initial,
    score_initial,
)
from greenbuild.reviews.models import (
    DECLARATION_TEXT,
    ExpertProfile,
    ExpertScore,
    PanelSeat,
    ReviewRound,
    list_text,
)
from greenbuild.reviews.workflow import ROUND_WORKFLOW

#: The review rounds' sortable columns.
ROUND_SORT = ListSort(
    Column("project", gettext_lazy("Project"), ("plan__project__name",)),
    Column("status", gettext_lazy("Status"), ("status",)),
    Column("deadline", gettext_lazy("Scoring deadline"), ("deadline",)),
    Column("conclusion", gettext_lazy("Conclusion"), ("conclusion",)),
)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """My reviews: the bureau's rounds and plans waiting for a panel; an expert's seats; an owner's rounds."""
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.models import GreenPlan

    user = request.user
    rounds = (
        permissions.ROUND_GATE.for_user(user)
        .select_related("plan__project", "scheme")
        .prefetch_related(Prefetch("seats", queryset=permissions.seats_of(user), to_attr="my_seats"))
        .order_by("-created_at", "-pk")
    )
    sort = ROUND_SORT.apply(request, rounds)  # sortable columns (lists.sorting, the field policy)
    rounds = sort.queryset[:200]
    waiting = []
    if permissions.can_draw(user):
        waiting = list(
            GreenPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related("project", "current_version")[:200]
        )
    rows = [(r, (r.my_seats or [None])[0]) for r in rounds]
    return render(
        request,
        "reviews/round_list.html",
        {"rows": rows, "waiting": waiting, "can_draw": permissions.can_draw(user), "sort": sort},
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
    pool, eligible, _reasons = services.screen_candidates(plan)  # 回避 as the draw applies it
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.reviews.choices import OPEN_STATUSES

    return render(
        request,
        "reviews/draw.html",
        {
            "plan": plan,
            # REV-14: a plan already in review says so, with a link to its round
            "open_round": ReviewRound.objects.filter(plan=plan, status__in=list(OPEN_STATUSES)).first(),
            "not_submitted": plan.status != PlanStatus.SUBMITTED,
            "form": form,
            "pool_size": len(pool),
            "eligible": len(eligible),
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
    extra = _round_extras(request, review_round, seats, my_seat, see_scores)
    return {
        **extra,
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
        "respond_form": (take_refused_form(request, _respond_key(my_seat), RespondForm) or RespondForm())
        if my_seat and permissions.can_seat(user, "respond", my_seat)
        else None,
        "can_score": bool(my_seat and permissions.can_seat(user, "score", my_seat)),
        "clarify_form": ClarificationForm()
        if review_round.status == RoundStatus.SCORING and permissions.can(user, "request_clarification", review_round)
        else None,
        "conclude_form": _conclusion_form(request, review_round)
        if review_round.status == RoundStatus.SCORING and permissions.can(user, "conclude", review_round)
        else None,
        "can_replace": is_bureau
        and review_round.status == RoundStatus.PANEL
        and any(s.response == SeatResponse.DECLINED and s.replaced_by_id is None for s in seats)
        and len(active) < review_round.panel_size,
        "can_letter": permissions.can(user, "letter", review_round),
        "transitions": _timeline(review_round),
        "required_labels": list_text(
            [Specialty(s).label for s in review_round.required_specialties if s in Specialty.values]
        ),
        "workflow": ROUND_WORKFLOW,
    }


def _timeline(review_round: ReviewRound) -> list[tuple[Any, str, Any]]:
    """The round's timeline: its status moves and its events (declines, replacements, the
    leader, submissions), by time, as (time, text, actor or None)."""
    rows: list[tuple[Any, str, Any]] = []
    for t in review_round.transitions.select_related("actor").order_by("at", "pk"):
        label = str(RoundStatus(t.to_status).label)
        if t.to_status == RoundStatus.SCORING and t.from_status == RoundStatus.PANEL:
            # made by the service when the last expert accepted: credited to nobody
            rows.append((t.at, _("Scoring started: every seated expert has accepted"), None))
            continue
        rows.append((t.at, "{}{}".format(label, " — {}".format(t.comment) if t.comment else ""), t.actor))
    for event in review_round.events.select_related("actor", "seat__expert").order_by("at", "pk"):
        text = str(event.get_kind_display())
        if event.kind in (RoundEventKind.REPLACED, RoundEventKind.LEADER_APPOINTED, RoundEventKind.LEADER_ELECTED):
            text = pgettext("timeline event and whom it names", "{event}: {name}").format(
                event=text, name=event.seat.expert if event.seat else event.note
            )
        rows.append((event.at, text, event.actor))
    return sorted(rows, key=lambda row: row[0])


def _round_extras(
    request: HttpRequest, review_round: ReviewRound, seats: list[PanelSeat], my_seat: Any, see_scores: bool
) -> dict[str, Any]:
    """The parts of the round page for item 3 and REV-13/18: the exclusions (bureau only), the
    consolidated opinions, the leader's appointment or election."""
    user = request.user
    is_bureau = permissions.can_draw(user)
    accepted = [s for s in seats if s.response == SeatResponse.ACCEPTED]
    is_open = review_round.status in OPEN_STATUSES
    has_leader = any(s.is_leader for s in accepted)
    selection = services.leader_selection(review_round)
    consolidated = services.consolidate_opinions(review_round) if see_scores else None
    return {
        "exclusions": [
            {**row, "reason_label": Exclusion(row["reason"]).label if row.get("reason") in Exclusion.values else ""}
            for row in review_round.exclusions
        ]
        if permissions.can(user, "view_exclusions", review_round)
        else None,
        "opinions": consolidated,
        "allowed_labels": [Outcome(v).label for v in consolidated.allowed] if consolidated else [],
        "leader_selection": LeaderSelection(selection).label,
        "appoint_seats": accepted
        if is_open and is_bureau and selection == LeaderSelection.APPOINTED and accepted
        else [],
        "vote_seats": accepted
        if is_open
        and not has_leader
        and selection == LeaderSelection.ELECTED
        and my_seat is not None
        and my_seat.response == SeatResponse.ACCEPTED
        else [],
        "no_leader": is_open and not has_leader,
    }


def _respond_key(seat: Any) -> str:
    return "seat-{}-respond".format(seat.pk)


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
        keep_refused_form(request, _respond_key(seat), form)
        messages.error(request, _("Choose whether you accept or decline."))
        return redirect(reverse("reviews:round-detail", args=[seat.round_id]) + "#respond-form")
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
        # the answer comes back on the round's page with every input kept (UI-05)
        apply_service_error(form, error)
        keep_refused_form(request, _respond_key(seat), form)
        messages.error(request, str(error.message))
        return redirect(reverse("reviews:round-detail", args=[seat.round_id]) + "#respond-form")
    if data["decision"] == "accept":
        messages.success(request, _("Thank you: you sit on the panel."))
        return _back(seat.round)
    messages.success(request, _("You declined the invitation; a replacement is drawn."))
    return redirect("reviews:round-list")


@login_required
def seat_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's scoring form, one row per section, and the opinion form (专家评审意见表);
    saved as a draft, or submitted once after a confirmation step (REV-20). A refused save keeps
    every input."""
    seat = permissions.get_seat_for_user(request.user, pk)
    if seat.expert_id != request.user.pk:
        raise ActionForbidden()  # the bureau sees every seat, but scores none
    review_round = ReviewRound.objects.select_related("plan__project", "plan_version", "scheme").get(pk=seat.round_id)
    sections = list(review_round.scheme.sections.all())
    if not permissions.can_seat(request.user, "score", seat):
        if request.method == "POST" and seat.submitted_at is None:
            raise ActionForbidden()
        if request.method == "POST":  # a second tab, or the back button, after the submission
            messages.error(request, _("Your scores and opinion were submitted already; they cannot be changed."))
        return _back(review_round)
    values: dict[str, Any] = {**score_initial(seat), **opinion_initial(seat)}
    error_field, error_message = None, None
    confirm = None
    if request.method == "POST":
        values = {
            k: v
            for k, v in request.POST.items()
            if k.startswith(("score_", "comment_")) or k in services.OPINION_FIELDS
        }
        submit = "submit" in request.POST and "edit" not in request.POST
        try:
            if "edit" in request.POST:
                pass  # back from the confirmation to the form, every input kept
            elif submit and "confirmed" not in request.POST:
                # check everything first, write nothing, and ask for the confirmation
                services.parse_scores(review_round, values, complete=True)
                services.parse_opinion(values, complete=True)
                confirm = _confirmation(review_round, sections, values)
            else:
                services.save_scores(actor=request.user, seat_id=seat.pk, data=values, submit=submit)
        except DomainError as error:
            error_field, error_message = error.field, str(error.message)
        else:
            if confirm is None and "edit" not in request.POST:
                if submit:
                    messages.success(request, _("Your scores and opinion are submitted."))
                    return _back(review_round)
                messages.success(request, _("Your scores and opinion are saved as a draft."))
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
    opinion_errors = {name: error_message for name in services.OPINION_FIELDS if error_field == name}
    shown = any(r["error"] for r in rows) or bool(opinion_errors)
    general_error = error_message if error_message and not shown else None
    return render(
        request,
        "reviews/seat_score.html",
        {
            "seat": seat,
            "round": review_round,
            "rows": rows,
            "general_error": general_error,
            "opinion": values,
            "opinion_errors": opinion_errors,
            "outcomes": Outcome.choices,
            "declaration_text": DECLARATION_TEXT,
            "confirm": confirm,
            "hidden": sorted(values.items()) if confirm else [],
        },
        status=400 if error_message else 200,
    )


def _confirmation(review_round: ReviewRound, sections: list[Any], values: dict[str, Any]) -> dict[str, Any]:
    """What the expert is about to submit, for the confirmation step."""
    from decimal import Decimal

    from greenbuild.reviews import consolidate as calc

    specs = [calc.Section(str(x.pk), x.weight, x.min_score, x.max_score) for x in sections]
    scores = {str(x.pk): Decimal(str(values["score_{}".format(x.pk)]).strip()) for x in sections}
    recommendation = values.get("recommendation", "")
    return {
        "total": calc.expert_total(specs, scores),
        "scores": [(x.title, scores[str(x.pk)]) for x in sections],
        "recommendation": Outcome(recommendation).label if recommendation in Outcome.values else "",
    }


@login_required
@require_POST
def round_leader(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau appoints the panel leader, or a seated expert votes for one (the scheme says which)."""
    review_round = permissions.get_round_for_user(request.user, pk)
    try:
        if services.leader_selection(review_round) == LeaderSelection.APPOINTED:
            seat = services.appoint_leader(
                actor=request.user, round_id=review_round.pk, seat_id=request.POST.get("seat")
            )
            messages.success(request, _("{expert} leads the panel.").format(expert=seat.expert))
        else:
            services.vote_for_leader(actor=request.user, round_id=review_round.pk, seat_id=request.POST.get("seat"))
            messages.success(request, _("Your vote for the panel leader is recorded."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(review_round)


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


def _conclusion_key(review_round: Any) -> str:
    return "round-{}-conclude".format(review_round.pk)


def _conclusion_form(request: HttpRequest, review_round: ReviewRound) -> ConclusionForm:
    """The leader's conclusion form: the refused one with its input, else a new one with no
    conclusion chosen and the experts' merged revision requirements as a start."""
    kept = take_refused_form(request, _conclusion_key(review_round), ConclusionForm)
    if isinstance(kept, ConclusionForm):
        return kept
    merged = services.consolidate_opinions(review_round).revision_requirements
    return ConclusionForm(initial={"requirements": "\n".join(merged)})


@login_required
@require_POST
def round_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's conclusion; a refused one comes back on the round's page with every input
    kept (post/redirect/get)."""
    review_round = permissions.get_round_for_user(request.user, pk, "conclude")
    if review_round.status == RoundStatus.CONCLUDED:  # a doubled or stale post changes nothing
        messages.info(
            request,
            _("The conclusion was recorded already: {conclusion}.").format(
                conclusion=review_round.get_conclusion_display()
            ),
        )
        return _back(review_round)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.conclude_round(
                actor=request.user,
                round_id=review_round.pk,
                conclusion=form.cleaned_data["conclusion"],
                reasons=form.cleaned_data["reasons"],
                requirements=form.cleaned_data["requirements"],
                revision_deadline=form.cleaned_data["revision_deadline"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The conclusion has been recorded."))
            return _back(review_round)
    keep_refused_form(request, _conclusion_key(review_round), form)
    messages.error(request, _("The conclusion was not recorded: see the form below."))
    return redirect(reverse("reviews:round-detail", args=[review_round.pk]) + "#conclude-form")


@login_required
@require_POST
def round_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau issues the decision letter (documents register); a second press files nothing."""
    review_round = permissions.get_round_for_user(request.user, pk, "letter")
    try:
        document, created = services.issue_decision_letter(actor=request.user, round_id=review_round.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
        return _back(review_round)
    if created:
        messages.success(request, _("The decision letter {number} has been issued.").format(number=document.number))
    else:
        messages.info(request, _("The decision letter was issued already: {number}.").format(number=document.number))
    return _back(review_round)


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
