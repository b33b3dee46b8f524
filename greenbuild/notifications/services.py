"""Events, notifications, the inbox and the daily digest (issue 11 §5).

* ``emit(verb, ...)`` records an event and tells the people concerned: the verb's audience, less
  the actor, less anyone the verb's app gate does not let read it. Recipients are resolved in one
  batch (a constant number of queries whatever their number).
* ``inbox_for(user)`` gathers what waits for ``user`` from every app's inbox providers.
* ``send_daily_digests()`` e-mails each person who wants it their unread notifications and open
  inbox items, in their language, through Django's e-mail backend.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from greenbuild.accounts.models import Membership, User
from greenbuild.notifications.filters import kind_q
from greenbuild.notifications.models import DeliveryPreference, Event, Notification
from greenbuild.notifications.registry import InboxItem, get_verb, inbox_providers, kinds

logger = logging.getLogger(__name__)


def _candidates(query: Any, exclude_pk: int | None) -> list[User]:
    """Active users matching ``query``, with their memberships loaded in the same batch."""
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    candidates = User.objects.filter(query, is_active=True)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    users = list(candidates.distinct().order_by("pk").prefetch_related(memberships))
    for user in users:
        user.use_memberships(list(user.memberships.all()))  # the prefetched rows, for the gate
    return users


@transaction.atomic
def emit(
    verb: str,
    *,
    actor: User | None,
    project: Any = None,
    target: Any = None,
    params: dict[str, Any] | None = None,
) -> Event:
    """Record that ``verb`` happened and deliver it to the verb's audience (see ``registry``)."""
    spec = get_verb(verb)
    if spec is None:
        raise ValueError("unknown verb {!r}: register it in the app's AppConfig.ready()".format(verb))
    event = Event.objects.create(
        verb=verb,
        actor=actor,
        project=project,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        params=params or {},
    )
    readers = spec.readers(_candidates(spec.audience(event), actor.pk if actor else None), event)
    Notification.objects.bulk_create([Notification(event=event, recipient=user, project=project) for user in readers])
    return event


def filtered_notifications(user: Any, filters: Mapping[str, Any] | None = None) -> Any:
    """The reader's visible notifications narrowed by the page's filters (``unread``, ``kind``,
    ``project``: ``filters.NotificationFilterSet``). Returns the filter set: its ``qs`` when
    ``is_valid()``, its ``errors`` otherwise."""
    from greenbuild.notifications.filters import NotificationFilterSet

    return NotificationFilterSet(filters or {}, queryset=Notification.objects.visible_to(user))


def mark_all_read(*, actor: User, filters: Mapping[str, Any] | None = None) -> int:
    """Mark read every unread notification of the reader that ``filters`` keep (all of them
    without filters): the page's "mark all read" acts on what the page shows, in one UPDATE.
    Invalid filters mark nothing (``ValueError``)."""
    narrowed = filtered_notifications(actor, filters)
    if not narrowed.is_valid():
        raise ValueError(narrowed.errors)
    # One UPDATE over the ids the filters keep (a filtered queryset with joins cannot .update()
    # on every backend the same way).
    ids = narrowed.qs.filter(read_at__isnull=True).values("pk")
    return Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())


def mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the reader's notifications read (404-safe: only their visible ones)."""
    notification = Notification.objects.visible_to(actor).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def unread_count(user: Any) -> int:
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()


# --- the inbox (待办) -------------------------------------------------------------------------


def ended_programme_ids(as_of: dt.date | None = None) -> set[int]:
    """Programmes whose every phase ended before ``as_of`` (today) and that are not the programme
    the platform runs now: their to-dos are archived (two queries)."""
    from greenbuild.programmes.models import Programme
    from greenbuild.programmes.selectors import pick_current

    day = as_of or timezone.localdate()
    programmes = list(Programme.objects.prefetch_related("phases").order_by("-is_current", "pk"))
    if not programmes:
        return set()
    current = pick_current(programmes, day)
    return {
        p.pk
        for p in programmes
        if p.pk != current.pk and p.phases.all() and max(phase.ends_on for phase in p.phases.all()) < day
    }


