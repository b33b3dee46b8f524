"""Break-it review of issue 19 item 5 (lists): the admin of saved filters, a doubled save racing
itself, a stale second delete."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.lists import services
from greenbuild.lists.models import SavedFilter
from greenbuild.testing.fixtures import staff

pytestmark = pytest.mark.django_db


def test_the_admin_shows_saved_filters_read_only_to_the_bureau_only(client, personas, sys_admin):
    saved = SavedFilter.objects.create(
        user=personas["alice_owner"], list_name="projects", label="<b>mine</b>", query="q=%E7%94%B2"
    )
    client.force_login(staff(personas["bureau"]))
    response = client.get("/admin/lists/savedfilter/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;b&gt;mine&lt;/b&gt;" in page and "<b>mine</b>" not in page
    assert "/admin/lists/savedfilter/add/" not in page
    assert client.get("/admin/lists/savedfilter/{}/history/".format(saved.pk)).status_code == 200
    assert client.post("/admin/lists/savedfilter/{}/delete/".format(saved.pk), {"post": "yes"}).status_code == 403
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    # a user's saved searches are business records: not the system administrator's configuration
    client.force_login(sys_admin)
    assert client.get("/admin/lists/savedfilter/").status_code in (302, 403)


def test_a_doubled_save_that_loses_the_race_replaces_instead_of_failing(personas, monkeypatch):
    alice = personas["alice_owner"]
    services.save_filter(actor=alice, list_name="projects", label="甲", query="q=1")
    # the other click's row is not there yet when this one looks (a race), then its insert collides
    real = SavedFilter.objects.select_for_update

    class Blind:
        def filter(self, **kwargs):
            return SavedFilter.objects.none()

    calls = {"n": 0}

    def first_blind():
        calls["n"] += 1
        return Blind() if calls["n"] == 1 else real()

    monkeypatch.setattr(SavedFilter.objects, "select_for_update", first_blind)
    saved = services.save_filter(actor=alice, list_name="projects", label="甲", query="q=2")
    assert SavedFilter.objects.filter(user=alice).count() == 1
    assert saved.query == "q=2" and SavedFilter.objects.get(user=alice).query == "q=2"


def test_a_second_delete_of_a_saved_filter_goes_back_to_the_list(client, personas):
    saved = services.save_filter(actor=personas["alice_owner"], list_name="projects", label="甲", query="")
    other = services.save_filter(actor=personas["olivia_other_owner"], list_name="projects", label="乙", query="")
    client.force_login(personas["alice_owner"])
    url = reverse("lists:filter-delete", args=[saved.pk])
    assert client.post(url).status_code == 302
    with translation.override("zh-hans"):
        again = client.post(url, follow=True)  # the second click, a stale tab
    assert again.status_code == 200 and again.redirect_chain[-1][0] == reverse("projects:project-list")
    assert "这个已保存的筛选已不存在" in again.content.decode()
    # another user's filter: the same words, and it stays; the page asking for it is still a 404
    foreign = reverse("lists:filter-delete", args=[other.pk])
    assert client.post(foreign).status_code == 302 and SavedFilter.objects.filter(pk=other.pk).exists()
    assert client.get(foreign).status_code == 404
