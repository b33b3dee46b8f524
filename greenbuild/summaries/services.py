"""Every write of the programme summary (总结评估): draft it, generate (or regenerate) its figures in
a background job as a new revision, edit the recommendations, approve, send back, issue (filed in
the documents register), and start the next edition of the technical guideline from it, marking
each changed item and the lessons behind it.

A revision is frozen once generated; approval fixes the revision of record and is refused when the
revision the approver saw is not the latest; only an approved summary is issued. Only the bureau
writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import VIEW
from greenbuild.core.workflow import apply_move
from greenbuild.reports.revisions import services as revisions
from greenbuild.summaries.choices import RevisionStatus, SummaryStatus
from greenbuild.summaries.documents import SUMMARY_DOCUMENT
from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryRevision, SummaryTransition
from greenbuild.summaries.permissions import can
from greenbuild.summaries.selectors import lessons_of_summary, summary_figures
from greenbuild.summaries.tasks import GENERATE_JOB
from greenbuild.summaries.workflow import SUMMARY_WORKFLOW

RECOMMENDATIONS_MAX = 20000


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if obj is not None and not can(actor, VIEW, obj):
        raise ActionForbidden()
    if not can(actor, action, obj):
        raise ActionForbidden()


def _locked(summary_id: int) -> ProgrammeSummary:
    summary: ProgrammeSummary | None = ProgrammeSummary.objects.select_for_update().filter(pk=summary_id).first()
    if summary is None:
        raise DomainError(_("No such summary."))
    return summary


def _check_recommendations(text: str) -> str:
    text = (text or "").strip()
    if len(text) > RECOMMENDATIONS_MAX:
        raise DomainError(
            _("The recommendations are too long: at most {n} characters.").format(n=RECOMMENDATIONS_MAX),
            field="recommendations",
        )
    return text


def create_summary(*, actor: Any, programme: Any, recommendations: str = "") -> ProgrammeSummary:
    """Draft the summary of ``programme`` and start generating its first revision (a job). A
    programme not yet in its last phase, or with no completed pilot, is still drafted: the
    summary says so (``content["warnings"]``)."""
    _require(actor, "create")
    if programme is None:
        raise DomainError(_("Choose a programme."), field="programme")
    text = _check_recommendations(recommendations)
    if ProgrammeSummary.objects.filter(programme=programme).exists():
        raise DomainError(
            _("This programme's summary exists already: open it and generate it again."), field="programme"
        )
    try:
        with transaction.atomic():
            summary = ProgrammeSummary(programme=programme, recommendations=text, created_by=actor)
            set_history_user(summary, actor)
            summary.save()
            _start_revision(actor, summary)
    except IntegrityError:  # two clicks at once: the other one drafted it
        raise DomainError(
            _("This programme's summary exists already: open it and generate it again."), field="programme"
        ) from None
    return summary


def _check_draft(summary: ProgrammeSummary) -> None:
    if summary.status != SummaryStatus.DRAFT:
        raise DomainError(_("An approved or issued summary is not generated again: its figures are the record."))
    if summary.revisions.filter(status=RevisionStatus.GENERATING).exists():
        raise DomainError(_("The summary is being generated already: wait until the job has finished."))


@transaction.atomic
def generate_summary(*, actor: Any, summary_id: int) -> SummaryRevision:
    """Generate the draft summary again from today's data: a new revision, made in a job."""
    summary = _locked(summary_id)
    _require(actor, "generate", summary)
    _check_draft(summary)
    return _start_revision(actor, summary)


@transaction.atomic
def edit_recommendations(*, actor: Any, summary_id: int, recommendations: str) -> SummaryRevision:
    """Save the bureau's recommendations of a draft and generate a new revision holding them (the
    approved text is always the generated one)."""
    summary = _locked(summary_id)
    _require(actor, "edit", summary)
    _check_draft(summary)
    summary.recommendations = _check_recommendations(recommendations)
    set_history_user(summary, actor)
    summary.save(update_fields=["recommendations"])
    return _start_revision(actor, summary)


def _start_revision(actor: Any, summary: ProgrammeSummary) -> SummaryRevision:
    return revisions.start_revision(SummaryRevision, summary, actor=actor, job_kind=GENERATE_JOB)


def build_revision(*, actor: Any, revision_id: int, report: Any = None, as_of: dt.date | None = None) -> Any:
    """The job's work: gather the figures, make the PDF and the workbook, freeze the revision.
    Returns the PDF (the job's result file). A retried job of an old failed revision stays failed
    when a newer revision has been requested since."""
    from greenbuild.summaries.render import DOCUMENT_LANGUAGE, render_summary_pdf, render_summary_workbook

    def file_stem(summary: ProgrammeSummary, number: int) -> str:
        with translation.override(DOCUMENT_LANGUAGE):  # the files are in Chinese, so is their name
            return "{}-r{}".format(summary.title, number)

    return revisions.build_revision(
        SummaryRevision,
        actor=actor,
        revision_id=revision_id,
        report=report,
        select_related=["summary__programme"],
        authorise=lambda summary: _require(actor, "generate", summary),
        is_draft=lambda summary: summary.status == SummaryStatus.DRAFT,
        collect=lambda summary, progress: summary_figures(
            programme=summary.programme,
            recommendations=summary.recommendations,
            as_of=as_of,
            report=progress,
        ),
        render_pdf=render_summary_pdf,
        render_workbook=render_summary_workbook,
        file_stem=file_stem,
        missing=_("No such summary."),
        not_draft=_("An approved or issued summary is not generated again: its figures are the record."),
        storing=_("Storing the summary"),
        superseded=_("A newer revision has been requested since: this one is not generated again."),
    )


