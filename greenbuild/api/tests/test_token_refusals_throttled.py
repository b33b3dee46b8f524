"""Issue 17 item 3 / ACC-07, found while breaking the token rules: a refused token (401) and a read
token's write (403) are answered in the authentication, before DRF's throttles run, so they were
never counted; the refusal audit keyed IPv6 addresses one by one, so a /64 wrote an entry per
address. And a bound token of a user named on a conference seat kept the whole conference."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from greenbuild.api import services as api_services
from greenbuild.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BAD = "Bearer gb_00000000_" + "x" * 40


def get(token, remote="10.0.0.5", path="/api/v1/projects/", method="get"):
    return getattr(APIClient(), method)(path, HTTP_AUTHORIZATION=token, REMOTE_ADDR=remote)


def test_bad_tokens_count_against_the_address_throttle(two_per_minute):
    assert get(BAD).status_code == 401
    assert get(BAD).status_code == 401
    response = get(BAD)
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "throttled"
    assert get(BAD, remote="10.0.0.6").status_code == 401  # another address has its own count


def test_read_token_writes_count_against_the_address_throttle(two_per_minute, personas):
    _token, raw = api_services.create_token(actor=personas["alice_owner"], user=personas["alice_owner"], name="r")
    token = "Bearer " + raw
    assert get(token, method="post").status_code == 403
    assert get(token, method="post").status_code == 403
    assert get(token, method="post").status_code == 429


def test_the_refusal_audit_counts_an_ipv6_64_as_one_address():
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:abcd::7"):
        assert get(BAD, remote=host).status_code == 401
    assert AuditEvent.objects.filter(kind="token_refused").count() == 1
    assert get(BAD, remote="2001:db8:1:3::1").status_code == 401
    assert AuditEvent.objects.filter(kind="token_refused").count() == 2


def test_a_bound_token_does_not_carry_a_conference_seat_of_another_organisation(personas, orgs):
    """SEC-01's steps with the conference: ``bureau`` is named on the conference's seat for the
    bureau; a token bound to a contractor where it is a participant reads none of the conference."""
    from django.utils import timezone

    from greenbuild.accounts.choices import Role
    from greenbuild.accounts.models import Membership
    from greenbuild.conference import services as conference_services
    from greenbuild.conference.models import ConferenceMember

    bureau = personas["bureau"]
    conference_services.create_meeting(
        actor=bureau,
        data={"number": 1, "title": "启动会", "date": timezone.localdate(), "place": "301", "agenda": "一、部署"},
    )
    bureau_org = next(m.organisation for m in bureau.memberships.all())
    ConferenceMember.objects.create(person=bureau, organisation=bureau_org, role="convenor", title="局长")
    Membership.objects.create(user=bureau, organisation=orgs["contractor"], role=Role.PARTICIPANT)
    _token, raw = api_services.create_token(
        actor=bureau, user=bureau, name="b", scope="write", organisation=orgs["contractor"]
    )
    bound = "Bearer " + raw
    for path in ("/api/v1/meetings/", "/api/v1/decisions/", "/api/v1/conference-members/"):
        response = get(bound, path=path)
        assert response.status_code == 200 and response.json()["count"] == 0, (path, response.content)
    # the seat still counts for the unbound account
    _token, raw = api_services.create_token(actor=bureau, user=bureau, name="u", scope="read")
    Membership.objects.filter(user=bureau).exclude(organisation=orgs["contractor"]).delete()
    assert get("Bearer " + raw, path="/api/v1/meetings/").json()["count"] == 1
