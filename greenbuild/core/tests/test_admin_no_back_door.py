"""No back door in the admin (issue 17 item 5, SEC-05).

Every admin class registered on the site is walked, so a new one cannot forget:

* no history revert: the version page of every model with django-simple-history answers GET with
  a read-only page (no revert button, no field to edit) and any POST with 403, changing nothing;
* workflow-backed models (``service_only_models()``: each ``workflow.py``'s models and transition
  logs, seats, scores, steps and items, requests, meetings, minutes, documents, scorecards…) are
  view-only: add, change, delete and the bulk delete answer 403 or are not offered, inlines too;
* the system check (``greenbuild.core.checks``) that refuses to start such an admin finds nothing,
  and does catch each kind of back door.

The bureau administrator of the demo is staff and superuser, so Django's own permissions would
allow everything: these tests sign in as that user.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, service_only_models
from greenbuild.core.checks import admin_write_problems, superuser_request
from greenbuild.testing.demo import load_demo

pytestmark = pytest.mark.django_db

EDITABLE = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"(?!csrfmiddlewaretoken|_)([^\"]+)\"")


def _history_admins() -> list[tuple[Any, Any]]:
    return [(m, a) for m, a in admin.site._registry.items() if hasattr(a, "history_form_view")]


def _url(model: Any, view: str, *args: Any) -> str:
    return reverse("admin:{}_{}_{}".format(model._meta.app_label, model._meta.model_name, view), args=args)


def _state(model: Any) -> tuple[Any, ...]:
    rows = [model_to_dict(row) for row in model._default_manager.order_by("pk")]
    history = model.history.count() if hasattr(model, "history") else None
    return (repr(rows), history)


def test_every_admin_with_a_history_is_a_no_revert_admin():
    missing = [type(a).__name__ for _m, a in _history_admins() if not isinstance(a, NoRevertHistoryMixin)]
    assert missing == []
    # the models the findings named (SEC-05) are among them
    named = {"ReviewRound", "CriteriaScheme", "ExpertProfile", "StepType", "ConferenceMember"}
    named |= {"Guideline", "Organisation", "Programme"}
    assert named <= {m.__name__ for m, a in _history_admins()}


def test_the_system_check_finds_no_back_door():
    assert admin_write_problems(admin.site) == []


def test_the_system_check_catches_a_revert_a_writable_workflow_admin_and_a_writable_inline():
    from greenbuild.accounts.models import Organisation
    from greenbuild.projects.models import Project, ProjectTransition
    from greenbuild.reviews.models import ReviewRound

    class TransitionInline(admin.TabularInline):
        model = ProjectTransition

    class ProjectAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
        inlines = [TransitionInline]

        def has_add_permission(self, request: Any) -> bool:
            return False

        def has_change_permission(self, request: Any, obj: Any = None) -> bool:
            return False

        def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
            return False

    site = admin.AdminSite(name="back_door")
    site.register(Organisation, SimpleHistoryAdmin)
    site.register(ReviewRound, admin.ModelAdmin)
    site.register(Project, ProjectAdmin)
    found = {(p.id, p.obj.__name__) for p in admin_write_problems(site)}
    assert found == {
        ("greenbuild.E001", "SimpleHistoryAdmin"),
        ("greenbuild.E002", "ModelAdmin"),
        ("greenbuild.E003", "TransitionInline"),
    }
    assert "delete_selected" in next(p.msg for p in admin_write_problems(site) if p.id == "greenbuild.E002")


def test_the_workflow_models_cover_every_workflow_and_what_the_findings_name():
    labels = {m._meta.label for m in service_only_models()}
    assert {
        "reviews.ReviewRound",
        "reviews.PanelSeat",
        "reviews.ExpertScore",
        "lifecycle.ProjectStep",
        "lifecycle.StepItem",
        "lifecycle.BaselineChangeRequest",
        "projects.WithdrawalRequest",
        "projects.ProjectTransition",
        "conference.Meeting",
        "conference.MinutesAddendum",
        "conference.ActionItem",
        "documents.IssuedDocument",
        "scoring.ClauseClaim",
        "plans.GreenPlan",
    } <= labels


@pytest.fixture
def demo_bureau(client, django_user_model):
    load_demo()
    user = django_user_model.objects.get(username="bureau")
    assert user.is_staff and user.is_superuser
    client.force_login(user)
    return user


def test_no_admin_reverts_a_version_and_no_workflow_row_is_written_through_the_admin(client, demo_bureau):
    walked: list[str] = []
    for model, _model_admin in _history_admins():
        label = model._meta.label
        obj = model._default_manager.filter(pk__in=model.history.values("id")).order_by("pk").first()
        if obj is None:  # the refusal comes before any lookup
            url = _url(model, "simple_history", 1, 1)
        else:
            version = obj.history.order_by("history_id").first()
            url = _url(model, "simple_history", obj.pk, version.history_id)
            response = client.get(url)
            assert response.status_code == 200, label
            html = response.content.decode()
            assert 'name="_save"' not in html and "revert" not in html.lower(), label
            assert EDITABLE.findall(html) == [], (label, EDITABLE.findall(html))
        before = _state(model)
        data = {**({k: str(v) for k, v in model_to_dict(obj).items() if v is not None} if obj else {}), "_save": "1"}
        assert client.post(url, data).status_code == 403, label
        assert _state(model) == before, label
        walked.append(label)
    assert len(walked) >= 19

    request = superuser_request()
    request.user = demo_bureau
    protected = service_only_models()
    registered = [(m, a) for m, a in admin.site._registry.items() if m in protected]
    assert len(registered) >= 15
    for model, model_admin in registered:
        label = model._meta.label
        assert "delete_selected" not in model_admin.get_actions(request), label
        obj = model._default_manager.order_by("pk").first()
        before = _state(model)
        assert client.get(_url(model, "add")).status_code == 403, label
        assert client.post(_url(model, "add"), {}).status_code == 403, label
        if obj is not None:
            data = {k: str(v) for k, v in model_to_dict(obj).items() if v is not None}
            assert client.post(_url(model, "change", obj.pk), data).status_code == 403, label
            assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, label
            bulk = {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [str(obj.pk)], "post": "yes"}
            client.post(_url(model, "changelist"), bulk)
            try:
                page = client.get(_url(model, "change", obj.pk))
            except NoReverseMatch:  # pragma: no cover
                page = None
            assert page is not None and page.status_code == 200, label  # view only
        assert _state(model) == before, label
