"""What every GreenBuild admin shares: the site's names, and read-only admins for workflow and
registry records (issue 10 item 1).

Workflow and registry rows change through the services only (style.md §5): the admin shows them,
their history and each historical version, but adds, changes, deletes and reverts nothing. A POST
to django-simple-history's revert view is refused (403) before a form is even built: saving that
form would write the historical version back with no transition row and no check.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

admin.site.site_header = _("GreenBuild pilot management platform · Administration")
admin.site.site_title = _("GreenBuild administration")
admin.site.index_title = _("Administration home")

SAFE_METHODS = ("GET", "HEAD")


class ReadOnlyAdminMixin:
    """The admin shows the rows; it never adds, changes or deletes them."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class LabelledHistoryHelper(HistoricalRecordContextHelper):
    """History rows in the user's language: a status reads 已推荐, not ``recommended``."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if getattr(field, "choices", None):
            return dict(field.flatchoices).get(value, value)
        return value


class NoRevertHistoryMixin:
    """django-simple-history's version view, read-only: GET shows a version, anything else is 403."""

    object_history_list_template = "core/admin/object_history_list.html"
    object_history_form_template = "core/admin/object_history_form.html"

    def get_historical_record_context_helper(self, request: Any, historical_record: Any) -> Any:
        return LabelledHistoryHelper(self.model, historical_record)  # type: ignore[attr-defined]

    def revert_disabled(self, request: Any, obj: Any = None) -> bool:
        return True

    def _check_history_ids(self, object_id: Any, version_id: Any = None) -> None:
        """404, not a 500, for an id the primary key cannot hold (``/x/history/``)."""
        model = self.model  # type: ignore[attr-defined]
        checks = [(model._meta.pk, unquote(object_id))]
        if version_id is not None:
            history_model = getattr(model, model._meta.simple_history_manager_attribute).model
            checks.append((history_model._meta.pk, unquote(version_id)))
        for field, value in checks:
            try:
                field.to_python(value)
            except (ValidationError, ValueError, TypeError):
                raise Http404 from None

    def history_view(self, request: Any, object_id: Any, extra_context: Any = None) -> Any:
        self._check_history_ids(object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(self, request: Any, object_id: Any, version_id: Any, extra_context: Any = None) -> Any:
        if request.method not in SAFE_METHODS:
            raise PermissionDenied
        self._check_history_ids(object_id, version_id)
        request.greenbuild_history_read_only = True  # every field read-only (get_readonly_fields)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        if getattr(request, "greenbuild_history_read_only", False):
            opts = self.model._meta  # type: ignore[attr-defined]
            return [f.name for f in (*opts.fields, *opts.many_to_many) if not f.auto_created]
        return super().get_readonly_fields(request, obj)  # type: ignore[misc]


class ReadOnlyHistoryAdmin(NoRevertHistoryMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """A workflow or registry model: its rows, history and versions, all read-only."""


#: Rows that only their workflow and services write (issue 17 item 5, SEC-05): read-only and
#: undeletable in the admin, inlines included. Besides these, every workflow's model and
#: transition log (found in each app's ``workflow.py``) and every ``TransitionLog`` are included.
#: ``greenbuild.core.checks`` refuses to start an admin that could write one of them, or that
#: offers django-simple-history's revert on any model.
SERVICE_ONLY_MODELS: tuple[str, ...] = (
    "attachments.Attachment",
    "audit.AuditEvent",
    "conference.ActionItem",
    "conference.Attendance",
    "conference.Decision",
    "conference.Meeting",
    "conference.MinutesAddendum",
    "documents.DocumentCounter",
    "documents.IssuedDocument",
    "lifecycle.Baseline",
    "lifecycle.StepCondition",
    "lifecycle.StepItem",
    "lists.SavedFilter",
    "plans.PlanRevision",
    "plans.PlanVersion",
    "projects.Building",
    "projects.ProjectParticipant",
    "reviews.ExpertOpinion",
    "reviews.ExpertScore",
    "reviews.PanelSeat",
    "reviews.RoundEvent",
    "scoring.ClauseClaim",
    "scoring.Scorecard",
    "scoring.ScoreRun",
    "webhooks.Attempt",
    "webhooks.Delivery",
    "webhooks.Subscription",
)


def workflow_models() -> set[type[models.Model]]:
    """Every model a ``Workflow`` moves, and its transition log, from each app's ``workflow.py``."""
    from greenbuild.core.workflow import Workflow

    found: set[type[models.Model]] = set()
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module("{}.workflow".format(config.name))
        except ModuleNotFoundError as error:
            if error.name != "{}.workflow".format(config.name):
                raise
            continue
        for value in vars(module).values():
            if isinstance(value, Workflow):
                found.update({value.model_class, value.transition_class})
    return found


def service_only_models() -> set[type[models.Model]]:
    """The models the admin shows but never adds, changes or deletes (see ``SERVICE_ONLY_MODELS``)."""
    from greenbuild.core.models import TransitionLog

    listed = {apps.get_model(label) for label in SERVICE_ONLY_MODELS}
    logs = {m for m in apps.get_models() if issubclass(m, TransitionLog)}
    return listed | logs | workflow_models()
