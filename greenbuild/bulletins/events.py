"""What the bulletins tell people, and what waits in the bureau's inbox (待办).

Verbs (``bulletins.*``): a bulletin approved or sent back (the bureau), published (the joint
conference's members — the bureau, every district and department, and anyone named on an active
seat: this is how a published bulletin is sent to the conference; it is public, so all may open
it). Inbox: drafts whose figures are generated, to approve; approved bulletins, to publish.
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
    bulletin_id = event.params.get("bulletin_id")
    if not bulletin_id:
        return None
    if event.verb == "bulletins.published":
        return reverse("bulletins:public-detail", args=[bulletin_id])
    return reverse("bulletins:bulletin-detail", args=[bulletin_id])


def _bureau_q(event: Any) -> Q:
    return Q(memberships__role=Role.BUREAU_ADMIN)


def _conference_q(event: Any) -> Q:
    """The joint conference: the bureau, district officials, department reviewers, and the people
    named on its active seats."""
    from greenbuild.conference.models import ConferenceMember

    seated = ConferenceMember.objects.filter(active=True, person__isnull=False).values("person_id")
    return Q(memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL, Role.DEPARTMENT_REVIEWER]) | Q(
        pk__in=seated
    )


def _draft_readers(users: list[Any], event: Any) -> list[Any]:
    from greenbuild.bulletins.models import Bulletin
    from greenbuild.bulletins.permissions import can

    bulletin = Bulletin.objects.filter(pk=event.params.get("bulletin_id")).first()
    return [user for user in users if bulletin is not None and can(user, "view", bulletin)]


def notify_bulletin_transition(transition_id: int) -> None:
    from greenbuild.bulletins.models import BulletinTransition
    from greenbuild.notifications.services import emit

    transition = BulletinTransition.objects.select_related("bulletin", "actor").get(pk=transition_id)
    verb = {"approved": "bulletins.approved", "draft": "bulletins.sent_back", "published": "bulletins.published"}.get(
        transition.to_status
    )
    if verb is None:
        return
    bulletin = transition.bulletin
    emit(
        verb,
        actor=transition.actor,
        target=bulletin,
        params={"bulletin_id": bulletin.pk, "title": bulletin.title, "comment": transition.comment},
    )


def bulletins_to_approve(user: Any) -> Iterator[InboxItem]:
    from greenbuild.bulletins.choices import BulletinStatus, RevisionStatus
    from greenbuild.bulletins.models import Bulletin
    from greenbuild.bulletins.permissions import bureau_user

    if not bureau_user(user):
        return
    drafts = Bulletin.objects.filter(status=BulletinStatus.DRAFT).prefetch_related("revisions")
    for bulletin in drafts:
        revisions = sorted(bulletin.revisions.all(), key=lambda r: r.number)
        if revisions and revisions[-1].status == RevisionStatus.READY:
            yield InboxItem(
                kind="bulletins.to_approve",
                label=_("Bulletin to approve"),
                title=bulletin.title,
                url=reverse("bulletins:bulletin-detail", args=[bulletin.pk]),
                since=revisions[-1].generated_at,
            )


def bulletins_to_publish(user: Any) -> Iterator[InboxItem]:
    from greenbuild.bulletins.choices import BulletinStatus
    from greenbuild.bulletins.models import Bulletin
    from greenbuild.bulletins.permissions import bureau_user

    if not bureau_user(user):
        return
    for bulletin in Bulletin.objects.filter(status=BulletinStatus.APPROVED):
        yield InboxItem(
            kind="bulletins.to_publish",
            label=_("Bulletin to publish"),
            title=bulletin.title,
            url=reverse("bulletins:bulletin-detail", args=[bulletin.pk]),
            since=bulletin.approved_at,
        )


def register() -> None:
    register_verb(
        Verb(
            code="bulletins.approved",
            render=lambda e: _("Bulletin approved: {title}").format(**e.params),
            url=_url,
            audience=_bureau_q,
            readers=_draft_readers,
        )
    )
    register_verb(
        Verb(
            code="bulletins.sent_back",
            render=lambda e: _("Bulletin sent back to draft: {title}").format(**e.params),
            url=_url,
            audience=_bureau_q,
            readers=_draft_readers,
        )
    )
    register_verb(
        Verb(
            code="bulletins.published",
            render=lambda e: _("Bulletin published to the joint conference and the public: {title}").format(**e.params),
            url=_url,
            audience=_conference_q,
            readers=lambda users, event: users,
        )
    )
    register_inbox_provider("bulletins.to_approve", bulletins_to_approve)
    register_inbox_provider("bulletins.to_publish", bulletins_to_publish)
