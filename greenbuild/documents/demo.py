"""The register in the demo programme (called by ``seed_demo`` after the reviews; idempotent).

The bureau issues the decision letters of the latest concluded review rounds (``DEMO_LETTERS`` of
them: each PDF costs about half a second to lay out, and the demo is seeded by several tests) and
re-issues the first one with a reason, so the register shows a void letter and its successor.
The other concluded rounds still offer the bureau the button to issue theirs.
"""

from __future__ import annotations

from greenbuild.accounts.models import User

DEMO_LETTERS = 3


def seed_documents(bureau: User) -> int:
    """Returns the number of documents issued."""
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.documents.services import reissue_document
    from greenbuild.reviews.choices import RoundStatus
    from greenbuild.reviews.models import ReviewRound
    from greenbuild.reviews.services import issue_decision_letter

    if IssuedDocument.objects.exists():
        return 0
    latest = ReviewRound.objects.filter(status=RoundStatus.CONCLUDED).order_by("-concluded_at", "-pk")[:DEMO_LETTERS]
    issued = []
    for review_round in sorted(latest, key=lambda r: (r.concluded_at, r.pk)):
        document, created = issue_decision_letter(actor=bureau, round_id=review_round.pk)
        if created:
            issued.append(document)
    if issued:
        reissue_document(actor=bureau, document_id=issued[0].pk, reason="专家职称有误，更正后重新出具。")
        return len(issued) + 1
    return 0
