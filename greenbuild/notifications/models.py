"""Events and their delivery to readers (issue 11 §5).

An ``Event`` records that something happened (a verb, the object it happened to, the project it
belongs to, and the parameters needed to describe it). A ``Notification`` is one reader's copy of
an event. Both are rendered when read, in the reader's language, through the verb registry
(``greenbuild.notifications.registry``), and a reader only ever sees the notifications of projects
the projects gate still lets them see, or of objects their own app's gate still lets them see
(``Notification.objects.visible_to``).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    verb = models.CharField(_("verb"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), null=True, blank=True, on_delete=models.CASCADE
    )
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The event in the active language (the verb's renderer; an unknown verb shows its code)."""
        from greenbuild.notifications.registry import render_event

        return render_event(self)

    @property
    def url(self) -> str | None:
        from greenbuild.notifications.registry import event_url

        return event_url(self)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """The reader's own notifications, less those they may no longer read.

        The event chose its recipients (its verb's audience, through its app's gate); a
        recipient keeps reading it while either the projects gate lets them see the project's
        internal pages, or the gate of the object the event is about still lets them see that
        object (``registry.register_reader_scope``: an expert reads the news of the review round
        they sit on without any access to the project's internals). A project moved to another
        district, or withdrawn from a role's view, takes its notifications with it: nothing in
        them (not even its new name) reaches a former reader. One query, whatever the number.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user).filter(_readable(user))


def _readable(user: Any) -> Q:
    """The condition of ``visible_to``, built once per request for a user (a page asks for it
    up to four times: the navbar's count, the list, its project filter, its unread total).

    Nothing in it is evaluated when it is built (the gates are subqueries, run by each query that
    uses it), and what it is built from (the user's memberships, as ``memberships_cached`` loads
    them once per request, the superuser flag and a bound token's organisation) is its key: a
    user given other memberships (``use_memberships``) gets a condition built afresh."""
    from greenbuild.accounts.roles import bound_organisation_id
    from greenbuild.notifications.registry import reader_scopes

    memberships = user.memberships_cached()
    key = (bool(getattr(user, "is_superuser", False)), bound_organisation_id(user))
    kept = getattr(user, "_gb_notification_scope", None)
    if kept is not None and kept[0] == key and kept[1] is memberships:
        built: Q = kept[2]
        return built
    project_model = apps.get_model("projects", "Project")
    visible = project_model.objects.for_user(user, "view_internal").values("pk")
    readable = Q(project__isnull=True) | Q(project__in=visible)
    for scope in reader_scopes().values():
        readable |= scope(user)
    user._gb_notification_scope = (key, memberships, readable)
    return readable


class Notification(models.Model):
    """One reader's copy of an event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    # Denormalised from the event so that the gate filters notifications in one query.
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="unique_notification_reader")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Rendered when read, so each recipient reads it in their own language."""
        return self.event.text

    @property
    def url(self) -> str | None:
        return self.event.url


class DeliveryPreference(models.Model):
    """How a person wants to hear about events outside the platform (the daily digest e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="delivery_preference",
    )
    daily_digest = models.BooleanField(_("daily digest e-mail"), default=True)
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_digest_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    #: kinds of event (``registry.kind_of``) left out of the e-mails: a kind registered later is
    #: e-mailed until its reader mutes it
    email_muted_kinds = models.JSONField(
        _("kinds of event not e-mailed"),
        default=list,
        blank=True,
        help_text=_("Kinds of event (such as reviews) that stay on the notifications page and are not e-mailed."),
    )

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")

    def __str__(self) -> str:
        return str(self.user)
