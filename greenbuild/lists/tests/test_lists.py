"""Issue 19 item 5: sortable columns through the field policy, the programme filter and saved
filters per user, with the project list's number of queries constant."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import ActionForbidden
from greenbuild.lists import services
from greenbuild.lists.models import SavedFilter
from greenbuild.projects.models import Project
from greenbuild.testing.factories import make_project

pytestmark = pytest.mark.django_db

LIST = "projects:project-list"


def zh_get(client, url, data=None, **extra):
    with translation.override("zh-hans"):
        return client.get(url, data, **extra)


def listed(client, data=None) -> list[str]:
    page = zh_get(client, reverse(LIST), data).content.decode()
    return re.findall(r'<a href="/projects/\d+/">([^<]+)</a>', page)


@pytest.fixture
def three(personas):
    make_project(personas["alice_owner"], "乙项目")
    make_project(personas["olivia_other_owner"], "甲项目", district="wujin")
    make_project(personas["alice_owner"], "丙项目")
    return Project.objects.order_by("pk")


# --- sorting ------------------------------------------------------------------------------------


def test_the_bureau_sorts_by_a_column_both_ways_and_the_header_says_so(client, personas, three):
    client.force_login(personas["bureau"])
    names = sorted(p.name for p in three)
    assert listed(client, {"sort": "name"}) == names
    assert listed(client, {"sort": "-name"}) == names[::-1]
    page = zh_get(client, reverse(LIST), {"sort": "name"}).content.decode()
    # the sorted header carries aria-sort, and its link turns the order round; the others have none
    header = re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*href="([^"]+)"[^>]*data-sort="name"', page)
    assert header and "sort=-name" in header.group(1)
    assert page.count("aria-sort=") == 1
    # the bureau sees every project's last change, so it may sort by it
    assert 'data-sort="updated"' in page
    Project.objects.filter(name="甲项目").update(updated_at="2020-01-01T00:00:00Z")
    assert listed(client, {"sort": "updated"})[0] == "甲项目"
    # the filter form keeps the sort, and so do the export link and the pages
    assert '<input type="hidden" name="sort" value="name">' in page
    assert re.search(r'id="project-list-xlsx"', page) and "sort=name" in page.split('id="project-list-xlsx"')[0][-300:]


def test_a_reader_who_does_not_see_the_last_change_may_not_sort_by_it(client, personas, three):
    """The field policy: 更新 is internal; the public (and an owner, who does not see inside other
    owners' projects) get no link, and an address that asks anyway is refused, not obeyed."""
    Project.objects.update(status="confirmed")  # published: everyone lists them
    for who in (None, "olivia_other_owner"):
        client.logout()
        if who:
            client.force_login(personas[who])
        default = listed(client)
        page = zh_get(client, reverse(LIST), {"sort": "-updated"}).content.decode()
        assert 'data-sort="updated"' not in page and 'data-sort="name"' in page
        assert 'id="sort-error"' in page and "aria-sort=" not in page
        assert listed(client, {"sort": "-updated"}) == default
        assert listed(client, {"sort": "updated"}) == default
    # an unknown column is refused too, and never reaches the database as an order_by
    page = zh_get(client, reverse(LIST), {"sort": "owner__credit_code"}).content.decode()
    assert 'id="sort-error"' in page


def test_the_export_follows_the_pages_sort(client, personas, three):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(personas["bureau"])
    response = client.get(reverse("reports:project-list-xlsx"), {"sort": "-name", "programme": ""})
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == sorted(names, reverse=True) and len(names) == 3


# --- the programme -------------------------------------------------------------------------------


def test_the_programme_filter_and_column(client, personas):
    from django.apps import apps as django_apps
    from django.utils import timezone

    from greenbuild.programmes.data_changzhou_2021 import load_programme
    from greenbuild.projects import services as project_services
    from greenbuild.projects.demo import live_programme_spec
    from greenbuild.testing.factories import complete_project_data

    old = make_project(personas["alice_owner"], "二〇二一项目")
    live = load_programme(django_apps, live_programme_spec(timezone.localdate()))
    project_services.create_project(actor=personas["alice_owner"], programme=live, data=complete_project_data("本期"))
    client.force_login(personas["bureau"])
    assert listed(client, {"programme": old.programme_id}) == ["二〇二一项目"]
    assert listed(client, {"programme": live.pk}) == ["本期"]
    assert sorted(listed(client, {"programme": "", "sort": "programme"})) == ["二〇二一项目", "本期"]
    page = zh_get(client, reverse(LIST), {"programme": ""}).content.decode()
    assert 'data-sort="programme">试点计划' in page and old.programme.name_zh in page


# --- saved filters -------------------------------------------------------------------------------


def test_a_user_saves_applies_and_deletes_a_filter_and_nobody_else_sees_it(client, personas, three):
    alice, olivia = personas["alice_owner"], personas["olivia_other_owner"]
    client.force_login(alice)
    response = client.post(
        reverse("lists:filter-save"),
        {"list_name": "projects", "label": "我的天宁", "query": "q=乙&page=3&sort=-name"},
    )
    saved = SavedFilter.objects.get(user=alice)
    assert saved.query == "q=%E4%B9%99&sort=-name"  # the page number is not kept
    assert response.status_code == 302 and response["Location"].endswith("?" + saved.query)
    page = zh_get(client, reverse(LIST)).content.decode()
    assert "我的天宁" in page and 'href="/projects/?{}"'.format(saved.query.replace("&", "&amp;")) in page
    assert listed(client, {"q": "乙", "sort": "-name"}) == ["乙项目"]
    # saving under the same name replaces the query; the history names who did it
    client.post(reverse("lists:filter-save"), {"list_name": "projects", "label": "我的天宁", "query": "q=丙"})
    assert SavedFilter.objects.get(user=alice).query == "q=%E4%B8%99"
    assert saved.history.first().history_user == alice

    # another user sees nothing of it, cannot open its confirmation nor delete it
    client.force_login(olivia)
    assert "我的天宁" not in zh_get(client, reverse(LIST)).content.decode()
    url = reverse("lists:filter-delete", args=[saved.pk])
    assert client.get(url).status_code == 404
    # a POST finds nothing and goes back to the list (the same as a stale second delete: break-it review)
    assert client.post(url)["Location"] == reverse(LIST)
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    with pytest.raises(ActionForbidden):
        services.delete_filter(actor=olivia, filter_id=saved.pk)

    # the owner confirms, then deletes; a second delete finds nothing
    client.force_login(alice)
    confirm = zh_get(client, url).content.decode()
    assert 'id="filter-delete-form"' in confirm and "我的天宁" in confirm
    assert client.post(url).status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    assert client.post(url)["Location"] == reverse(LIST)
    deleted = SavedFilter.history.filter(id=saved.pk, history_type="-").get()
    assert deleted.history_user == alice


def test_a_refused_save_keeps_its_input_on_the_list(client, personas, three):
    client.force_login(personas["alice_owner"])
    response = client.post(reverse("lists:filter-save"), {"list_name": "projects", "label": "  ", "query": "q=乙"})
    assert response.status_code == 302 and response["Location"].endswith("?q=%E4%B9%99")
    page = zh_get(client, response["Location"]).content.decode()
    assert 'id="save-filter"' in page and "invalid-feedback" in page
    assert not SavedFilter.objects.exists()
    assert client.post(reverse("lists:filter-save"), {"list_name": "nope", "label": "x"}).status_code == 404


def test_the_signed_out_public_gets_no_saved_filters(client, three):
    Project.objects.update(status="confirmed")
    page = zh_get(client, reverse(LIST)).content.decode()
    assert 'id="saved-filters"' not in page
    assert client.post(reverse("lists:filter-save"), {"list_name": "projects", "label": "x"}).status_code == 302
    assert not SavedFilter.objects.exists()


# --- queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bureau", "alice_owner", None])
def test_the_lists_queries_do_not_grow_with_its_rows_sorted_or_not(client, personas, who):
    if who:
        client.force_login(personas[who])
        services.save_filter(actor=personas[who], list_name="projects", label="一", query="q=项目")

    def count(data):
        with CaptureQueriesContext(connection) as ctx:
            response = zh_get(client, reverse(LIST), data)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_project(personas["alice_owner"], "项目一")
    Project.objects.update(status="confirmed")
    few = {key: count({"sort": key}) for key in ("", "name", "-district", "owner", "status")}
    for n in range(2, 7):
        make_project(personas["olivia_other_owner"], "项目{}".format(n), district="wujin")
    Project.objects.update(status="confirmed")
    many = {key: count({"sort": key}) for key in few}
    assert many == few
