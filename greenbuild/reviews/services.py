"""Every write of the reviews app: the pool, the draw, the seats, the scores, the moves.

Each service takes a keyword-only ``actor``, runs in one transaction, locks the rows it changes,
checks the permission (``ActionForbidden``, 403) and the state (``DomainError`` with a message in
the user's language, nothing written), records the history author, and sends notifications after
the commit. The plan's status is never set here: ``greenbuild.plans.services`` moves it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership, User
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import apply_move
from greenbuild.reviews import consolidate as calc
from greenbuild.reviews import draw as drawing
from greenbuild.reviews import permissions
from greenbuild.reviews.choices import Outcome, RoundStatus, SeatResponse, Specialty
from greenbuild.reviews.models import (
    CriteriaScheme,
    ExpertProfile,
    ExpertScore,
    PanelSeat,
    ReviewRound,
)
from greenbuild.reviews.workflow import ROUND_WORKFLOW, pending_conclusion

# --- the expert pool ---------------------------------------------------------------------------


@transaction.atomic
def save_expert_profile(*, actor: User, user_id: Any, data: dict[str, Any]) -> ExpertProfile:
    """Create or change the profile of an expert (a user with the expert role); the bureau only."""
    if not permissions.can_manage_pool(actor):
        raise ActionForbidden()
    user = User.objects.filter(pk=user_id, memberships__role=Role.EXPERT).distinct().first()
    if user is None:
        raise DomainError(_("Only a user with the expert role can have an expert profile."), field="user")
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first() or ExpertProfile(user=user)
    unknown = [s for s in data.get("specialties", profile.specialties) if s not in Specialty.values]
    if unknown:
        raise DomainError(_("Choose the specialties from the list."), field="specialties")
    for name in ("specialties", "title", "employer", "available"):
        if name in data:
            setattr(profile, name, data[name])
    set_history_user(profile, actor)
    profile.save()
    return profile


def expert_candidates() -> list[drawing.Candidate]:
    """Every available expert of the pool with their specialties and organisations (for the draw)."""
    profiles = list(
        ExpertProfile.objects.filter(available=True, user__is_active=True, user__memberships__role=Role.EXPERT)
        .distinct()
        .order_by("user_id")
    )
    orgs: dict[int, set[int]] = {}
    for user_id, org_id in Membership.objects.filter(user_id__in=[p.user_id for p in profiles]).values_list(
        "user_id", "organisation_id"
    ):
        orgs.setdefault(user_id, set()).add(org_id)
    return [
        drawing.Candidate(
            id=p.user_id,
            specialties=frozenset(p.specialties),
            organisation_ids=frozenset(orgs.get(p.user_id, set()) | ({p.employer_id} if p.employer_id else set())),
        )
        for p in profiles
    ]


def conflicted_organisations(project: Any) -> set[int]:
    """The owner and every participant organisation of the project (回避)."""
    return {project.owner_id, *project.participants.values_list("organisation_id", flat=True)}


def draw_error_message(error: drawing.DrawError) -> tuple[str, str]:
    """(field, message in the user's language) for a refused draw."""
    if error.code == "even_size":
        return "panel_size", _("The panel size must be an odd number (3, 5, 7 …).")
    if error.code == "too_small":
        return "panel_size", _("A panel has at least {n} experts.").format(n=error.needed)
    if error.code == "too_few":
        return "panel_size", _(
            "Only {available} experts of the pool are available without a conflict of interest; {needed} are needed."
        ).format(available=error.available, needed=error.needed)
    if error.code == "specialty_missing":
        label = Specialty(error.specialty).label if error.specialty in Specialty.values else error.specialty
        return "required_specialties", _("No available expert without a conflict has the specialty {s}.").format(
            s=label
        )
    if error.code == "too_many_required":
        return "required_specialties", _("The required specialties need more experts than the panel size.")
    return "__all__", _("No further expert is available for a replacement.")


# --- the draw ----------------------------------------------------------------------------------


@transaction.atomic
def draw_panel(
    *,
    actor: User,
    plan_id: Any,
    panel_size: int = drawing.DEFAULT_PANEL_SIZE,
    required_specialties: list[str] | tuple[str, ...] = (),
    scheme: CriteriaScheme | None = None,
    deadline: dt.date | None = None,
    seed: int | None = None,
) -> ReviewRound:
    """Draw a panel for a submitted plan and open its review round (the plan goes into review)."""
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.models import GreenPlan

    if not permissions.can_draw(actor):
        raise ActionForbidden()
    plan = GreenPlan.objects.select_for_update(of=("self",)).select_related("project").filter(pk=plan_id).first()
    if plan is None:
        raise DomainError(_("No such plan."))
    if plan.status != PlanStatus.SUBMITTED or plan.current_version_id is None:
        raise DomainError(_("A panel is drawn only for a submitted plan."))
    if ReviewRound.objects.filter(plan=plan, status__in=[s.value for s in RoundStatus if s != "concluded"]).exists():
        raise DomainError(_("This plan already has a review in progress."))
    scheme = scheme or CriteriaScheme.objects.filter(active=True).order_by("pk").first()
    if scheme is None or not scheme.sections.exists():
        raise DomainError(_("Set up a criteria scheme with at least one section first."), field="scheme")
    unknown = [s for s in required_specialties if s not in Specialty.values]
    if unknown:
        raise DomainError(_("Choose the specialties from the list."), field="required_specialties")
    if deadline is not None and deadline < timezone.localdate():
        raise DomainError(_("The deadline cannot be in the past."), field="deadline")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    candidates = expert_candidates()
    conflicted = conflicted_organisations(plan.project)
    try:
        drawn = drawing.draw_panel(
            candidates,
            size=int(panel_size),
            required=required_specialties,
            seed=seed,
            conflicted_organisation_ids=conflicted,
        )
    except drawing.DrawError as error:
        field, message = draw_error_message(error)
        raise DomainError(message, field=field) from None
    pool = drawing.eligible(candidates, conflicted)
    review_round = ReviewRound(
        plan=plan,
        plan_version_id=plan.current_version_id,
        scheme=scheme,
        panel_size=int(panel_size),
        required_specialties=sorted(set(required_specialties)),
        seed=seed,
        pool_ids=[c.id for c in pool],
        excluded_ids=sorted({c.id for c in candidates} - {c.id for c in pool}),
        deadline=deadline,
        drawn_by=actor,
    )
    set_history_user(review_round, actor)
    review_round.save()
    for order, expert_id in enumerate(drawn, start=1):
        seat = PanelSeat(round=review_round, expert_id=expert_id, order=order, is_leader=order == 1)
        set_history_user(seat, actor)
        seat.save()
    plan_services.begin_review(actor=actor, plan_id=plan.pk, review_round=review_round)
    _on_commit_invite(review_round.pk, drawn, actor)
    return review_round


def _on_commit_invite(round_id: int, expert_ids: list[int], actor: User) -> None:
    from greenbuild.reviews.events import notify_invitations

    transaction.on_commit(lambda: notify_invitations(round_id, expert_ids, actor.pk))


def _lock_round(round_id: Any) -> ReviewRound:
    return ReviewRound.objects.select_for_update(of=("self",)).select_related("plan__project").get(pk=round_id)


def _lock_own_seat(actor: User, seat_id: Any) -> PanelSeat:
    """The actor's own seat, locked after its round (the same lock order everywhere)."""
    round_id = PanelSeat.objects.filter(pk=seat_id, expert_id=actor.pk).values_list("round_id", flat=True).first()
    if round_id is None:
        raise ActionForbidden()
    review_round = _lock_round(round_id)
    seat = PanelSeat.objects.select_for_update().get(pk=seat_id)
    seat.round = review_round
    return seat


def _replacement(review_round: ReviewRound, actor: User) -> PanelSeat | None:
    """Draw the next expert of the seed stream into the round (None: the stream is exhausted)."""
    seats = list(review_round.seats.all())
    seated = [s.expert_id for s in seats if s.seated]
    try:
        expert_id = drawing.draw_replacement(
            expert_candidates(),
            seed=review_round.seed,
            seated=seated,
            drawn_before=[s.expert_id for s in seats],
            required=review_round.required_specialties,
            conflicted_organisation_ids=conflicted_organisations(review_round.plan.project),
        )
    except drawing.DrawError:
        return None
    seat = PanelSeat(round=review_round, expert_id=expert_id, order=max(s.order for s in seats) + 1)
    set_history_user(seat, actor)
    seat.save()
    _on_commit_invite(review_round.pk, [expert_id], actor)
    return seat


def _hand_over(declined: PanelSeat, replacement: PanelSeat | None, actor: User) -> None:
    declined.replaced_by = replacement
    if declined.is_leader and replacement is not None:
        declined.is_leader = False
        replacement.is_leader = True
        set_history_user(replacement, actor)
        replacement.save(update_fields=["is_leader"])
    set_history_user(declined, actor)
    declined.save()


@transaction.atomic
def respond_to_seat(*, actor: User, seat_id: Any, accept: bool, conflict: bool = False, note: str = "") -> PanelSeat:
    """The drawn expert accepts or declines, declaring any conflict of interest.

    Accepting with a declared conflict is refused. A decline draws a replacement from the same
    seed stream at once when one is left (the bureau may retry later otherwise).
    """
    seat = _lock_own_seat(actor, seat_id)
    review_round = seat.round
    if not permissions.can_seat(actor, "respond", seat):
        raise DomainError(_("This invitation has already been answered."))
    note = (note or "").strip()
    if accept and conflict:
        raise DomainError(
            _("An expert with a conflict of interest cannot sit on the panel: decline the invitation."),
            field="conflict",
        )
    if conflict and not note:
        raise DomainError(_("Describe the conflict of interest."), field="note")
    seat.conflict_declared = bool(conflict)
    seat.conflict_note = note
    seat.responded_at = timezone.now()
    seat.response = SeatResponse.ACCEPTED if accept else SeatResponse.DECLINED
    set_history_user(seat, actor)
    seat.save()
    if not accept:
        replacement = _replacement(review_round, actor)
        _hand_over(seat, replacement, actor)
        from greenbuild.reviews.events import notify_declined

        transaction.on_commit(lambda: notify_declined(seat.pk, actor.pk))
    elif all(s.response == SeatResponse.ACCEPTED for s in review_round.active_seats()):
        apply_move(workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action="open_scoring")
    return seat


@transaction.atomic
def draw_replacement(*, actor: User, round_id: Any) -> PanelSeat:
    """The bureau draws a replacement for a declined seat that has none yet."""
    review_round = _lock_round(round_id)
    if not permissions.can(actor, "replace", review_round):
        raise ActionForbidden()
    if review_round.status != RoundStatus.PANEL:
        raise DomainError(_("Replacements are drawn only while the panel is being formed."))
    open_seat = (
        review_round.seats.select_for_update()
        .filter(response=SeatResponse.DECLINED, replaced_by__isnull=True)
        .order_by("order")
        .first()
    )
    if open_seat is None or len(review_round.active_seats()) >= review_round.panel_size:
        raise DomainError(_("No declined seat is waiting for a replacement."))
    replacement = _replacement(review_round, actor)
    if replacement is None:
        raise DomainError(_("No further expert is available for a replacement."))
    _hand_over(open_seat, replacement, actor)
    return replacement


# --- scores ------------------------------------------------------------------------------------


def plain(value: Decimal) -> str:
    """``10.00`` as ``10``, ``7.50`` as ``7.5`` (never ``1E+1``)."""
    return format(value.normalize(), "f")


def parse_scores(review_round: ReviewRound, raw: dict[str, Any], *, complete: bool) -> dict[int, tuple[Decimal, str]]:
    """``{section id: (score, comment)}`` from ``raw`` (``score_<id>``, ``comment_<id>``), checked
    against each section's range. Raises ``DomainError`` on the first bad field."""
    cleaned: dict[int, tuple[Decimal, str]] = {}
    for section in review_round.scheme.sections.all():
        key = "score_{}".format(section.pk)
        text = str(raw.get(key, "") or "").strip()
        comment = str(raw.get("comment_{}".format(section.pk), "") or "").strip()
        if not text:
            if complete:
                raise DomainError(_("Give a score for every section before submitting."), field=key)
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise DomainError(_("Enter a number."), field=key) from None
        if not value.is_finite() or value != value.quantize(Decimal("0.01")):
            raise DomainError(_("Enter a number with at most two decimals."), field=key)
        if not section.min_score <= value <= section.max_score:
            raise DomainError(
                _("The score of “{section}” must be between {low} and {high}.").format(
                    section=section.title, low=plain(section.min_score), high=plain(section.max_score)
                ),
                field=key,
            )
        cleaned[section.pk] = (value, comment)
    return cleaned


@transaction.atomic
def save_scores(*, actor: User, seat_id: Any, data: dict[str, Any], submit: bool = False) -> PanelSeat:
    """Save the expert's section scores and comments (a draft), or submit them (final)."""
    seat = _lock_own_seat(actor, seat_id)
    review_round = seat.round
    if not permissions.can_seat(actor, "score", seat):
        raise DomainError(_("Scores can be given only by an accepted expert while the round is scoring, once."))
    cleaned = parse_scores(review_round, data, complete=submit)
    now = timezone.now()
    existing = {s.section_id: s for s in seat.scores.select_for_update()}
    for section_id, (value, comment) in cleaned.items():
        score = existing.get(section_id) or ExpertScore(seat=seat, section_id=section_id)
        score.score, score.comment = value, comment
        score.submitted_at = now if submit else None
        set_history_user(score, actor)
        score.save()
    if submit:
        seat.submitted_at = now
        set_history_user(seat, actor)
        seat.save(update_fields=["submitted_at"])
        from greenbuild.reviews.events import notify_submitted

        transaction.on_commit(lambda: notify_submitted(seat.pk, actor.pk))
    return seat


def expert_totals(review_round: ReviewRound) -> dict[int, Decimal]:
    """{seat id: the expert's total} for the seats that submitted."""
    sections = list(review_round.scheme.sections.all())
    specs = [calc.Section(str(s.pk), s.weight, s.min_score, s.max_score) for s in sections]
    totals: dict[int, Decimal] = {}
    seats = [s for s in review_round.active_seats() if s.submitted_at is not None]
    by_seat: dict[int, dict[str, Decimal]] = {}
    for score in ExpertScore.objects.filter(seat__in=seats):
        by_seat.setdefault(score.seat_id, {})[str(score.section_id)] = score.score
    for seat in seats:
        try:
            totals[seat.pk] = calc.expert_total(specs, by_seat.get(seat.pk, {}))
        except ValueError:
            continue  # the scheme changed under a submitted score: left out rather than guessed
    return totals


def consolidated_score(review_round: ReviewRound) -> Decimal | None:
    return calc.consolidate(list(expert_totals(review_round).values()), review_round.scheme.consolidation)


def reveal_scores(*, actor: User, review_round: ReviewRound, request: Any = None) -> None:
    """Audit that the panel's individual scores were shown to ``actor``."""
    from greenbuild.audit.choices import EventKind
    from greenbuild.audit.services import record_event

    if not permissions.can(actor, permissions.SEE_SCORES, review_round):
        raise ActionForbidden()
    record_event(EventKind.BLIND_DATA_REVEALED, actor=actor, request=request, target=review_round)


# --- moves -------------------------------------------------------------------------------------


@transaction.atomic
def request_clarification(*, actor: User, round_id: Any, question: str) -> Any:
    """The leader (or the bureau) asks the owner for information; the plan waits for the answer."""
    from greenbuild.plans import services as plan_services

    review_round = _lock_round(round_id)
    transition = apply_move(
        workflow=ROUND_WORKFLOW,
        actor=actor,
        obj_or_pk=review_round.pk,
        action="request_clarification",
        comment=question,
    )
    plan_services.request_clarification(actor=actor, plan_id=review_round.plan_id, question=question.strip())
    return transition


def resume_after_answer(version: Any) -> None:
    """A plan version frozen from the owner's answer brings the open round back to scoring on it.

    Called (inside the plans service's transaction) by ``receivers.py``. Scores already
    submitted are reopened as drafts, so every expert reviews the new version.
    """
    review_round = (
        ReviewRound.objects.select_for_update()
        .filter(plan_id=version.plan_id, status=RoundStatus.CLARIFICATION)
        .first()
    )
    if review_round is None:
        return
    actor = version.submitted_by
    review_round.plan_version = version
    set_history_user(review_round, actor)
    review_round.save(update_fields=["plan_version", "updated_at"])
    for seat in review_round.seats.select_for_update().filter(submitted_at__isnull=False):
        seat.submitted_at = None
        set_history_user(seat, actor)
        seat.save(update_fields=["submitted_at"])
        seat.scores.update(submitted_at=None)
    apply_move(workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action="resume", comment=version.note)


@transaction.atomic
def conclude_round(*, actor: User, round_id: Any, conclusion: str, reasons: str) -> Any:
    """The leader records the conclusion, once every seated expert submitted; the plan follows."""
    from greenbuild.plans import services as plan_services

    review_round = _lock_round(round_id)
    if not permissions.can(actor, "view", review_round):
        raise ActionForbidden()
    if review_round.status != RoundStatus.SCORING:
        raise TransitionNotAllowed(
            str(ROUND_WORKFLOW.not_allowed).format(
                action=ROUND_WORKFLOW.table["conclude"].label, status=review_round.status_label
            )
        )
    if not permissions.can(actor, "conclude", review_round):
        raise ActionForbidden()
    if conclusion not in Outcome.values:
        raise DomainError(_("Choose the conclusion."), field="conclusion")
    if not (reasons or "").strip():
        raise DomainError(_("Please give a reason in the comment."), field="comment")
    blocked = [str(reason) for reason in ROUND_WORKFLOW.table["conclude"].guards[0](review_round, actor)]
    if blocked:
        raise DomainError(blocked[0])
    # the plan first: its leader check reads the round while it is still open
    plan_services.conclude_plan(
        actor=actor, plan_id=review_round.plan_id, outcome=conclusion, review_round=review_round, reasons=reasons
    )
    token = pending_conclusion.set({"conclusion": conclusion, "consolidated_score": consolidated_score(review_round)})
    try:
        return apply_move(
            workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action="conclude", comment=reasons
        )
    finally:
        pending_conclusion.reset(token)


def start_decision_letter(*, actor: User, round_id: Any) -> Any:
    """Generate the decision letter (评审意见书) as a PDF in the background."""
    from greenbuild.jobs.services import start_job
    from greenbuild.reviews.tasks import DECISION_LETTER

    review_round = permissions.get_round_for_user(actor, round_id, "letter")
    return start_job(DECISION_LETTER, actor=actor, project=review_round.plan.project, params={"round": review_round.pk})
