"""The event catalogue of the webhooks (docs/webhooks.md, "Events"): stable codes, never renamed.

Every workflow move of the platform is an event ``<object>.<new status>`` (one table below maps
each transition log to its object and the statuses it can reach); an issued document is
``document.issued``; a finished run of the scoring engines is ``score_run.finished``. The events
are produced in one place (``signals.py``: a receiver on every transition row and on the two
other records), never in views or services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    """A transition log: which object it moves (``field``) and what that object is called."""

    transition: str  # "app_label.modelname" of the TransitionLog subclass
    noun: str  # the object's name in event codes
    field: str  # the transition's foreign key to the object
    statuses: tuple[str, ...]  # the statuses a move can reach: one event each


SOURCES: tuple[Source, ...] = (
    Source(
        "projects.projecttransition",
        "project",
        "project",
        ("submitted", "returned", "recommended", "rejected", "candidate", "confirmed", "withdrawn"),
    ),
    Source("projects.withdrawaltransition", "withdrawal", "request", ("approved", "refused")),
    Source(
        "plans.plantransition",
        "plan",
        "plan",
        (
            "submitted",
            "in_review",
            "clarification",
            "passed",
            "passed_with_revisions",
            "revision_submitted",
            "revise",
            "failed",
        ),
    ),
    Source("reviews.roundtransition", "review_round", "round", ("scoring", "clarification", "concluded")),
    Source("lifecycle.steptransition", "step", "step", ("open", "approved", "approved_with_conditions", "returned")),
    Source("lifecycle.changerequesttransition", "baseline_change", "request", ("approved", "refused")),
    Source("conference.meetingtransition", "meeting", "meeting", ("held", "minutes_published")),
    Source("conference.actionitemtransition", "action_item", "action_item", ("open", "requested", "closed")),
    # supervision and evaluation (issue 20)
    Source("supervision.plantransition", "inspection_plan", "plan", ("paused", "active", "ended")),
    Source("supervision.drawtransition", "draw", "draw", ("published",)),
    Source(
        "supervision.evaluationtransition", "third_party_evaluation", "evaluation", ("filed", "accepted", "returned")
    ),
    Source("inspections.inspectiontransition", "inspection", "inspection", ("in_progress", "submitted", "cancelled")),
    Source("inspections.ordertransition", "rectification_order", "order", ("issued", "answered", "closed")),
    Source(
        "completion.evaluationtransition",
        "completion_evaluation",
        "evaluation",
        ("panel", "panel_concluded", "accepted", "not_accepted"),
    ),
    Source("bulletins.bulletintransition", "bulletin", "bulletin", ("draft", "approved", "published")),
    Source("summaries.summarytransition", "programme_summary", "summary", ("draft", "approved", "issued")),
    Source("publicity.noticetransition", "public_notice", "notice", ("published", "withdrawn")),
    Source("publicity.objectiontransition", "objection", "objection", ("answered",)),
    Source("publicity.messagetransition", "public_message", "message", ("answered",)),
    Source("incentives.bonustransition", "bonus_record", "record", ("revoked",)),
    Source("incentives.escrowtransition", "escrow", "eligibility", ("released",)),
)

DOCUMENT_ISSUED = "document.issued"
SCORE_RUN_FINISHED = "score_run.finished"
#: Sent by the test-delivery button only; never subscribed to.
PING = "webhook.ping"

_NOUN_LABELS: dict[str, Any] = {
    "project": _("Pilot project"),
    "withdrawal": _("Withdrawal request"),
    "plan": _("Green construction plan"),
    "review_round": _("Expert review round"),
    "step": _("Lifecycle step"),
    "baseline_change": _("Baseline change request"),
    "meeting": _("Joint conference meeting"),
    "action_item": _("Action item"),
}


def source_for(transition_label: str) -> Source | None:
    return next((s for s in SOURCES if s.transition == transition_label), None)


def event_codes() -> list[str]:
    """Every event a subscription may choose, in catalogue order."""
    codes = ["{}.{}".format(s.noun, status) for s in SOURCES for status in s.statuses]
    return [*codes, DOCUMENT_ISSUED, SCORE_RUN_FINISHED]


def _status_label(source: Source, status: str) -> Any:
    """The status's label of the moved object's ``status`` field (in the active language)."""
    from django.apps import apps

    target = apps.get_model(source.transition)._meta.get_field(source.field).related_model
    return dict(target._meta.get_field("status").flatchoices).get(status, status)


def _noun_label(source: Source) -> Any:
    """The object's name: its label above, else the moved model's own verbose name."""
    from django.apps import apps

    if source.noun in _NOUN_LABELS:
        return _NOUN_LABELS[source.noun]
    return apps.get_model(source.transition)._meta.get_field(source.field).related_model._meta.verbose_name


def event_choices() -> list[tuple[str, str]]:
    """``(code, label)`` pairs for forms: the label names the object, its new status and the code."""
    choices = [
        (
            "{}.{}".format(s.noun, status),
            "{} → {} ({}.{})".format(_noun_label(s), _status_label(s, status), s.noun, status),
        )
        for s in SOURCES
        for status in s.statuses
    ]
    choices.append((DOCUMENT_ISSUED, "{} ({})".format(_("Document issued"), DOCUMENT_ISSUED)))
    choices.append((SCORE_RUN_FINISHED, "{} ({})".format(_("Score run finished"), SCORE_RUN_FINISHED)))
    return choices


#: The catalogue as a constant (the schema names its enum ``WebhookEventEnum`` from it).
EVENT_CODES: tuple[str, ...] = tuple(event_codes())
