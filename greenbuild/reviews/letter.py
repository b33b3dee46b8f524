"""The decision letter (评审意见书) of a concluded review: a kind of the issued-documents register.

The bureau issues it once the round is concluded (``documents.services.issue_document``): the
register gives it its number (常住建绿审〔2026〕3号), the date, the place and the QR code of its
public verification page; this module lays out the rest, always in Chinese. Everybody who may
open the round (the bureau, the panel and its leader, the project's owner) downloads it through
the round's gate; nobody else.

The letter reads what the review recorded, tolerating what a round does not have: the per-expert
opinions (``seat.opinion``), the revision the conclusion asks for (``round.plan_revision``), the
form of the review (``round.review_form``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.reports.pdf import render_pdf

DECISION_LETTER = "reviews.decision_letter"


def _related(obj: Any, name: str) -> Any:
    """``obj.name`` when that relation exists (a one-to-one that may be missing), else None."""
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 (RelatedObjectDoesNotExist of whichever model)
        return None


def _text_items(items: Any) -> list[str]:
    """Requirements stored as strings or as {"text": …} dicts, as lines."""
    if not items:
        return []
    if isinstance(items, str):
        return [line.strip() for line in items.splitlines() if line.strip()]
    lines = []
    for item in items:
        if isinstance(item, dict):
            text = item.get("text") or item.get("requirement") or item.get("title") or ""
        else:
            text = str(item)
        if str(text).strip():
            lines.append(str(text).strip())
    return lines


def section_scores(review_round: Any, seats: list[Any]) -> list[dict[str, Any]]:
    """Per section of the scheme: its range and weight, and the panel's consolidated score of it
    (the scheme's consolidation rule over the submitted experts' scores of that section)."""
    from greenbuild.reviews import consolidate as calc
    from greenbuild.reviews.models import ExpertScore

    submitted = [s for s in seats if s.submitted_at is not None]
    by_section: dict[int, list[Decimal]] = {}
    for score in ExpertScore.objects.filter(seat__in=submitted):
        by_section.setdefault(score.section_id, []).append(score.score)
    rows = []
    for section in review_round.scheme.sections.all():
        rows.append(
            {
                "section": section,
                "title": section.title_zh,
                "score": calc.consolidate(by_section.get(section.pk, []), review_round.scheme.consolidation),
            }
        )
    return rows


def clarification_record(review_round: Any) -> list[dict[str, Any]]:
    """Each clarification asked (when, by whom, what) and when the owner answered with which version."""
    from greenbuild.reviews.choices import RoundStatus

    record: list[dict[str, Any]] = []
    for transition in review_round.transitions.select_related("actor").order_by("at", "pk"):
        if transition.to_status == RoundStatus.CLARIFICATION:
            record.append({"asked_at": transition.at, "question": transition.comment, "answered_at": None})
        elif transition.from_status == RoundStatus.CLARIFICATION and record:
            record[-1]["answered_at"] = transition.at
            record[-1]["answer"] = transition.comment
    if not record and review_round.clarification_question:
        record.append({"asked_at": None, "question": review_round.clarification_question, "answered_at": None})
    return record


def letter_context(review_round: Any, draft: Any = None) -> dict[str, Any]:
    from greenbuild.reviews import services
    from greenbuild.reviews.services import consolidated_score, expert_totals

    seats = [s for s in review_round.seats.select_related("expert__expert_profile__employer").all() if s.seated]
    totals = expert_totals(review_round)
    revision = _related(review_round, "plan_revision")
    consolidate_opinions = getattr(services, "consolidate_opinions", None)
    consolidated = consolidate_opinions(review_round) if consolidate_opinions is not None else None
    # the experts' opinions, unattributed and in text order: the letter names no one's view
    opinions = sorted(
        str(view.opinion.opinion).strip()
        for view in getattr(consolidated, "experts", [])
        if view.opinion is not None and str(view.opinion.opinion).strip()
    )
    recommendations = [
        (label, count) for _value, label, count in getattr(consolidated, "recommendation_rows", []) if count
    ]
    requirements = _text_items(getattr(revision, "requirements", None)) or list(
        getattr(consolidated, "revision_requirements", []) if review_round.conclusion != "passed" else []
    )
    review_form = getattr(review_round, "get_review_form_display", None)
    return {
        "round": review_round,
        "project": review_round.plan.project,
        "version": review_round.plan_version,
        "panel": seats,
        "leader": next((s for s in seats if s.is_leader), None),
        "score": review_round.consolidated_score
        if review_round.consolidated_score is not None
        else consolidated_score(review_round),
        "sections": section_scores(review_round, seats),
        # the experts' totals, highest first and not attributed: the letter names no one's score
        "totals": sorted(totals.values(), reverse=True),
        "clarifications": clarification_record(review_round),
        "revision": revision,
        "requirements": requirements,
        "opinions": opinions,
        "recommendations": recommendations,
        "review_form": review_form()
        if callable(review_form)
        else _("Expert panel review, scored against the criteria scheme"),
        "draft": draft,
    }


def render_decision_letter(review_round: Any, draft: Any) -> bytes:
    """The letter with its number and QR code, always in Chinese (the language of the programme's
    official documents)."""
    with translation.override("zh-hans"):
        return render_pdf(
            "reviews/pdf/decision_letter.html",
            letter_context(review_round, draft),
            title=_("Expert review decision letter"),
        )


def letter_subject(review_round: Any) -> str:
    """The public subject line: the project and the plan version, nothing of the review's content."""
    return _("Expert review of the green construction plan of {project} (version {number})").format(
        project=review_round.plan.project.name, number=review_round.plan_version.number
    )


def may_issue(user: Any, review_round: Any) -> bool:
    from greenbuild.reviews.permissions import can

    return bool(can(user, "letter", review_round))


def letter_audience(review_round: Any) -> Any:
    """Told of the issued letter: the seated panel and the project's owner applicants."""
    from django.db.models import Q

    from greenbuild.accounts.choices import Role
    from greenbuild.reviews.choices import SeatResponse

    return Q(panel_seats__round_id=review_round.pk, panel_seats__response=SeatResponse.ACCEPTED) | Q(
        memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=review_round.plan.project.owner_id
    )


def register() -> None:
    """Make the letter a kind of the issued-documents register (called in ``ReviewsConfig.ready``)."""
    from greenbuild.documents.registry import DocumentKind, register_kind

    register_kind(
        DocumentKind(
            code=DECISION_LETTER,
            label=gettext_lazy("Expert review decision letter"),
            model="reviews.ReviewRound",
            issuer="bureau",
            prefix="常住建绿审",
            subject=letter_subject,
            render=render_decision_letter,
            project_of=lambda review_round: review_round.plan.project,
            url_of=lambda review_round: reverse("reviews:round-detail", args=[review_round.pk]),
            may_issue=may_issue,
            audience=letter_audience,
        )
    )
