"""The one permission gate of the reviews app (style.md §7).

Who may see and do what:

* bureau administrator: the expert pool and every round, its panel and responses, every score
  (each reveal of individual scores is audited); draws panels and replacements; may ask the owner
  for a clarification;
* an expert: only the rounds they are seated on (a declined seat, replaced or not, no longer
  counts: the round, its news, the project and its files close to them); with an accepted seat
  they read the project's public face and the reviewed versions' files, also after the round
  concludes (their own record; the leader verifies a revision, 复核); answers their own seat; scores while the round is in scoring; sees the other experts' scores and the
  consolidated score only after submitting their own; the leader also asks for clarifications
  and records the conclusion once every seated expert submitted;
* the project's owner applicant: the round's status, the clarification question, the conclusion
  and the decision letter — never the panel's individual scores;
* everybody else: nothing (404).

A seat counts only while its expert is in the pool: holds the expert role (through the request's
memberships, so a token bound to another organisation seats nobody) on an active account. An
expert removed from the pool loses every panel at once (SEC-10): rounds, seats, scores, the
project's and the versions' files, to-dos. ``ExpertProfile.available`` is not removal: it only
keeps the expert out of new draws.

Lists use ``ReviewRound.objects.for_user(user)``; single objects ``get_round_for_user``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import has_role, is_bureau_admin, organisation_ids
from greenbuild.core.permissions import VIEW, Gate, get_object_for_user, register_gate
from greenbuild.reviews.choices import OPEN_STATUSES, RoundStatus, SeatResponse

SEE_SCORES = "view_scores"  # individual scores of the panel
SEE_CONCLUSION = "view_conclusion"


def in_pool(user: Any) -> bool:
    """Whether ``user``'s seats count: an active account holding the expert role."""
    return (
        getattr(user, "is_authenticated", False) and getattr(user, "is_active", False) and has_role(user, Role.EXPERT)
    )


def seats_of(user: Any) -> Any:
    """Every seat of ``user`` that counts (declined ones included): none once out of the pool.
    Every seat-based gate and selector starts here."""
    from greenbuild.reviews.models import PanelSeat

    if not in_pool(user):
        return PanelSeat.objects.none()
    return PanelSeat.objects.filter(expert_id=user.pk)


def _seat_of(user: Any, review_round: Any) -> Any:
    """The user's live seat on the round (cached on the round for one request), or None."""
    if review_round is None or not in_pool(user):
        return None
    cache: dict[int, Any] = review_round.__dict__.setdefault("_gb_seat_of", {})
    if user.pk not in cache:
        cache[user.pk] = review_round.seats.filter(expert_id=user.pk).exclude(response=SeatResponse.DECLINED).first()
    return cache[user.pk]


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return is_bureau_admin(user)


@rules.predicate
def is_seated(user: Any, review_round: Any) -> bool:
    return _seat_of(user, review_round) is not None


@rules.predicate
def is_leader(user: Any, review_round: Any) -> bool:
    seat = _seat_of(user, review_round)
    return seat is not None and seat.is_leader and seat.response == SeatResponse.ACCEPTED


@rules.predicate
def has_submitted(user: Any, review_round: Any) -> bool:
    seat = _seat_of(user, review_round)
    return seat is not None and seat.submitted_at is not None


@rules.predicate
def is_owner(user: Any, review_round: Any) -> bool:
    return review_round is not None and review_round.plan.project.owner_id in organisation_ids(
        user, Role.OWNER_APPLICANT
    )


@rules.predicate
def is_concluded(user: Any, review_round: Any) -> bool:
    return review_round is not None and review_round.status == RoundStatus.CONCLUDED


@rules.predicate
def is_open(user: Any, review_round: Any) -> bool:
    return review_round is not None and review_round.status in OPEN_STATUSES


rules.add_perm("reviews.view_reviewround", is_bureau | is_seated | is_owner)
rules.add_perm("reviews.view_scores_reviewround", is_bureau | has_submitted)
rules.add_perm("reviews.view_conclusion_reviewround", is_bureau | is_seated | is_owner)
rules.add_perm("reviews.replace_reviewround", is_bureau)
rules.add_perm("reviews.appoint_leader_reviewround", is_bureau)
# the exclusions of the draw (names and reasons of 回避): the bureau only
rules.add_perm("reviews.view_exclusions_reviewround", is_bureau)
# issuing the decision letter (documents register): the bureau only, once the round is concluded
rules.add_perm("reviews.letter_reviewround", is_bureau & is_concluded)
# workflow moves (reviews/workflow.py)
rules.add_perm("reviews.open_scoring_reviewround", is_bureau | is_seated)
rules.add_perm("reviews.request_clarification_reviewround", is_bureau | is_leader)
rules.add_perm("reviews.resume_reviewround", is_bureau | is_owner)
rules.add_perm("reviews.conclude_reviewround", is_leader)


