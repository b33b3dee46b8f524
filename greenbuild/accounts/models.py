"""Organisations, people and their roles (issue 2 §5, R17, R18)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.core.models import TimeStampedModel
from greenbuild.core.validators import validate_credit_code, validate_mobile_phone


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    #: a mainland mobile number, 11 digits (``accounts.validators.validate_mobile_phone``); set by
    #: its holder on the profile page (``accounts.services.update_own_profile``)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validate_mobile_phone])
    # 等保2.0 controls (docs/security.md): forced change of an administrator-set password, lockout.
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator sets the password; the user must choose a new one at next sign-in."),
    )
    failed_login_count = models.PositiveSmallIntegerField(_("consecutive failed sign-ins"), default=0, editable=False)
    last_failed_login_at = models.DateTimeField(_("last failed sign-in"), null=True, blank=True, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django's, except that with separated duties the superuser flag grants nothing: the
        account holds what its duty roles give (docs/security.md, "Separated administrator duties")."""
        from greenbuild.accounts import duties

        if self.is_active and duties.restricted_superuser(self):
            return duties.superuser_has_perm(self, perm, obj)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        from greenbuild.accounts import duties

        if self.is_active and duties.restricted_superuser(self):
            return duties.superuser_has_module_perms(self, app_label)
        return super().has_module_perms(app_label)

    def is_locked(self, now: datetime.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def memberships_cached(self) -> list[Membership]:
        """Memberships with organisation, loaded once per request (the gates read them often)."""
        cached: list[Membership] | None = getattr(self, "_gb_memberships", None)
        if cached is None:
            cached = list(self.memberships.select_related("organisation", "district", "department"))
            self._gb_memberships = cached
        return cached

    def use_memberships(self, memberships: list[Membership]) -> None:
        """What ``memberships_cached`` gives from now on: memberships loaded in a batch (several
        readers of a notification at once), or narrowed to one organisation (a bound API token)."""
        self._gb_memberships = list(memberships)


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015, with its check digit."),
    )
    district = models.ForeignKey(
        "reference.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "reference.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation, with the scope the role is limited to."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "reference.District",
        verbose_name=_("district scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Required for district officials."),
    )
    department = models.ForeignKey(
        "reference.Department",
        verbose_name=_("department scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Required for department reviewers."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.user, self.organisation, self.get_role_display())

    def clean(self) -> None:
        if self.role == Role.DISTRICT_OFFICIAL and not self.district_id:
            raise ValidationError({"district": _("A district official must be scoped to a district.")})
        if self.role == Role.DEPARTMENT_REVIEWER and not self.department_id:
            raise ValidationError({"department": _("A department reviewer must be scoped to a department.")})


class LoginFailure(models.Model):
    """One refused sign-in, counted per address for throttling (the audit log keeps the record)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    remote_addr = models.GenericIPAddressField(_("network address"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [models.Index(fields=["remote_addr", "at"], name="loginfailure_addr_at")]

    def __str__(self) -> str:
        return "{} · {} · {}".format(self.at, self.username, self.remote_addr or "")


class PasswordHistory(models.Model):
    """A password a user has had, as its hash: a new one must differ from the last few
    (``PASSWORD_HISTORY_COUNT``, docs/security.md). Written by ``PasswordHistoryValidator``."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        indexes = [models.Index(fields=["user", "-set_at"], name="passwordhistory_user_at")]

    def __str__(self) -> str:
        return "{} · {}".format(self.user, self.set_at)
