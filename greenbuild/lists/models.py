"""A user's saved filters: a named query string of one list page (issue 19 item 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SavedFilter(models.Model):
    """One user's named filter of one list (``list_name``, e.g. ``projects``). Only its owner sees
    it; who saved and who deleted it stays in its history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_filters"
    )
    list_name = models.CharField(_("list"), max_length=40)
    label = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name", "label"], name="lists_savedfilter_unique_label")
        ]

    def __str__(self) -> str:
        return self.label
