"""Writes of the reports app: a generated report is stored as an Attachment of kind report."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.services import store_attachment
from greenbuild.core.errors import ActionForbidden
from greenbuild.reports.summary import render_standards_summary
from greenbuild.scoring.permissions import can as can_scores


def store_standards_summary(*, actor: Any, project: Any, report: Any = None) -> Any:
    """Render the project's standards summary and keep it as a report attachment of the project."""
    if not can_scores(actor, "view", project):
        raise ActionForbidden()
    _recompute_changed_figures(actor, project, report)
    pdf = render_standards_summary(project, report=report)
    name = "{}-{}-{}.pdf".format(project.name, _("standards summary"), timezone.localtime().strftime("%Y%m%d-%H%M"))
    with transaction.atomic():
        return store_attachment(
            actor=actor, project=project, kind=AttachmentKind.REPORT, uploaded_file=ContentFile(pdf, name=name)
        )


def _recompute_changed_figures(actor: Any, project: Any, report: Any) -> None:
    """No summary is issued from figures whose records changed since (issue 16 item 6): they are
    recomputed first, or the summary is refused with the reason."""
    from django.core.exceptions import ValidationError

    from greenbuild.core.errors import ActionForbidden, DomainError
    from greenbuild.scoring.services import refresh_record_results

    if report:
        report(5, _("Recomputing the figures whose records changed"))
    try:
        refresh_record_results(actor=actor, project=project)
    except ActionForbidden as error:  # a reader who may only see the scores: no run in their name
        raise DomainError(str(error)) from None
    except ValidationError as error:
        raise DomainError(
            _("The records changed and the figures cannot be recomputed: {reason}").format(
                reason="; ".join(error.messages)
            )
        ) from None
