"""What the summaries tell people, and what waits in the bureau's inbox (待办).

Verbs (``summaries.*``): a summary approved or sent back (the bureau), issued (the bureau and the
joint conference's district officials and department reviewers, who may open an issued summary).
Inbox: drafts whose figures are generated, to approve; approved summaries, to issue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb


def _url(event: Any) -> str | None:
    summary_id = event.params.get("summary_id")
    return reverse("summaries:summary-detail", args=[summary_id]) if summary_id else None


def _bureau_q(event: Any) -> Q:
    return Q(memberships__role=Role.BUREAU_ADMIN)


def _conference_q(event: Any) -> Q:
    return Q(memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL, Role.DEPARTMENT_REVIEWER])


def _title(event: Any) -> str:
    """The summary's title in the reader's language, not the actor's frozen in the event (a bureau
    user working in English sent 总结评估已审定：Summary of … to readers working in Chinese)."""
    from greenbuild.summaries.models import ProgrammeSummary

    summary = ProgrammeSummary.objects.select_related("programme").filter(pk=event.params.get("summary_id")).first()
    return summary.title if summary is not None else str(event.params.get("title", ""))


def _readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.summaries.models import ProgrammeSummary
    from greenbuild.summaries.permissions import can

    summary = ProgrammeSummary.objects.filter(pk=event.params.get("summary_id")).first()
    return [user for user in users if summary is not None and can(user, "view", summary)]


def notify_summary_transition(transition_id: int) -> None:
    from greenbuild.notifications.services import emit
    from greenbuild.summaries.models import SummaryTransition

    transition = SummaryTransition.objects.select_related("summary__programme", "actor").get(pk=transition_id)
    verb = {"approved": "summaries.approved", "draft": "summaries.sent_back", "issued": "summaries.issued"}.get(
        transition.to_status
    )
    if verb is None:
        return
    summary = transition.summary
    emit(
        verb,
        actor=transition.actor,
        target=summary,
        params={"summary_id": summary.pk, "title": summary.title, "comment": transition.comment},
    )


def summaries_to_approve(user: Any) -> Iterator[InboxItem]:
    from greenbuild.summaries.choices import RevisionStatus, SummaryStatus
    from greenbuild.summaries.models import ProgrammeSummary
    from greenbuild.summaries.permissions import bureau_user

    if not bureau_user(user):
        return
    for summary in ProgrammeSummary.objects.filter(status=SummaryStatus.DRAFT).select_related("programme"):
        latest = summary.latest_revision()
        if latest is not None and latest.status == RevisionStatus.READY:
            yield InboxItem(
                kind="summaries.to_approve",
                label=_("Programme summary to approve"),
                title=summary.title,
                url=reverse("summaries:summary-detail", args=[summary.pk]),
                since=latest.generated_at,
            )


def summaries_to_issue(user: Any) -> Iterator[InboxItem]:
    from greenbuild.summaries.choices import SummaryStatus
    from greenbuild.summaries.models import ProgrammeSummary
    from greenbuild.summaries.permissions import bureau_user

    if not bureau_user(user):
        return
    for summary in ProgrammeSummary.objects.filter(status=SummaryStatus.APPROVED).select_related("programme"):
        yield InboxItem(
            kind="summaries.to_issue",
            label=_("Programme summary to issue"),
            title=summary.title,
            url=reverse("summaries:summary-detail", args=[summary.pk]),
            since=summary.approved_at,
        )


def register() -> None:
    register_verb(
        Verb(
            code="summaries.approved",
            render=lambda e: _("Programme summary approved: {title}").format(title=_title(e)),
            url=_url,
            audience=_bureau_q,
            readers=_readers,
        )
    )
    register_verb(
        Verb(
            code="summaries.sent_back",
            render=lambda e: _("Programme summary sent back to draft: {title}").format(title=_title(e)),
            url=_url,
            audience=_bureau_q,
            readers=_readers,
        )
    )
    register_verb(
        Verb(
            code="summaries.issued",
            render=lambda e: _("Programme summary issued: {title}").format(title=_title(e)),
            url=_url,
            audience=_conference_q,
            readers=_readers,
        )
    )
    register_inbox_provider("summaries.to_approve", summaries_to_approve)
    register_inbox_provider("summaries.to_issue", summaries_to_issue)
