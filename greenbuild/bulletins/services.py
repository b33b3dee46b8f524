"""Every write of the periodic bulletins (定期通报): draft a bulletin, generate (or regenerate) its
figures in a background job as a new revision, approve, send back, publish.

A revision is frozen once generated (its figures, PDF and workbook never change); approval fixes
the revision of record; only an approved bulletin is published (the workflow refuses every other
path). Only the bureau writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.bulletins.choices import BulletinKind, BulletinStatus, RevisionStatus
from greenbuild.bulletins.models import Bulletin, BulletinRevision, BulletinTransition
from greenbuild.bulletins.permissions import can
from greenbuild.bulletins.selectors import bulletin_figures, period_bounds
from greenbuild.bulletins.workflow import BULLETIN_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import VIEW
from greenbuild.core.workflow import apply_move
from greenbuild.reports.revisions import services as revisions

GENERATE_JOB = "bulletins.generate"
EARLIEST_YEAR = 2000


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if obj is not None and not can(actor, VIEW, obj):
        raise ActionForbidden()
    if not can(actor, action, obj):
        raise ActionForbidden()


def check_period(kind: str, year: int, period: int, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period's first and last day; a clear error for an unknown kind, a month outside 1–12,
    a quarter outside 1–4, or a period that has not started yet."""
    if kind not in BulletinKind.values:
        raise DomainError(_("Choose a monthly or a quarterly bulletin."), field="kind")
    today = today or timezone.localdate()
    if not EARLIEST_YEAR <= year <= today.year:
        raise DomainError(
            _("Give a year between {first} and {last}.").format(first=EARLIEST_YEAR, last=today.year), field="year"
        )
    try:
        start, end = period_bounds(kind, year, period)
    except ValueError:
        message = _("A quarter is 1 to 4.") if kind == BulletinKind.QUARTERLY else _("A month is 1 to 12.")
        raise DomainError(message, field="period") from None
    if start > today:
        raise DomainError(_("This period has not started yet: no figures can be reported for it."), field="period")
    return start, end


def create_bulletin(*, actor: Any, kind: str, year: int, period: int, programme: Any = None) -> Bulletin:
    """Draft the bulletin of a period and start generating its first revision (a background job)."""
    _require(actor, "create")
    start, end = check_period(kind, year, period)
    if programme is None:
        from greenbuild.programmes.selectors import current_programme

        programme = current_programme(end)
    if Bulletin.objects.filter(programme=programme, kind=kind, year=year, period=period).exists():
        raise DomainError(_("This period's bulletin exists already: open it and generate it again."), field="period")
    try:
        with transaction.atomic():
            bulletin = Bulletin(
                programme=programme,
                kind=kind,
                year=year,
                period=period,
                period_start=start,
                period_end=end,
                created_by=actor,
            )
            set_history_user(bulletin, actor)
            bulletin.save()
            _start_revision(actor, bulletin)
    except IntegrityError:  # two clicks at once: the other one drafted it
        raise DomainError(
            _("This period's bulletin exists already: open it and generate it again."), field="period"
        ) from None
    return bulletin


@transaction.atomic
def generate_bulletin(*, actor: Any, bulletin_id: int) -> BulletinRevision:
    """Generate the draft bulletin again from today's data: a new revision, made in a job."""
    bulletin = Bulletin.objects.select_for_update().filter(pk=bulletin_id).first()
    if bulletin is None:
        raise DomainError(_("No such bulletin."))
    _require(actor, "generate", bulletin)
    if bulletin.status != BulletinStatus.DRAFT:
        raise DomainError(_("An approved or published bulletin is not generated again: its figures are the record."))
    if bulletin.revisions.filter(status=RevisionStatus.GENERATING).exists():
        raise DomainError(_("The bulletin is being generated already: wait until the job has finished."))
    return _start_revision(actor, bulletin)


def _start_revision(actor: Any, bulletin: Bulletin) -> BulletinRevision:
    return revisions.start_revision(BulletinRevision, bulletin, actor=actor, job_kind=GENERATE_JOB)


def build_revision(*, actor: Any, revision_id: int, report: Any = None) -> Any:
    """The job's work: compute the figures, make the PDF and the workbook, freeze the revision.
    Returns the PDF (the job's result file)."""
    from greenbuild.bulletins.render import render_bulletin_pdf, render_bulletin_workbook

    return revisions.build_revision(
        BulletinRevision,
        actor=actor,
        revision_id=revision_id,
        report=report,
        select_related=["bulletin__programme"],
        authorise=lambda bulletin: _require(actor, "generate", bulletin),
        is_draft=lambda bulletin: bulletin.status == BulletinStatus.DRAFT,
        collect=lambda bulletin, progress: bulletin_figures(
            programme=bulletin.programme,
            kind=bulletin.kind,
            start=bulletin.period_start,
            end=bulletin.period_end,
            report=progress,
        ),
        render_pdf=render_bulletin_pdf,
        render_workbook=render_bulletin_workbook,
        file_stem=lambda bulletin, number: "{}-r{}".format(bulletin.title, number),
        missing=_("No such bulletin."),
        not_draft=_("An approved or published bulletin is not generated again: its figures are the record."),
        storing=_("Storing the bulletin"),
        # a retried job of an old failed revision must not put older figures behind a newer revision
        superseded=_("A newer revision has been requested since: this one is not generated again."),
    )


def restart_failed_revision(revision_id: int) -> None:
    """A retried job takes its failed revision up again."""
    revisions.restart_failed_revision(BulletinRevision, revision_id)


def transition_bulletin(
    *, actor: Any, bulletin_id: int, action: str, comment: str = "", revision: int | None = None
) -> BulletinTransition:
    """Approve, send back or publish (``BULLETIN_WORKFLOW``); publishing needs an approved bulletin.

    ``revision``: the revision the actor saw (the page's form and the API send it). Approving or
    publishing is refused when the bulletin's revision is another one by now (a revision generated,
    or the bulletin sent back and approved again, since the page was opened): nobody approves or
    publishes figures they have not seen."""
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None or not can(actor, VIEW, bulletin):
        raise ActionForbidden()
    with transaction.atomic():
        if action in ("approve", "publish"):
            # the revision of record is the latest one: no job may still be writing it
            locked = Bulletin.objects.select_for_update().filter(pk=bulletin_id).first()
            if locked is not None:
                revisions.refuse_unseen_revision(
                    locked,
                    seen=revision,
                    of_record=action == "publish",
                    changed=_(
                        "The bulletin has changed since you opened it: revision {number} is now the one "
                        "to {action}. Check its figures and try again."
                    ),
                    action=BULLETIN_WORKFLOW.table[action].label,
                )
        transition: BulletinTransition = apply_move(
            workflow=BULLETIN_WORKFLOW, actor=actor, obj_or_pk=bulletin_id, action=action, comment=comment
        )
    return transition