def inbox_for(user: Any, *, programme: int | None = None) -> list[InboxItem]:
    """Everything waiting for ``user``, most urgent first (overdue, then by due date, then oldest).

    A closed programme's items are archived (UI-10, issue 16 item 11): they leave the list, the
    badge and the digest, and show only when ``programme`` names that programme (the inbox's
    programme filter), which also keeps the items of one programme. Two queries beside the
    providers', whatever the number of items.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[InboxItem] = []
    for provider in inbox_providers().values():
        items.extend(provider(user))
    items = _by_programme(items, programme)
    far = dt.date.max
    oldest = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (i.due or far, i.since or oldest, i.title))


def _by_programme(items: list[InboxItem], programme: int | None) -> list[InboxItem]:
    from greenbuild.projects.models import Project

    project_ids = {item.project_id for item in items if item.project_id is not None}
    if not project_ids:
        return items if programme is None else []
    programme_of = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "programme_id"))
    if programme is not None:
        return [i for i in items if i.project_id is not None and programme_of.get(i.project_id) == programme]
    ended = ended_programme_ids()
    return [item for item in items if item.project_id is None or programme_of.get(item.project_id) not in ended]


def due_after(since: dt.datetime | None, kind: str, *, cap: dt.date | None = None) -> dt.date | None:
    """The due date of an inbox item of ``kind`` waiting since ``since``.

    ``settings.INBOX_DUE_DAYS[kind]`` days (calendar days; default 10) after it arrived, and never
    later than ``cap`` (e.g. the programme's quota deadline).
    """
    days = getattr(settings, "INBOX_DUE_DAYS", {}).get(kind, 10)
    due = timezone.localtime(since).date() + dt.timedelta(days=days) if since is not None else None
    if cap is not None and (due is None or cap < due):
        return cap
    return due


# --- e-mail ------------------------------------------------------------------------------------


def preference_for(user: User) -> DeliveryPreference:
    pref, _created = DeliveryPreference.objects.get_or_create(user=user)
    return pref


@transaction.atomic
def update_preference(
    *, actor: User, daily_digest: bool, language: str, email_kinds: Iterable[str] | None = None
) -> DeliveryPreference:
    """Save the reader's e-mail preferences: the digest on or off, its language, and (when given)
    the kinds of event that also come by e-mail (``registry.kinds``); the others are muted."""
    pref = DeliveryPreference.objects.select_for_update().get(pk=preference_for(actor).pk)
    pref.daily_digest = daily_digest
    pref.language = language
    if email_kinds is not None:
        wanted = set(email_kinds)
        known = [kind for kind, _label in kinds()]
        unknown = wanted - set(known)
        if unknown:
            raise ValueError("unknown kinds of event: {}".format(", ".join(sorted(unknown))))
        pref.email_muted_kinds = [kind for kind in known if kind not in wanted]
    pref.full_clean()
    pref.save()
    return pref


def emailed_kinds(pref: DeliveryPreference) -> list[str]:
    """The kinds of event the reader also hears of by e-mail."""
    muted = set(pref.email_muted_kinds or [])
    return [kind for kind, _label in kinds() if kind not in muted]


def send_daily_digests(*, now: dt.datetime | None = None, users: Iterable[User] | None = None) -> int:
    """E-mail each person their unread notifications and open inbox items since the last digest.

    People without an e-mail address, or who turned the digest off, are skipped, and so is anyone
    with nothing new. Each message is written in the person's chosen language. Returns the number
    of e-mails sent. Safe to run twice a day: a notification is e-mailed once.
    """
    now = now or timezone.now()
    sent = 0
    people = users if users is not None else User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    for user in people:
        pref = preference_for(user)
        if not pref.daily_digest or not user.email:
            continue
        unsent = Notification.objects.visible_to(user).filter(read_at__isnull=True, emailed_at__isnull=True)
        for kind in pref.email_muted_kinds or []:  # kinds the reader keeps off e-mail (preferences)
            unsent = unsent.exclude(kind_q(kind))
        fresh = list(unsent.select_related("event", "event__actor")[:50])
        with translation.override(pref.language):
            items = inbox_for(user)
            if not fresh and not items:
                continue
            context = {
                "user": user,
                "notifications": fresh,
                "items": items,
                "site": settings.SITE_URL,
                "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
                "profile_url": settings.SITE_URL + reverse("accounts:profile"),
            }
            subject = _("GreenBuild daily digest: {n} new, {m} waiting").format(n=len(fresh), m=len(items))
            body = render_to_string("notifications/email/digest.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except OSError:
            logger.exception("digest e-mail to %s failed", user.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in fresh]).update(emailed_at=now)
        DeliveryPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
        sent += 1
    return sent
