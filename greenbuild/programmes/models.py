"""A pilot programme as data (R1, R2, R3): phases, the city-wide minimum and district quotas.

A second programme, or another city's, is set up in the admin without code.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    city = models.CharField(_("city"), max_length=40)
    min_pilots = models.PositiveIntegerField(
        _("city-wide minimum of pilots"), help_text=_("R1: at least this many confirmed pilots city-wide.")
    )
    districts = models.ManyToManyField("reference.District", verbose_name=_("participating districts"))
    is_current = models.BooleanField(_("current programme"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-is_current", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase whose dates contain ``day`` (phases loaded through ``phases``)."""
        for phase in self.phases.all():
            if phase.starts_on <= day <= phase.ends_on:
                return phase
        return None


class Phase(models.Model):
    """A programme phase (R2), e.g. 部署启动 2021-01 … 2021-06."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "order"]
        constraints = [models.UniqueConstraint(fields=["programme", "order"], name="unique_phase_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A phase cannot end before it starts.")})


class QuotaRule(models.Model):
    """R3: every participating district has at least ``min_per_district`` confirmed pilots of
    ``category`` by ``deadline``."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="quota_rules"
    )
    category = models.ForeignKey("reference.ProjectCategory", verbose_name=_("category"), on_delete=models.PROTECT)
    min_per_district = models.PositiveSmallIntegerField(_("minimum per district"), default=1)
    deadline = models.DateField(_("deadline"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district quota rule")
        verbose_name_plural = _("district quota rules")
        ordering = ["programme", "category__sort_order"]
        constraints = [models.UniqueConstraint(fields=["programme", "category"], name="unique_quota_category")]

    def __str__(self) -> str:
        return "{} ≥ {}".format(self.category, self.min_per_district)