def restart_failed_revision(revision_id: int) -> None:
    """A retried job takes its failed revision up again."""
    revisions.restart_failed_revision(SummaryRevision, revision_id)


def transition_summary(
    *, actor: Any, summary_id: int, action: str, comment: str = "", revision: int | None = None
) -> SummaryTransition:
    """Approve, send back or issue (``SUMMARY_WORKFLOW``).

    ``revision``: the revision the actor saw (the page's form and the API send it). Approving is
    refused when it is not the latest revision, issuing when it is not the revision of record:
    nobody approves or issues figures they have not seen. Issuing files the summary's PDF in the
    documents register (number, filing, public verification) in the same transaction."""
    summary = ProgrammeSummary.objects.filter(pk=summary_id).first()
    if summary is None or not can(actor, VIEW, summary):
        raise ActionForbidden()
    with transaction.atomic():
        if action in ("approve", "issue"):
            revisions.refuse_unseen_revision(
                _locked(summary_id),
                seen=revision,
                of_record=action == "issue",
                changed=_(
                    "The summary has changed since you opened it: revision {number} is now the one "
                    "to {action}. Check its figures and try again."
                ),
                action=SUMMARY_WORKFLOW.table[action].label,
            )
        transition: SummaryTransition = apply_move(
            workflow=SUMMARY_WORKFLOW, actor=actor, obj_or_pk=summary_id, action=action, comment=comment
        )
        if action == "issue":
            from greenbuild.documents.services import issue_document

            issue_document(actor=actor, kind=SUMMARY_DOCUMENT, object_id=summary_id)
    return transition


# --- the next edition of the technical guideline -------------------------------------------------


@transaction.atomic
def start_next_edition(*, actor: Any, summary_id: int, code: str = "", effective_date: dt.date | None = None) -> Any:
    """A new draft edition of the technical guideline, a copy of every item of the edition in
    force (``guidelines.services.copy_edition``), started from the issued summary (once)."""
    from greenbuild.guidelines.selectors import current_guideline
    from greenbuild.guidelines.services import copy_edition

    summary = _locked(summary_id)
    _require(actor, "start_edition", summary)
    if summary.status != SummaryStatus.ISSUED:
        raise DomainError(_("Issue the summary first: the next edition rests on the issued summary."))
    if summary.next_edition_id is not None:
        raise DomainError(_("The next edition has been started already: open it."))
    source = current_guideline()
    if source is None:
        raise DomainError(_("No edition of the technical guideline is in force to copy."))
    if effective_date is not None and effective_date < source.effective_date:
        # published, it would never be the edition in force (the latest effective date is)
        raise DomainError(
            _("The next edition cannot take effect before the edition in force ({date}).").format(
                date=source.effective_date.isoformat()
            ),
            field="effective_date",
        )
    code = (code or "").strip() or "{}-next".format(source.code)[:40]
    edition = copy_edition(actor=actor, guideline_id=source.pk, code=code, effective_date=effective_date)
    summary.next_edition = edition
    set_history_user(summary, actor)
    summary.save(update_fields=["next_edition"])
    return edition


@transaction.atomic
def change_edition_item(
    *,
    actor: Any,
    summary_id: int,
    item_id: int,
    text_zh: str,
    text_en: str = "",
    reason: str,
    lesson_ids: list[int],
) -> EditionChange:
    """Change one item of the next (unpublished) edition: its new text, marked changed and linked
    to the lessons behind it (at least one, all of the programme's pilots). A second change of the
    same item updates its mark and keeps the text it had before the first."""
    from greenbuild.guidelines.models import GuidelineItem
    from greenbuild.guidelines.permissions import can as can_guideline

    summary = _locked(summary_id)
    _require(actor, "change_item", summary)
    if summary.next_edition_id is None:
        raise DomainError(_("Start the next edition first."))
    item = (
        GuidelineItem.objects.select_for_update()
        .select_related("guideline")
        .filter(pk=item_id, guideline_id=summary.next_edition_id)
        .first()
    )
    if item is None:
        raise DomainError(_("No such item in the next edition."), field="item")
    if not can_guideline(actor, "change", item.guideline):
        raise DomainError(_("The edition is published: its items are not changed any more."))
    text_zh = (text_zh or "").strip()
    reason = (reason or "").strip()
    if not text_zh:
        raise DomainError(_("Give the item's new text."), field="text_zh")
    if not reason:
        raise DomainError(_("Say why the item changes."), field="reason")
    wanted = {int(i) for i in lesson_ids or []}
    lessons = list(lessons_of_summary(summary).filter(pk__in=wanted))
    if not wanted or len(lessons) != len(wanted):
        raise DomainError(_("Link the lessons of this programme's pilots behind the change."), field="lessons")
    change = EditionChange.objects.filter(item=item).first()
    if change is None:
        change = EditionChange(summary=summary, item=item, previous_text_zh=item.text_zh, changed_by=actor)
    change.reason = reason
    change.changed_by = actor
    change.changed_at = timezone.now()
    set_history_user(change, actor)
    change.save()
    change.lessons.set(lessons)
    item.text_zh = text_zh
    if text_en.strip():
        item.text_en = text_en.strip()
    set_history_user(item, actor)
    item.save(update_fields=["text_zh", "text_en"])
    return change
