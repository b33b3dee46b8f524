"""The abstract frozen revision and the mixin of the object it belongs to (its *parent*).

A concrete revision model adds the foreign key to its parent (``related_name="revisions"``),
names it in ``parent_field`` and keeps its own ``Meta`` (ordering, the unique number per parent).
The parent keeps its own ``revision`` foreign key (the revision of record, fixed on approval).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevisionStatus(models.TextChoices):
    """A revision is made in a background job: running until its figures and files are stored."""

    GENERATING = "generating", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")


#: the fields every frozen revision has, in the order the admin shows them after the parent
REVISION_FIELDS = (
    "number",
    "status",
    "job",
    "content",
    "pdf",
    "workbook",
    "requested_by",
    "requested_at",
    "generated_at",
)


class FrozenRevision(models.Model):
    """One generation of a document's figures, frozen: the content JSON, its PDF and workbook.

    Once ``READY`` the row never changes: :meth:`save` refuses it (generate a new revision)."""

    #: the name of the concrete model's foreign key to its parent
    parent_field: ClassVar[str]

    number = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.GENERATING
    )
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("background job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(_("figures"), default=dict, blank=True)
    pdf = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workbook = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("workbook"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return "{} · r{}".format(self.parent, self.number)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == RevisionStatus.READY:
                raise ValidationError(_("A generated revision is frozen: generate a new revision instead."))
        super().save(*args, **kwargs)

    @property
    def parent(self) -> Any:
        """The bulletin, summary, … this revision belongs to."""
        return getattr(self, self.parent_field)


R = TypeVar("R", bound=FrozenRevision)


class FrozenRevisionsMixin(Generic[R]):
    """For the parent model (``class Bulletin(FrozenRevisionsMixin["BulletinRevision"],
    models.Model)``): its revisions (``related_name="revisions"``) and its ``revision`` foreign
    key, the revision of record once approved."""

    revisions: Any
    revision: Any
    revision_id: int | None

    def latest_revision(self) -> R | None:
        return cast("R | None", self.revisions.order_by("-number").first())

    def shown_revision(self) -> R | None:
        """The revision of record once approved; before, the latest generated one."""
        if self.revision_id:
            return cast("R", self.revision)
        return cast("R | None", self.revisions.filter(status=RevisionStatus.READY).order_by("-number").first())
