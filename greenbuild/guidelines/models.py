"""The technical guideline (技术导则, R19) as versioned, administrator-editable data.

An edition (:class:`Guideline`) holds items in four parts (绿色策划, 绿色设计, 绿色施工,
绿色交付/运维). Administrators revise the guideline as a new edition: copy the published one,
edit the copy's items, publish it (``services.copy_edition`` / ``services.publish_edition``). A
published edition's items are not edited any more, so every plan written against it keeps its
meaning.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GuidelinePart(models.TextChoices):
    PLANNING = "planning", _("Green planning")
    DESIGN = "design", _("Green design")
    CONSTRUCTION = "construction", _("Green construction")
    DELIVERY = "delivery", _("Green delivery and operation")


#: labels of the lifecycle step codes (the lifecycle app's step types carry the same codes)
STEP_LABELS = {
    "approval": _("Project approval"),
    "land_prereview": _("Land pre-review and site selection"),
    "planning_conditions": _("Planning conditions"),
    "land_transfer": _("Land transfer"),
    "scheme_design": _("Scheme design"),
    "engineering_design": _("Engineering design"),
    "drawing_review": _("Construction drawing review"),
    "construction": _("Construction (integrated supervision)"),
    "supervision": _("Works supervision"),
    "completion_acceptance": _("Completion acceptance"),
    "operation": _("Operation"),
}


def _in_language(zh: str, en: str) -> str:
    return en if (get_language() or "zh-hans").startswith("en") and en else zh


class Guideline(models.Model):
    """One edition of the technical guideline."""

    code = models.SlugField(_("edition code"), max_length=40, unique=True)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    effective_date = models.DateField(_("effective date"))
    published = models.BooleanField(_("published"), default=False)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("technical guideline")
        verbose_name_plural = _("technical guidelines")
        ordering = ["-effective_date", "-pk"]

    def __str__(self) -> str:
        return "{} ({})".format(self.title, self.code)

    @property
    def title(self) -> str:
        return _in_language(self.title_zh, self.title_en)


class GuidelineItem(models.Model):
    """One item of an edition: what a plan must (or should) say, in which part and step."""

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.CASCADE, related_name="items"
    )
    part = models.CharField(_("part"), max_length=16, choices=GuidelinePart.choices)
    code = models.CharField(_("item code"), max_length=16)
    text_zh = models.TextField(_("Chinese text"))
    text_en = models.TextField(_("English text"))
    #: a lifecycle step code (``approval``, ``planning_conditions``, …) or blank
    step = models.CharField(_("lifecycle step"), max_length=32, blank=True)
    evidence_zh = models.TextField(_("evidence expected (Chinese)"), blank=True)
    evidence_en = models.TextField(_("evidence expected (English)"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    requirement = models.CharField(_("requirement served"), max_length=8, blank=True)
    #: a suitable technology (适宜技术, R21) the plan may choose, rather than a measure to write
    is_technology = models.BooleanField(_("suitable technology"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guideline item")
        verbose_name_plural = _("guideline items")
        ordering = ["guideline", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["guideline", "code"], name="guideline_item_code_unique")]

    def __str__(self) -> str:
        return "{} {}".format(self.code, self.short_text)

    @property
    def text(self) -> str:
        return _in_language(self.text_zh, self.text_en)

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))

    @property
    def evidence(self) -> str:
        return _in_language(self.evidence_zh, self.evidence_en)

    @property
    def short_text(self) -> str:
        text = self.text
        return text if len(text) <= 40 else text[:39] + "…"
