"""Every write of the reviews app: the pool, the draw, the seats, the scores, the moves.

Each service takes a keyword-only ``actor``, runs in one transaction, locks the rows it changes,
checks the permission (``ActionForbidden``, 403) and the state (``DomainError`` with a message in
the user's language, nothing written), records the history author, and sends notifications after
the commit. The plan's status is never set here: ``greenbuild.plans.services`` moves it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership, User
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import parse_id
from greenbuild.core.workflow import apply_move
from greenbuild.reviews import consolidate as calc
from greenbuild.reviews import draw as drawing
from greenbuild.reviews import permissions
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
from greenbuild.reviews.models import (
    DECLARATION_TEXT,
    CriteriaScheme,
    CriteriaSection,
    ExpertOpinion,
    ExpertProfile,
    ExpertScore,
    PanelSeat,
    ReviewRound,
    RoundEvent,
    ScoreBand,
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


# --- criteria schemes --------------------------------------------------------------------------


def _version_name(name: str) -> str:
    """``name`` with the next free version mark: “标准” → “标准（第2版）” → “标准（第3版）”."""
    import re

    base = re.sub(r"(（第\d+版）| \(version \d+\))$", "", name)
    number = 2
    while True:
        candidate = _("{name} (version {number})").format(name=base, number=number)
        if not CriteriaScheme.objects.filter(name=candidate).exists():
            return candidate
        number += 1


@transaction.atomic
def copy_scheme_as_new_version(*, actor: User, scheme_id: Any, name: str = "") -> CriteriaScheme:
    """A new, editable version of a criteria scheme: its rules, sections and score bands copied.

    A scheme a round uses is frozen (``CriteriaScheme.in_use``); a change to it is made here, as a
    new version offered for the next draws, while the old one stays as its rounds scored under it
    and is no longer offered (``active`` off). The bureau administrator (or an administrator with
    the admin's add permission) only.
    """
    if not (permissions.can_manage_pool(actor) or actor.has_perm("reviews.add_criteriascheme")):
        raise ActionForbidden()
    pk = parse_id(scheme_id)
    scheme = CriteriaScheme.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if scheme is None:
        raise DomainError(_("No such criteria scheme."))
    # A second copy (a doubled submission) would offer two new versions, the draw taking the first.
    pending = scheme.versions.exclude(pk__in=ReviewRound.objects.values("scheme_id")).order_by("pk").first()
    if pending is not None:
        raise DomainError(
            _("“{old}” was already copied as “{new}”, which no round uses yet: edit that version.").format(
                old=scheme.name, new=pending.name
            )
        )
    name = name.strip() or _version_name(scheme.name)
    if CriteriaScheme.objects.filter(name=name).exists():
        raise DomainError(_("A criteria scheme of this name exists already."), field="name")
    parts: list[CriteriaSection | ScoreBand] = [*scheme.sections.all(), *scheme.bands.all()]
    copy = CriteriaScheme(
        name=name,
        consolidation=scheme.consolidation,
        active=True,
        max_per_employer=scheme.max_per_employer,
        leader_selection=scheme.leader_selection,
        based_on=scheme,
    )
    set_history_user(copy, actor)
    copy.save()
    for part in parts:
        part.pk = None
        part._state.adding = True
        part.scheme = copy
        set_history_user(part, actor)
        part.save()
    if scheme.active:
        scheme.active = False
        set_history_user(scheme, actor)
        scheme.save(update_fields=["active"])
    return copy


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
            employer_id=p.employer_id,
        )
        for p in profiles
    ]


def conflicted_organisations(project: Any) -> set[int]:
    """The owner and every participant organisation of the project (回避)."""
    return {project.owner_id, *project.participants.values_list("organisation_id", flat=True)}


def screen_candidates(plan: Any) -> tuple[list[drawing.Candidate], list[drawing.Candidate], dict[int, str]]:
    """(every available expert, those eligible for ``plan``'s panel, {excluded id: reason}) (回避).

    Left out: members or employees of the owner or a participant; experts who declared a
    relation with one of them (``ExpertProfile.related_organisations``); experts who declared
    a conflict of interest in an earlier round of the same plan.
    """
    candidates = expert_candidates()
    conflicted = conflicted_organisations(plan.project)
    related: dict[int, set[int]] = {}
    for user_id, org_id in ExpertProfile.related_organisations.through.objects.filter(
        expertprofile__user_id__in=[c.id for c in candidates]
    ).values_list("expertprofile__user_id", "organisation_id"):
        related.setdefault(user_id, set()).add(org_id)
    declared = set(
        PanelSeat.objects.filter(round__plan_id=plan.pk, conflict_declared=True).values_list("expert_id", flat=True)
    )
    reasons: dict[int, str] = {}
    for c in candidates:
        if c.organisation_ids & conflicted:
            reasons[c.id] = Exclusion.ORGANISATION
        elif related.get(c.id, set()) & conflicted:
            reasons[c.id] = Exclusion.DECLARED_RELATION
        elif c.id in declared:
            reasons[c.id] = Exclusion.DECLARED_CONFLICT
    return candidates, [c for c in candidates if c.id not in reasons], reasons


def round_rules(review_round: ReviewRound) -> dict[str, Any]:
    """The panel rules and score bands of ``review_round``: as kept at its draw, or the scheme's."""
    return review_round.rules or review_round.scheme.rules_snapshot()


def max_per_employer(review_round: ReviewRound) -> int:
    return int(round_rules(review_round).get("max_per_employer") or 0)


def _names(user_ids: list[int]) -> dict[int, str]:
    return {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}


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
    if error.code == "employer_limit":
        return "panel_size", _(
            "Under the scheme's limit of experts per employer, only {available} experts can be drawn; "
            "{needed} are needed."
        ).format(available=error.available, needed=error.needed)
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
    candidates, pool, reasons = screen_candidates(plan)
    rules_now = scheme.rules_snapshot()
    try:
        result = drawing.draw_panel_detail(
            pool,
            size=int(panel_size),
            required=required_specialties,
            seed=seed,
            max_per_employer=int(rules_now["max_per_employer"] or 0),
        )
    except drawing.DrawError as error:
        field, message = draw_error_message(error)
        raise DomainError(message, field=field) from None
    drawn = result.panel
    left_out = [(expert_id, str(reason)) for expert_id, reason in sorted(reasons.items())]
    left_out += [(expert_id, str(Exclusion.EMPLOYER_LIMIT)) for expert_id in result.skipped_for_employer]
    names = _names([expert_id for expert_id, _reason in left_out])
    review_round = ReviewRound(
        plan=plan,
        plan_version_id=plan.current_version_id,
        scheme=scheme,
        panel_size=int(panel_size),
        required_specialties=sorted(set(required_specialties)),
        seed=seed,
        pool_ids=[c.id for c in pool],
        excluded_ids=sorted(reasons),
        exclusions=[
            {"expert": expert_id, "name": names.get(expert_id, ""), "reason": reason} for expert_id, reason in left_out
        ],
        rules=rules_now,
        deadline=deadline,
        drawn_by=actor,
    )
    set_history_user(review_round, actor)
    review_round.save()
    # the leader is appointed by the bureau or elected by the panel (the scheme's rule), never the first drawn
    for order, expert_id in enumerate(drawn, start=1):
        seat = PanelSeat(round=review_round, expert_id=expert_id, order=order)
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
    """The actor's own seat, locked after its round (the same lock order everywhere); refused once
    the actor left the expert pool (permissions.seats_of)."""
    round_id = permissions.seats_of(actor).filter(pk=seat_id).values_list("round_id", flat=True).first()
    if round_id is None:
        raise ActionForbidden()
    review_round = _lock_round(round_id)
    seat = PanelSeat.objects.select_for_update().get(pk=seat_id)
    seat.round = review_round
    return seat


def _panel_candidates(expert_ids: list[int]) -> list[drawing.Candidate]:
    """The seated experts with their specialties and employers, whether or not still available."""
    return [
        drawing.Candidate(id=p.user_id, specialties=frozenset(p.specialties), employer_id=p.employer_id)
        for p in ExpertProfile.objects.filter(user_id__in=expert_ids)
    ]


def _replacement(review_round: ReviewRound, actor: User) -> PanelSeat | None:
    """Draw the next expert of the seed stream into the round (None: the stream is exhausted)."""
    seats = list(review_round.seats.all())
    seated = [s.expert_id for s in seats if s.seated]
    _candidates, pool, _reasons = screen_candidates(review_round.plan)
    try:
        expert_id = drawing.draw_replacement(
            pool,
            seed=review_round.seed,
            seated=seated,
            drawn_before=[s.expert_id for s in seats],
            required=review_round.required_specialties,
            max_per_employer=max_per_employer(review_round),
            # the seated experts as they are, even when no longer available for new panels: their
            # employers count against the limit
            panel=_panel_candidates(seated),
        )
    except drawing.DrawError:
        return None
    seat = PanelSeat(round=review_round, expert_id=expert_id, order=max(s.order for s in seats) + 1)
    set_history_user(seat, actor)
    seat.save()
    _on_commit_invite(review_round.pk, [expert_id], actor)
    return seat


def log_event(
    review_round: ReviewRound, kind: str, *, actor: User | None, seat: PanelSeat | None = None, note: str = ""
) -> RoundEvent:
    """A timeline entry of the round that is not a status move."""
    return RoundEvent.objects.create(round=review_round, kind=kind, seat=seat, actor=actor, note=note)


def _hand_over(declined: PanelSeat, replacement: PanelSeat | None, actor: User) -> None:
    declined.replaced_by = replacement
    if declined.is_leader:  # a pending seat never leads; kept for rounds drawn under the old rule
        declined.is_leader = False
    set_history_user(declined, actor)
    declined.save()
    if replacement is not None:
        log_event(declined.round, RoundEventKind.REPLACED, actor=actor, seat=replacement, note=str(replacement.expert))


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
        log_event(review_round, RoundEventKind.DECLINED, actor=actor, seat=seat, note=str(actor))
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


# --- the panel leader (组长) ---------------------------------------------------------------------


def leader_selection(review_round: ReviewRound) -> str:
    return str(round_rules(review_round).get("leader_selection") or LeaderSelection.APPOINTED)


def _make_leader(review_round: ReviewRound, seat: PanelSeat, actor: User) -> None:
    for other in review_round.seats.select_for_update().filter(is_leader=True).exclude(pk=seat.pk):
        other.is_leader = False
        set_history_user(other, actor)
        other.save(update_fields=["is_leader"])
    seat.is_leader = True
    set_history_user(seat, actor)
    seat.save(update_fields=["is_leader"])


def _accepted_seat(review_round: ReviewRound, seat_id: Any) -> PanelSeat:
    seat = (
        review_round.seats.select_for_update()
        .select_related("expert")
        .filter(pk=parse_id(seat_id) or 0, response=SeatResponse.ACCEPTED)
        .first()
    )
    if seat is None:
        raise DomainError(_("Choose an expert who has accepted the seat."), field="seat")
    return seat


@transaction.atomic
def appoint_leader(*, actor: User, round_id: Any, seat_id: Any) -> PanelSeat:
    """The bureau appoints the panel leader among the accepted experts (schemes with an appointed leader)."""
    review_round = _lock_round(round_id)
    if not permissions.can(actor, "appoint_leader", review_round):
        raise ActionForbidden()
    if review_round.status not in OPEN_STATUSES:
        raise DomainError(_("The leader is chosen only while the review is open."))
    if leader_selection(review_round) != LeaderSelection.APPOINTED:
        raise DomainError(_("Under this criteria scheme the panel elects its leader."))
    seat = _accepted_seat(review_round, seat_id)
    if seat.is_leader:  # a second press (or a second tab) appoints nobody twice
        raise DomainError(_("This expert leads the panel already."), field="seat")
    _make_leader(review_round, seat, actor)
    log_event(review_round, RoundEventKind.LEADER_APPOINTED, actor=actor, seat=seat, note=str(seat.expert))
    return seat


@transaction.atomic
def vote_for_leader(*, actor: User, round_id: Any, seat_id: Any) -> PanelSeat:
    """An accepted expert votes for the panel leader (schemes with an elected leader).

    The expert with the votes of more than half of the panel leads it; a vote may be changed
    until then.
    """
    review_round = _lock_round(round_id)
    own = (
        permissions.seats_of(actor)
        .select_for_update()
        .filter(round=review_round, response=SeatResponse.ACCEPTED)
        .first()
    )
    if own is None:  # no accepted seat, or out of the pool (SEC-10)
        raise ActionForbidden()
    if review_round.status not in OPEN_STATUSES:
        raise DomainError(_("The leader is chosen only while the review is open."))
    if leader_selection(review_round) != LeaderSelection.ELECTED:
        raise DomainError(_("Under this criteria scheme the bureau appoints the leader."))
    if review_round.seats.filter(is_leader=True).exists():
        raise DomainError(_("The panel has elected its leader already."))
    choice = _accepted_seat(review_round, seat_id)
    own.leader_vote = choice
    set_history_user(own, actor)
    own.save(update_fields=["leader_vote"])
    log_event(review_round, RoundEventKind.LEADER_VOTE, actor=actor, seat=own)
    votes = review_round.seats.filter(response=SeatResponse.ACCEPTED, leader_vote=choice).count()
    if votes * 2 > review_round.panel_size:
        _make_leader(review_round, choice, actor)
        log_event(review_round, RoundEventKind.LEADER_ELECTED, actor=None, seat=choice, note=str(choice.expert))
    return choice


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
        _check_text(comment, "comment_{}".format(section.pk))
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


OPINION_FIELDS = ("opinion", "recommendation", "revision_requirements", "declaration")
MAX_TEXT = 10000


def _check_text(text: str, field: str) -> None:
    """A comment or opinion text: at most ``MAX_TEXT`` characters and no NUL character (which
    PostgreSQL cannot store: refused with a message rather than a server error)."""
    if len(text) > MAX_TEXT:
        raise DomainError(_("Keep the text under 10,000 characters."), field=field)
    if "\x00" in text:
        raise DomainError(_("The text holds a character that cannot be stored (NUL)."), field=field)


def parse_opinion(raw: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """The opinion form's fields from ``raw``, checked; every one is required on submission."""
    opinion = str(raw.get("opinion", "") or "").strip()
    recommendation = str(raw.get("recommendation", "") or "").strip()
    requirements = str(raw.get("revision_requirements", "") or "").strip()
    declaration = str(raw.get("declaration", "") or "").strip().lower() in ("1", "true", "on", "yes")
    _check_text(opinion, "opinion")
    _check_text(requirements, "revision_requirements")
    if recommendation and recommendation not in Outcome.values:
        raise DomainError(_("Choose the recommended conclusion from the list."), field="recommendation")
    if complete:
        if not opinion:
            raise DomainError(_("Write your overall opinion before submitting."), field="opinion")
        if not recommendation:
            raise DomainError(_("Choose your recommended conclusion before submitting."), field="recommendation")
        if not requirements:
            raise DomainError(
                _("Write the revision requirements before submitting (write “none” if there are none)."),
                field="revision_requirements",
            )
        if not declaration:
            raise DomainError(_("Sign the declaration of independence before submitting."), field="declaration")
    return {
        "opinion": opinion,
        "recommendation": recommendation,
        "revision_requirements": requirements,
        "declaration_signed": declaration,
    }


@transaction.atomic
def save_scores(*, actor: User, seat_id: Any, data: dict[str, Any], submit: bool = False) -> PanelSeat:
    """Save the expert's section scores and opinion form (a draft), or submit them (final).

    The opinion form (专家评审意见表: overall opinion, recommended conclusion, revision
    requirements, the signed declaration of independence) is filed with the scores; on submission
    every score and every part of the form is required.
    """
    seat = _lock_own_seat(actor, seat_id)
    review_round = seat.round
    if not permissions.can_seat(actor, "score", seat):
        raise DomainError(_("Scores can be given only by an accepted expert while the round is scoring, once."))
    cleaned = parse_scores(review_round, data, complete=submit)
    opinion_data = parse_opinion(data, complete=submit)
    now = timezone.now()
    opinion = ExpertOpinion.objects.select_for_update().filter(seat=seat).first()
    if opinion is not None or submit or any(opinion_data.values()):  # an empty form posted back writes nothing
        opinion = opinion or ExpertOpinion(seat=seat)
        for name, value in opinion_data.items():
            setattr(opinion, name, value)
        opinion.declaration_text = str(DECLARATION_TEXT) if opinion.declaration_signed else ""
        opinion.submitted_at = now if submit else None
        set_history_user(opinion, actor)
        opinion.save()
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
        log_event(review_round, RoundEventKind.SUBMITTED, actor=actor, seat=seat)
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


@dataclass(frozen=True)
class ExpertView:
    """One submitted expert's part of the consolidated opinion."""

    seat: PanelSeat
    total: Decimal | None
    opinion: ExpertOpinion | None


@dataclass(frozen=True)
class Consolidated:
    """The panel's opinions consolidated for the leader's conclusion and the decision letter."""

    score: Decimal | None
    #: {outcome value: number of experts recommending it}, every outcome present, in Outcome order
    recommendations: dict[str, int]
    #: the experts' revision requirements, merged (one numbered list, duplicates dropped)
    revision_requirements: list[str]
    experts: list[ExpertView]
    allowed: list[str]

    @property
    def recommendation_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for display."""
        return [(value, str(Outcome(value).label), count) for value, count in self.recommendations.items()]

    @property
    def recommended(self) -> list[tuple[str, str, int]]:
        """The rows of the conclusions at least one expert recommends."""
        return [row for row in self.recommendation_rows if row[2]]


def _requirement_lines(text: str) -> list[str]:
    """The separate requirements of one expert's text: one per line, list numbering removed."""
    import re

    lines = []
    for raw in text.splitlines():
        line = re.sub(r"^\s*(?:[（(]?\d+[)）.、．]|[-•·*])\s*", "", raw).strip()
        if line and line.lower() not in ("无", "none", "无。", "none."):
            lines.append(line)
    return lines


def consolidate_opinions(review_round: ReviewRound) -> Consolidated:
    """The submitted experts' opinions consolidated: the consolidated score, how many experts
    recommend each conclusion, the merged revision requirements and each expert's total.

    Called by the leader's conclusion (``conclude_round``) and by the decision letter; the same
    few queries whatever the panel size.
    """
    totals = expert_totals(review_round)
    seats = [s for s in review_round.active_seats() if s.submitted_at is not None]
    opinions = {o.seat_id: o for o in ExpertOpinion.objects.filter(seat__in=seats, submitted_at__isnull=False)}
    counts = {value: 0 for value in Outcome.values}
    merged: list[str] = []
    for seat in seats:
        opinion = opinions.get(seat.pk)
        if opinion is None:
            continue
        if opinion.recommendation in counts:
            counts[opinion.recommendation] += 1
        for line in _requirement_lines(opinion.revision_requirements):
            if line not in merged:
                merged.append(line)
    score = calc.consolidate(list(totals.values()), review_round.scheme.consolidation)
    return Consolidated(
        score=score,
        recommendations=counts,
        revision_requirements=merged,
        experts=[ExpertView(seat=s, total=totals.get(s.pk), opinion=opinions.get(s.pk)) for s in seats],
        allowed=conclusions_for_score(review_round, score),
    )


def conclusions_for_score(review_round: ReviewRound, score: Decimal | None) -> list[str]:
    """The conclusions the scheme's score bands allow for ``score`` (every one when no band applies)."""
    if score is None:
        return list(Outcome.values)
    bands = sorted(
        round_rules(review_round).get("bands") or [], key=lambda band: Decimal(str(band["min_score"])), reverse=True
    )
    for band in bands:
        if score >= Decimal(str(band["min_score"])):
            allowed = [value for value in Outcome.values if value in band.get("conclusions", [])]
            return allowed or list(Outcome.values)
    return list(Outcome.values)


def allowed_conclusions(review_round: ReviewRound) -> list[str]:
    """The conclusions the leader may record for ``review_round``: those of the score band of its
    consolidated score, in the bands of the scheme as they were at the draw (e.g. ≥ 80 通过,
    60–79.99 修改后通过 or 修改后重审, < 60 不通过). Outcome values, in ``Outcome`` order."""
    return conclusions_for_score(review_round, consolidated_score(review_round))


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
        ExpertOpinion.objects.filter(seat=seat).update(submitted_at=None)  # the opinion reopens with them
    apply_move(workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action="resume", comment=version.note)


@transaction.atomic
def conclude_round(
    *,
    actor: User,
    round_id: Any,
    conclusion: str,
    reasons: str,
    requirements: Any = None,
    revision_deadline: dt.date | None = None,
) -> Any:
    """The leader records the conclusion, once every seated expert submitted; the plan follows.

    This is the only way to conclude a plan (``plans.services.conclude_plan`` refuses any other
    caller). 修改后通过 (``passed_with_revisions``) also sets the revision ``requirements`` (a list,
    or a text with one per line) and the ``revision_deadline``: the owner revises within it and
    the leader or the bureau verifies the revision (复核) without a new review."""
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
    blocked = [str(reason) for reason in ROUND_WORKFLOW.table["conclude"].guards[0](review_round, actor)]
    if blocked:
        raise DomainError(blocked[0])
    if conclusion not in Outcome.values:
        raise DomainError(_("Choose the conclusion."), field="conclusion")
    score = consolidated_score(review_round)
    allowed = conclusions_for_score(review_round, score)
    if conclusion not in allowed:  # the scheme's score bands bind the leader (on every path)
        raise DomainError(
            _("By the scheme's score bands, a consolidated score of {score} allows only: {allowed}.").format(
                score=score, allowed=" / ".join(str(Outcome(value).label) for value in allowed)
            ),
            field="conclusion",
        )
    if not (reasons or "").strip():
        raise DomainError(_("Please give a reason in the comment."), field="comment")
    # the plan first: its guard reads the round while it is still scoring, and refuses unless this
    # round's conclusion is being recorded (``concluding_round``: set here only)
    from greenbuild.plans.workflow import concluding_round

    concluding = concluding_round.set(review_round)
    try:
        plan_services.conclude_plan(
            actor=actor,
            plan_id=review_round.plan_id,
            outcome=conclusion,
            review_round=review_round,
            reasons=reasons,
            requirements=requirements,
            revision_deadline=revision_deadline,
        )
    finally:
        concluding_round.reset(concluding)
    token = pending_conclusion.set({"conclusion": conclusion, "consolidated_score": score})
    try:
        return apply_move(
            workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action="conclude", comment=reasons
        )
    finally:
        pending_conclusion.reset(token)


def issue_decision_letter(*, actor: User, round_id: Any) -> tuple[Any, bool]:
    """Issue the decision letter (评审意见书) through the documents register, once per round.

    Returns ``(document, created)``; a second press returns the letter already issued.
    """
    from greenbuild.documents.services import issue_document
    from greenbuild.reviews.letter import DECISION_LETTER

    return issue_document(actor=actor, kind=DECISION_LETTER, object_id=round_id)
