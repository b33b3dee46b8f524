"""Issue 19 item 5: the meeting list sorts by its columns (a link and aria-sort in each header)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_meeting_list_sorts_by_its_columns(client, personas, world):
    client.force_login(personas["dan_district"])
    url = reverse("conference:meeting-list")
    with translation.override("zh-hans"):
        numbers = {}
        for sort in ("number", "-number"):
            page = client.get(url, {"sort": sort}).content.decode()
            numbers[sort] = re.findall(r"<td>第 ?(\d+) ?次</td>|<td>No\. (\d+)</td>", page)
            assert 'aria-sort="{}"'.format("descending" if sort.startswith("-") else "ascending") in page
        assert numbers["number"] == numbers["-number"][::-1] and len(numbers["number"]) == 2
        assert 'data-sort="open"' in client.get(url).content.decode()
        page = client.get(url, {"sort": "minutes"}).content.decode()
        assert 'id="sort-error"' in page and "aria-sort" not in page
