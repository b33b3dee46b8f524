"""Gate helpers (issue 11 item 2): ids from user input, 404 for the invisible, 403 for the forbidden."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from greenbuild.core.errors import ActionForbidden
from greenbuild.core.permissions import Action, get_child_or_404, get_object_for_user, parse_id
from greenbuild.projects.models import Project
from greenbuild.testing.factories import make_project


@pytest.mark.parametrize(
    "value,expected",
    [(1, 1), ("42", 42), (" 7 ", 7), ("abc", None), ("-1", None), (0, None), ("1.5", None), (None, None),
     (10**20, None), (str(10**20), None), (2**63 - 1, 2**63 - 1), ("٣", None), (True, None)],
)  # fmt: skip
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_the_vocabulary_reads_as_strings():
    assert Action.VIEW == "view" and Action.VIEW_INTERNAL == "view_internal" and Action.CHANGE == "change"


@pytest.mark.django_db
def test_get_object_for_user_gives_404_for_the_invisible_and_403_for_the_forbidden(personas):
    draft = make_project(personas["alice_owner"], "网关草稿")
    assert get_object_for_user(Project, personas["alice_owner"], draft.pk, Action.CHANGE) == draft
    assert get_object_for_user(Project.objects.all(), personas["bureau"], str(draft.pk)) == draft
    with pytest.raises(ActionForbidden):
        get_object_for_user(Project, personas["bureau"], draft.pk, "submit")
    for pk in (draft.pk, "abc", -1, 10**20, draft.pk + 1000):
        with pytest.raises(Http404):
            get_object_for_user(Project, personas["dan_district"], pk)


@pytest.mark.django_db
def test_get_child_or_404_only_through_its_parent(personas):
    own = make_project(personas["alice_owner"], "父项目")
    other = make_project(personas["olivia_other_owner"], "别人的项目", district="wujin")
    building = own.buildings.get()
    assert get_child_or_404(own, "buildings", building.pk) == building
    assert get_child_or_404(own, own.buildings.select_related("structure_material"), str(building.pk)) == building
    for pk in (other.buildings.get().pk, "x", 10**20):
        with pytest.raises(Http404):
            get_child_or_404(own, "buildings", pk)


@pytest.mark.django_db
def test_an_overflowing_child_id_in_a_url_is_404_not_500(client, personas):
    project = make_project(personas["alice_owner"], "溢出项目")
    client.force_login(personas["alice_owner"])
    huge = 10**20
    assert client.get(reverse("projects:building-edit", args=[project.pk, huge])).status_code == 404
    assert client.post(reverse("projects:building-delete", args=[project.pk, huge])).status_code == 404
    assert client.get(reverse("projects:project-detail", args=[huge])).status_code == 404
