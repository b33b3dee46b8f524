"""Periodic bulletins (定期通报, issue 20 item 4): monthly and quarterly, generated from live data.

A :class:`Bulletin` is one period's bulletin of a programme (``monthly`` 2026-11, ``quarterly``
2026 Q4). Its figures are computed in a background job and frozen in a :class:`BulletinRevision`
(the figures as JSON, with its PDF and workbook made from exactly those figures). Generating
again while the bulletin is a draft makes a new revision; approval fixes the revision of record
(``Bulletin.revision``), and a published bulletin never changes, whatever the data does since.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.bulletins.choices import BulletinKind, BulletinStatus
from greenbuild.core.models import TransitionLog
from greenbuild.reports.revisions.models import FrozenRevision, FrozenRevisionsMixin


class BulletinQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> Any:
        from greenbuild.bulletins.permissions import restrict

        return restrict(self, user, action)

    def published(self) -> Any:
        return self.filter(status=BulletinStatus.PUBLISHED, revision__isnull=False)


class Bulletin(FrozenRevisionsMixin["BulletinRevision"], models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="bulletins"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BulletinKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(
        _("month or quarter"),
        help_text=_("The month (1–12) of a monthly bulletin, the quarter (1–4) of a quarterly one."),
    )
    period_start = models.DateField(_("period starts"), editable=False)
    period_end = models.DateField(_("period ends"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT, editable=False
    )
    revision = models.ForeignKey(
        "bulletins.BulletinRevision",
        verbose_name=_("revision of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("Fixed when the bulletin is approved: what is published."),
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_start", "kind", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "year", "period"], name="bulletins_one_per_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.kind == BulletinKind.QUARTERLY:
            return str(_("Green construction pilot bulletin, {year} Q{period}")).format(
                year=self.year, period=self.period
            )
        # the month zero-padded here, not by a format spec in the message (msgfmt cannot check one)
        return str(_("Green construction pilot bulletin, {year}-{month}")).format(
            year=self.year, month="{:02d}".format(self.period), period=self.period
        )

    @property
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED


class BulletinRevision(FrozenRevision):
    """One generation of a bulletin's figures, frozen: the content JSON, its PDF and workbook."""

    parent_field = "bulletin"

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        verbose_name = _("bulletin revision")
        verbose_name_plural = _("bulletin revisions")
        ordering = ["bulletin", "number"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "number"], name="bulletins_revision_number")]


class BulletinTransition(TransitionLog):
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("bulletin transition")
        verbose_name_plural = _("bulletin transitions")

    @property
    def to_label(self) -> str:
        return str(BulletinStatus(self.to_status).label)
