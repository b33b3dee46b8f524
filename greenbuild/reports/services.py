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
    pdf = render_standards_summary(project, report=report)
    name = "{}-{}-{}.pdf".format(project.name, _("standards summary"), timezone.localtime().strftime("%Y%m%d-%H%M"))
    with transaction.atomic():
        return store_attachment(
            actor=actor, project=project, kind=AttachmentKind.REPORT, uploaded_file=ContentFile(pdf, name=name)
        )
