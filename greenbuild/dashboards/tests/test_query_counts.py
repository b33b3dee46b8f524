"""Lists and dashboards use a constant number of queries whatever the number of projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("dashboards:overview"),
    reverse("projects:project-list"),
    reverse("projects:project-list") + "?status=confirmed",
]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["bureau", "dan_district", "alice_owner", "carl_contractor", None])
def test_pages_use_the_same_number_of_queries_for_3_and_12_projects(client, personas, filed_project, url, who):
    if who:
        client.force_login(personas[who])

    def add(n, start):
        for i in range(start, start + n):
            filed_project(["draft", "submitted", "confirmed"][i % 3], name="项目{}".format(i))

    add(3, 0)
    _count(client, url)  # warm the per-process caches (content types, translations)
    few = _count(client, url)
    add(9, 3)
    many = _count(client, url)
    assert few == many
    # session, user, memberships, notifications + the page's own queries; the project list adds
    # two since issue 16 (REG-04): the current programme it defaults to, and that filter's check;
    # one since issue 19 (item 5): the reader's saved filters; the bureau's batch form two more (its
    # evaluator choices and the check that it may act in a batch).
    assert many <= (19 if who == "bureau" else 17)
