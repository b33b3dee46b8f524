# ruff: noqa: F811  (``world`` is a fixture imported from the permission matrix)
"""The admin in the permission matrix (issue 10 item 1): workflow and registry rows are read-only there.

The demo's bureau administrator is a superuser, so Django's own permissions would allow them
everything: these tests sign the ``bureau`` persona in as staff and superuser, as the demo does,
and prove that the history revert view and the participant admin refuse every write (403) and
that nothing in the registry changed. Everyone else is sent to the admin's sign-in page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.projects.models import Project, ProjectParticipant
from greenbuild.projects.tests.test_permission_matrix import PERSONAS, undone, world  # noqa: F401 (fixture)
from greenbuild.testing.snapshots import registry_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_bureau(world):  # noqa: F811
    user = world["personas"]["bureau"]
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def admin_pages(world) -> dict[str, tuple[str, str, dict[str, str] | None]]:
    """Every admin page that could write a project or a participant: (method, url, POST data)."""
    draft: Project = world["projects"]["draft"]
    version = draft.history.order_by("history_id").first()
    participant = draft.participants.order_by("pk").first()
    other_owner = world["projects"]["olivia"].owner
    revert = reverse("admin:projects_project_simple_history", args=[draft.pk, version.history_id])
    participant_version = participant.history.order_by("history_id").first()
    participant_revert = reverse(
        "admin:projects_projectparticipant_simple_history", args=[participant.pk, participant_version.history_id]
    )
    attack = {"status": "confirmed", "owner": str(other_owner.pk), "name": draft.name, "_save": "1"}
    return {
        "project-revert-get": ("get", revert, None),
        "project-revert-post": ("post", revert, attack),
        "project-change-post": ("post", reverse("admin:projects_project_change", args=[draft.pk]), attack),
        "project-add-post": ("post", reverse("admin:projects_project_add"), attack),
        "project-delete-post": ("post", reverse("admin:projects_project_delete", args=[draft.pk]), {"post": "yes"}),
        "participant-add-get": ("get", reverse("admin:projects_projectparticipant_add"), None),
        "participant-add-post": (
            "post",
            reverse("admin:projects_projectparticipant_add"),
            {"project": str(draft.pk), "organisation": str(world["designer"].pk), "role": "evaluator"},
        ),
        "participant-change-get": (
            "get",
            reverse("admin:projects_projectparticipant_change", args=[participant.pk]),
            None,
        ),
        "participant-change-post": (
            "post",
            reverse("admin:projects_projectparticipant_change", args=[participant.pk]),
            {"project": str(draft.pk), "organisation": str(world["designer"].pk), "role": "evaluator"},
        ),
        "participant-delete-post": (
            "post",
            reverse("admin:projects_projectparticipant_delete", args=[participant.pk]),
            {"post": "yes"},
        ),
        "participant-revert-post": (
            "post",
            participant_revert,
            {"project": str(draft.pk), "organisation": str(world["designer"].pk), "role": "evaluator"},
        ),
    }


# What the bureau administrator (staff, superuser) gets: a read-only page, or 403.
BUREAU = {
    "project-revert-get": "read-only",
    "project-revert-post": "403",
    "project-change-post": "403",
    "project-add-post": "403",
    "project-delete-post": "403",
    "participant-add-get": "403",
    "participant-add-post": "403",
    "participant-change-get": "read-only",
    "participant-change-post": "403",
    "participant-delete-post": "403",
    "participant-revert-post": "403",
}

EDITABLE = re.compile(r'<(input|select|textarea)[^>]*name="(status|owner|name|role|organisation|project)"')


def test_the_bureau_administrator_cannot_write_projects_or_participants_through_the_admin(client, world, admin_bureau):
    client.force_login(admin_bureau)
    got = {}
    draft = world["projects"]["draft"]
    for page, (method, url, data) in admin_pages(world).items():
        with undone():
            before = registry_snapshot()
            response = client.get(url) if method == "get" else client.post(url, data)
            after = registry_snapshot()
            assert after == before, page
            if response.status_code == 200 and not EDITABLE.search(response.content.decode()):
                got[page] = "read-only"
            else:
                got[page] = str(response.status_code)
    assert got == BUREAU
    draft.refresh_from_db()
    assert (draft.status, draft.transitions.count()) == ("draft", 0)


def test_the_revert_page_offers_no_revert_button(client, world, admin_bureau):
    client.force_login(admin_bureau)
    method, url, _data = admin_pages(world)["project-revert-get"]
    with translation.override("zh-hans"):
        html = client.get(url).content.decode()
    assert 'name="_save"' not in html and "恢复" not in html  # django-simple-history's "Revert"
    assert world["projects"]["draft"].name in html


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "bureau"])
def test_everyone_else_is_sent_to_the_admin_sign_in_and_nothing_changes(client, world, persona):
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    for page, (method, url, data) in admin_pages(world).items():
        before = registry_snapshot()
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"], page
        assert registry_snapshot() == before, page


def test_a_rule_table_version_cannot_be_reverted_but_the_upload_stays(client, admin_bureau):
    import copy

    from greenbuild.scoring import services as scoring_services
    from greenbuild.scoring.models import RuleTable
    from greenbuild.standards.rulesets import bundled_ruleset

    data = copy.deepcopy(dict(bundled_ruleset("GB/T 50378-2019").data))
    data["version"] = "2026.9-admin-test"
    table = scoring_services.load_rule_table(actor=admin_bureau, data=data)
    client.force_login(admin_bureau)
    version = table.history.order_by("history_id").first()
    url = reverse("admin:scoring_ruletable_simple_history", args=[table.pk, version.history_id])
    assert client.get(url).status_code == 200
    before = RuleTable.objects.order_by("pk").values_list("pk", "active", "version")
    assert client.post(url, {"active": ""}).status_code == 403
    assert list(RuleTable.objects.order_by("pk").values_list("pk", "active", "version")) == list(before)
    assert client.get(reverse("admin:scoring_ruletable_add")).status_code == 200  # the upload form


def test_participant_rows_are_listed_read_only(client, world, admin_bureau):
    client.force_login(admin_bureau)
    html = client.get(reverse("admin:projects_projectparticipant_changelist")).content.decode()
    assert ProjectParticipant.objects.count() > 0
    assert "常州市建筑设计研究院" in html
    assert reverse("admin:projects_projectparticipant_add") not in html
