"""A token's last use is written at most once a minute, never on every read (issue 18 item 10);
the audit of uses keeps its meaning (a new address, or the first use after an hour's silence)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenbuild.api import services as api_services
from greenbuild.api.models import ApiToken
from greenbuild.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
TRIVIAL = "/api/v1/users/me/"
PUBLIC = "/api/v1/districts/"  # for an anonymous caller


@pytest.fixture
def token(bureau):
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        token, raw = api_services.create_token(actor=bureau, user=bureau, name="系统", scope="read")
    return token, {"HTTP_AUTHORIZATION": "Bearer " + raw}


def writes(ctx):
    """The writes of a request but the cache's (the throttles' counters live in the database cache
    when no Redis is configured, for anonymous requests as well)."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
        and "greenbuild_cache" not in q["sql"]
    ]


def get(client, auth, at, **extra):
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as ctx:
        response = client.get(TRIVIAL, **auth, **extra)
    assert response.status_code == 200, response.content
    return ctx


def used(token):
    token.refresh_from_db()
    return token.last_used_at, token.last_used_from


def test_a_read_within_a_minute_of_the_last_written_use_writes_nothing(client, token, django_assert_num_queries):
    token, auth = token
    first = get(client, auth, START)
    assert writes(first), "the first use is written"
    assert used(token) == (START, "127.0.0.1")
    second = get(client, auth, START + dt.timedelta(seconds=59))
    assert writes(second) == []
    assert len(second.captured_queries) == len(first.captured_queries) - len(writes(first))
    assert used(token) == (START, "127.0.0.1")  # accurate to a minute
    with (
        time_machine.travel(START + dt.timedelta(seconds=30), tick=False),
        django_assert_num_queries(len(second.captured_queries)),
    ):
        client.get(TRIVIAL, **auth)


def test_the_last_use_is_written_again_after_a_minute(client, token):
    token, auth = token
    get(client, auth, START)
    later = START + dt.timedelta(seconds=60)
    assert writes(get(client, auth, later))
    assert used(token) == (later, "127.0.0.1")
    assert AuditEvent.objects.filter(kind="token_used").count() == 1  # not a new audit line: the same hour


def test_a_new_address_is_written_and_audited_at_once(client, token):
    token, auth = token
    get(client, auth, START)
    at = START + dt.timedelta(seconds=5)
    assert writes(get(client, auth, at, REMOTE_ADDR="192.0.2.7"))
    assert used(token) == (at, "192.0.2.7")
    assert AuditEvent.objects.filter(kind="token_used").count() == 2


def test_the_first_use_after_an_hours_silence_is_audited_and_steady_use_is_not(client, token):
    token, auth = token
    for minute in range(0, 120, 1):  # steady use for two hours: one audit line (the first use)
        get(client, auth, START + dt.timedelta(minutes=minute, seconds=30))
    assert AuditEvent.objects.filter(kind="token_used").count() == 1
    get(client, auth, START + dt.timedelta(minutes=119, seconds=30) + dt.timedelta(hours=1, seconds=1))
    assert AuditEvent.objects.filter(kind="token_used").count() == 2


def test_a_stored_last_use_in_the_future_is_written_again(client, token):
    token, auth = token
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=START + dt.timedelta(hours=1), last_used_from="127.0.0.1")
    assert writes(get(client, auth, START))
    assert used(token) == (START, "127.0.0.1")


# --- break-it review: dead tokens, the tokens page, the throttles' rates --------------------------


def test_a_revoked_token_is_refused_at_once_though_its_use_was_written_seconds_ago(client, token, bureau):
    token, auth = token
    get(client, auth, START)
    with time_machine.travel(START + dt.timedelta(seconds=10), tick=False):
        api_services.revoke_token(actor=bureau, token_id=token.pk)
    with time_machine.travel(START + dt.timedelta(seconds=20), tick=False):
        assert client.get(TRIVIAL, **auth).status_code == 401


def test_an_expired_token_is_refused_at_once_though_its_use_was_written_seconds_ago(client, token):
    token, auth = token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=START + dt.timedelta(seconds=30))
    get(client, auth, START + dt.timedelta(seconds=29))
    with time_machine.travel(START + dt.timedelta(seconds=31), tick=False):
        assert client.get(TRIVIAL, **auth).status_code == 401


def test_the_tokens_page_shows_the_last_use_to_the_minute(client, token, bureau):
    from django.utils import timezone

    token, auth = token
    get(client, auth, START)
    get(client, auth, START + dt.timedelta(seconds=50))
    with time_machine.travel(START + dt.timedelta(seconds=55), tick=False):
        client.force_login(bureau)
        response = client.get("/accounts/tokens/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert timezone.localtime(START).strftime("%Y-%m-%d %H:%M") + " · 127.0.0.1" in page


@pytest.fixture
def rates():
    """Set the token's and the address's rates for one test (both classes copied them at import)."""
    from greenbuild.api.throttling import AddressRateThrottle, TokenRateThrottle

    old = TokenRateThrottle.THROTTLE_RATES, AddressRateThrottle.THROTTLE_RATES

    def _set(token_rate, address_rate):
        TokenRateThrottle.THROTTLE_RATES = AddressRateThrottle.THROTTLE_RATES = {
            "token": token_rate,
            "address": address_rate,
        }

    yield _set
    TokenRateThrottle.THROTTLE_RATES, AddressRateThrottle.THROTTLE_RATES = old


def status_at(client, auth, at, **extra):
    with time_machine.travel(at, tick=False):
        return client.get(TRIVIAL if auth else PUBLIC, **auth, **extra).status_code


def test_the_token_rate_holds_and_recovers_after_its_period(client, token, rates):
    token, auth = token
    rates("3/min", "1000/min")
    assert [status_at(client, auth, START + dt.timedelta(seconds=s)) for s in range(4)] == [200, 200, 200, 429]
    assert status_at(client, {}, START + dt.timedelta(seconds=5)) == 200  # the address still has room
    assert status_at(client, auth, START + dt.timedelta(seconds=61)) == 200


def test_the_address_rate_holds_with_and_without_a_token(client, token, rates):
    token, auth = token
    rates("1000/min", "3/min")
    assert [status_at(client, auth, START + dt.timedelta(seconds=s)) for s in range(3)] == [200, 200, 200]
    assert status_at(client, auth, START + dt.timedelta(seconds=4)) == 429
    assert status_at(client, {}, START + dt.timedelta(seconds=5)) == 429
    assert status_at(client, auth, START + dt.timedelta(seconds=6), REMOTE_ADDR="192.0.2.9") == 200


def test_a_request_refused_by_the_token_rate_still_counts_against_its_address(client, token, bureau, rates):
    """DRF asks every throttle; the ones that allowed a refused request keep its count (the one
    transaction of ``counters_together`` is committed, not rolled back, on a 429)."""
    token, auth = token
    rates("2/min", "4/min")
    codes = [status_at(client, auth, START + dt.timedelta(seconds=s)) for s in range(4)]
    assert codes == [200, 200, 429, 429]
    _other, raw = api_services.create_token(actor=bureau, user=bureau, name="另一个", scope="read")
    assert status_at(client, {"HTTP_AUTHORIZATION": "Bearer " + raw}, START + dt.timedelta(seconds=5)) == 429
