"""Job kinds of the reviews app: the decision letter (评审意见书) as a PDF."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.registry import job_kind

DECISION_LETTER = "reviews.decision_letter"


def may_write_letter(user: Any, project: Any) -> bool:
    """The bureau and the owner, for a project whose plan has a concluded review."""
    from greenbuild.reviews.models import ReviewRound
    from greenbuild.reviews.permissions import can

    review_round = (
        ReviewRound.objects.select_related("plan__project").filter(plan__project=project).order_by("-pk").first()
    )
    return review_round is not None and can(user, "letter", review_round)


@job_kind(
    DECISION_LETTER, label=_("Expert review decision letter (PDF)"), permitted=may_write_letter, needs_project=True
)
def decision_letter(job: Any, report: Any) -> Any:
    from greenbuild.jobs.services import JobFailed
    from greenbuild.reviews.letter import store_decision_letter
    from greenbuild.reviews.permissions import get_round_for_user

    report(10, _("Collecting the panel's conclusion"))
    try:
        review_round = get_round_for_user(job.actor, job.params.get("round"), "letter")
    except (Http404, PermissionDenied):
        raise JobFailed(_("You are no longer allowed to run this job.")) from None
    report(50, _("Laying out the letter"))
    return store_decision_letter(actor=job.actor, review_round=review_round)
