"""API tokens for systems (issue 12 §4): per user, optionally bound to one organisation, read or
write, with an expiry; stored hashed and shown once; revocable; last use recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("bound to organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("The token acts only through the user's roles in this organisation."),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    #: the first characters of the token, stored in clear to find it (never enough to use it)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    #: SHA-256 of the whole token: the token itself is shown once and never stored
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return "{} ({}…)".format(self.name, self.prefix)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