def can(user: Any, action: str, review_round: Any) -> bool:
    """Whether ``user`` may ``action`` (view, view_scores, conclude, …) ``review_round``."""
    return rules.has_perm("reviews.{}_reviewround".format(action), user, review_round)


def can_draw(user: Any) -> bool:
    return is_bureau_admin(user)


def restrict_rounds(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``view``."""
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    seat_rounds = seats_of(user).exclude(response=SeatResponse.DECLINED)
    scope = Q(pk__in=seat_rounds.values("round_id"))
    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if owners:
        scope |= Q(plan__project__owner_id__in=owners)
    return queryset.filter(scope)


ROUND_GATE = register_gate(
    Gate(
        model="reviews.ReviewRound",
        can=can,
        restrict=restrict_rounds,
        select_related=("plan", "plan__project", "plan_version", "scheme"),
    )
)


def get_round_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    """The round, or 404 when ``user`` may not see it, or 403 when they see it but may not act."""
    return get_object_for_user(ROUND_GATE, user, pk, action)


# --- seats -------------------------------------------------------------------------------------


@rules.predicate
def is_seat_expert(user: Any, seat: Any) -> bool:
    return seat is not None and in_pool(user) and seat.expert_id == user.pk


@rules.predicate
def seat_pending(user: Any, seat: Any) -> bool:
    return seat is not None and seat.response == SeatResponse.PENDING and seat.round.status == RoundStatus.PANEL


@rules.predicate
def seat_scoring(user: Any, seat: Any) -> bool:
    return (
        seat is not None
        and seat.response == SeatResponse.ACCEPTED
        and seat.submitted_at is None
        and seat.round.status == RoundStatus.SCORING
    )


rules.add_perm("reviews.view_panelseat", is_bureau | is_seat_expert)
rules.add_perm("reviews.respond_panelseat", is_seat_expert & seat_pending)
rules.add_perm("reviews.score_panelseat", is_seat_expert & seat_scoring)


def can_seat(user: Any, action: str, seat: Any) -> bool:
    return rules.has_perm("reviews.{}_panelseat".format(action), user, seat)


def restrict_seats(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    if not in_pool(user):
        return queryset.none()
    return queryset.filter(expert_id=user.pk)


SEAT_GATE = register_gate(
    Gate(model="reviews.PanelSeat", can=can_seat, restrict=restrict_seats, select_related=("round", "expert"))
)


def get_seat_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_object_for_user(SEAT_GATE, user, pk, action)


# --- scores (blind until one's own submission) -------------------------------------------------


def can_score(user: Any, action: str, score: Any) -> bool:
    if action != VIEW or score is None or not getattr(user, "is_authenticated", False):
        return False
    if is_bureau_admin(user):
        return True
    if not in_pool(user):
        return False
    if score.seat.expert_id == user.pk:
        return True
    return score.seat.submitted_at is not None and has_submitted(user, score.seat.round)


def restrict_scores(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    if not in_pool(user):
        return queryset.none()
    submitted = seats_of(user).filter(submitted_at__isnull=False).exclude(response=SeatResponse.DECLINED)
    others = Q(seat__round_id__in=submitted.values("round_id"), seat__submitted_at__isnull=False)
    return queryset.filter(Q(seat__expert_id=user.pk) | others)


SCORE_GATE = register_gate(
    Gate(model="reviews.ExpertScore", can=can_score, restrict=restrict_scores, select_related=("seat", "section"))
)


# --- the expert pool ---------------------------------------------------------------------------


def can_profile(user: Any, action: str, profile: Any) -> bool:
    if profile is None or not getattr(user, "is_authenticated", False):
        return False
    if is_bureau_admin(user):
        return True
    return action == VIEW and profile.user_id == user.pk


def restrict_profiles(queryset: Any, user: Any, action: str = VIEW) -> Any:
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    return queryset.filter(user_id=user.pk)


PROFILE_GATE = register_gate(
    Gate(
        model="reviews.ExpertProfile", can=can_profile, restrict=restrict_profiles, select_related=("user", "employer")
    )
)


def can_manage_pool(user: Any) -> bool:
    return is_bureau_admin(user)


# --- what the plans app asks (registered in apps.py) -------------------------------------------


def reads_plan(user: Any, plan: Any) -> bool:
    """An expert seated on a round of the plan reads the plan."""
    return seats_of(user).filter(round__plan_id=plan.pk).exclude(response=SeatResponse.DECLINED).exists()


def plan_reader_scope(user: Any) -> Q:
    seats = seats_of(user).exclude(response=SeatResponse.DECLINED)
    return Q(pk__in=seats.values("round__plan_id"))


def _accepted_seats(user: Any) -> Any:
    """The user's accepted seats (every round status counts: open or concluded)."""
    return seats_of(user).filter(response=SeatResponse.ACCEPTED)


# --- what the projects and attachments gates ask (registered in apps.py) -----------------------


def reads_project(user: Any, project: Any) -> bool:
    """An expert with an accepted seat on a review of the project's plan reads its basic facts."""
    if not getattr(user, "is_authenticated", False) or project is None:
        return False
    return _accepted_seats(user).filter(round__plan__project_id=project.pk).exists()


def project_reader_scope(user: Any) -> Q:
    return Q(pk__in=_accepted_seats(user).values("round__plan__project_id"))


def _reviewed_version_files(user: Any) -> Any:
    """Ids of the files of every plan version an accepted seat of ``user`` reviews or reviewed:
    the round's version and the versions before it (a clarification moves the round on); and, for
    the round's leader, the revised versions of a 修改后通过 they verify (复核).

    Experts keep reading these after the round concludes (decided in issue 16): the versions they
    signed an opinion on stay theirs to consult (the decision letter, the leader's 复核); a later
    version (a new review's) is not theirs."""
    from django.db.models import F

    from greenbuild.plans.models import PlanVersion

    if not in_pool(user):
        return PlanVersion.attachments.through.objects.none().values("attachment_id")
    versions = PlanVersion.objects.filter(
        plan__reviews__seats__expert_id=user.pk,
        plan__reviews__seats__response=SeatResponse.ACCEPTED,
        number__lte=F("plan__reviews__plan_version__number"),
    )
    revised = PlanVersion.objects.filter(
        plan__revisions__review_round__seats__expert_id=user.pk,
        plan__revisions__review_round__seats__response=SeatResponse.ACCEPTED,
        plan__revisions__review_round__seats__is_leader=True,
        number__gt=F("plan__revisions__reviewed_version__number"),
    )
    return PlanVersion.attachments.through.objects.filter(
        Q(planversion__in=versions.values("pk")) | Q(planversion__in=revised.values("pk"))
    ).values("attachment_id")


def reads_attachment(user: Any, attachment: Any) -> bool:
    """A seated expert reads the files of the plan versions under their review."""
    if not getattr(user, "is_authenticated", False) or attachment is None:
        return False
    return _reviewed_version_files(user).filter(attachment_id=attachment.pk).exists()


def attachment_reader_scope(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(pk__in=_reviewed_version_files(user))


def notification_reader_scope(user: Any) -> Q:
    """Notifications about a review round the user still sees through this gate (registered with
    the notifications app): the seated experts read their round's news."""
    from django.contrib.contenttypes.models import ContentType

    from greenbuild.reviews.models import ReviewRound

    rounds = restrict_rounds(ReviewRound.objects.all(), user).values("pk")
    return Q(event__target_type=ContentType.objects.get_for_model(ReviewRound), event__target_id__in=rounds)


def leads_plan_review(user: Any, plan: Any) -> bool:
    """The accepted leader of the plan's open round."""
    return (
        seats_of(user)
        .filter(
            round__plan_id=plan.pk,
            round__status__in=OPEN_STATUSES,
            is_leader=True,
            response=SeatResponse.ACCEPTED,
        )
        .exists()
    )


# --- criteria schemes (issue 18 item 5, API-07) ---------------------------------------------------
#
# A criteria scheme holds the rules of an expert review (sections, weights, ranges, bands): the
# bureau reads every one; a signed-in user reads those offered for new rounds and those of the
# rounds they see (the experts who score under them, the owner whose plan they judge); nobody
# else (404).


def can_scheme(user: Any, action: str, scheme: Any) -> bool:
    if action != VIEW or scheme is None or not getattr(user, "is_authenticated", False):
        return False
    if is_bureau_admin(user) or scheme.active:
        return True
    return restrict_rounds(ROUND_GATE.model_class.objects.filter(scheme_id=scheme.pk), user).exists()


def restrict_schemes(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``view``."""
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_bureau_admin(user):
        return queryset
    rounds = restrict_rounds(ROUND_GATE.model_class.objects.all(), user)
    return queryset.filter(Q(active=True) | Q(pk__in=rounds.values("scheme_id")))


SCHEME_GATE = register_gate(Gate(model="reviews.CriteriaScheme", can=can_scheme, restrict=restrict_schemes))
