"""The decision letter (评审意见书) of a concluded review, as a PDF in Chinese."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from greenbuild.reports.pdf import render_pdf


def letter_context(review_round: Any) -> dict[str, Any]:
    from greenbuild.reviews.services import consolidated_score

    seats = [s for s in review_round.seats.select_related("expert__expert_profile").all() if s.seated]
    return {
        "round": review_round,
        "project": review_round.plan.project,
        "version": review_round.plan_version,
        "panel": seats,
        "leader": next((s for s in seats if s.is_leader), None),
        "score": review_round.consolidated_score
        if review_round.consolidated_score is not None
        else consolidated_score(review_round),
        "issued_on": timezone.localdate(),
    }


def render_decision_letter(review_round: Any) -> bytes:
    """The letter, always in Chinese (the language of the programme's official documents)."""
    with translation.override("zh-hans"):
        return render_pdf(
            "reviews/pdf/decision_letter.html", letter_context(review_round), title=_("Expert review decision letter")
        )


def store_decision_letter(*, actor: Any, review_round: Any) -> Any:
    """Render the letter and keep it as a report attachment of the project."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment

    pdf = render_decision_letter(review_round)
    with translation.override("zh-hans"):
        name = "{}-{}-{}.pdf".format(
            review_round.plan.project.name, _("Expert review decision letter"), timezone.localtime().strftime("%Y%m%d")
        )
    with transaction.atomic():
        return store_attachment(
            actor=actor,
            project=review_round.plan.project,
            kind=AttachmentKind.REPORT,
            uploaded_file=ContentFile(pdf, name=name),
        )
