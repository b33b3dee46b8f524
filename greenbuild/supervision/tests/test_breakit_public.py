"""Break-it findings (reviewer breakit-public): each test fails without its fix."""

import pytest
from django.urls import reverse

from greenbuild.core.errors import DomainError
from greenbuild.reference.models import District
from greenbuild.supervision import services
from greenbuild.supervision.models import InspectorPoolMember

pytestmark = pytest.mark.django_db


def test_a_pool_entry_keeps_to_the_person_s_own_district(personas):
    """A district official in another district's pool, or in the city-wide pool, would be drawn
    for projects they may not inspect: the draw then failed at random (and could be drawn again
    with a new seed) and a plan naming them never scheduled. Refused, nothing saved."""
    bureau, dan, wu = personas["bureau"], personas["dan_district"], personas["wu_district"]
    tianning = District.objects.get(code="tianning")
    with pytest.raises(DomainError):  # dan puts wu (武进区) in 天宁区's pool
        services.add_pool_member(actor=dan, user=wu, district=tianning)
    with pytest.raises(DomainError):  # the bureau puts a district official in the city-wide pool
        services.add_pool_member(actor=bureau, user=dan)
    assert not InspectorPoolMember.objects.exists()
    assert services.add_pool_member(actor=dan, user=dan, district=tianning).district == tianning
    assert services.add_pool_member(actor=bureau, user=bureau).district is None


def test_every_draw_is_named_on_the_public_list_from_the_moment_it_is_made(client, sv):
    """A draw made again until its result suits must show: the public list names unpublished draws
    (title, scope, time) but never their seed or result (a reviewer's find)."""
    unpublished = sv["unpublished"]
    page = client.get(reverse("supervision:public-draw-list")).content.decode()
    assert 'id="unpublished-draws"' in page and unpublished.title in page
    assert unpublished.seed not in page
    assert reverse("supervision:public-draw-detail", args=[unpublished.pk]) not in page
    assert client.get(reverse("supervision:public-draw-detail", args=[unpublished.pk])).status_code == 404
