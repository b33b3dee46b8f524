"""In-platform notifications: who must know that something happened to a project."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        "accounts.User", verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.CASCADE)
    transition = models.ForeignKey(
        "projects.ProjectTransition", verbose_name=_("transition"), null=True, blank=True, on_delete=models.CASCADE
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Rendered when read, so each recipient reads it in their own language."""
        if self.transition_id is None:
            return self.message
        t = self.transition
        return _("{project}: {from_status} → {to_status} ({actor})").format(
            project=self.project.name, from_status=t.from_label, to_status=t.to_label, actor=t.actor
        )
