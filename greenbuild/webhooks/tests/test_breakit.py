"""Defects found by the break-it review of the webhooks (issue 18 item 6): each test failed before
its fix."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from greenbuild.accounts.duties import BUSINESS, duty_of_model
from greenbuild.webhooks import catalogue, outbound, services
from greenbuild.webhooks.models import AllowedHost, Subscription
from greenbuild.webhooks.tests.factories import make_subscription
from greenbuild.webhooks.tests.test_access import URL, bearer, post_json


def test_a_subscription_created_through_the_api_without_is_active_delivers(client, personas, orgs):
    AllowedHost.objects.create(host="hooks.example.com")
    body = {"organisation": orgs["owner"].pk, "name": "ERP", "url": URL, "events": ["project.submitted"]}
    created = post_json(client, "/api/v1/webhooks/", body, bearer(personas["alice_owner"]))
    assert created.status_code == 201, created.content
    assert created.json()["is_active"] is True and created.json()["delivers"] is True
    assert Subscription.objects.get().is_active


def test_a_doubled_rotation_keeps_the_secret_the_receiver_holds_valid(client, personas, orgs):
    """A retried rotate (the first answer lost) must not drop the secret the receiver still uses."""
    subscription, original = make_subscription(personas["alice_owner"], orgs["owner"])
    auth = bearer(personas["alice_owner"])
    path = "/api/v1/webhooks/{}/rotate-secret/".format(subscription.pk)
    assert post_json(client, path, {}, auth).status_code == 200
    newest = post_json(client, path, {}, auth).json()["secret"]
    subscription.refresh_from_db()
    from django.utils import timezone

    assert services._signing_secrets(subscription, timezone.now()) == [newest, original]


@pytest.mark.parametrize("model", ["subscription", "delivery", "attempt"])
def test_the_system_administrator_does_not_read_delivered_business_data_in_the_admin(model):
    """A delivery's body carries project data: the bureau's (business), not the system duty's."""
    assert duty_of_model("webhooks", model) == BUSINESS


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:0:7f00:1",  # IPv4-translated
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_an_ipv6_address_carrying_an_internal_ipv4_address_is_internal(address):
    assert outbound._is_internal(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::5db8:d822"])
def test_a_public_address_is_not_internal(address):
    assert not outbound._is_internal(address)


@pytest.mark.parametrize(
    "host",
    [
        "https://hooks.example.com",
        "hooks.example.com/in",
        "hooks.example.com:8443",
        "u@hooks.example.com",
        "*",
        "*.com",
        "",
    ],
)
def test_the_allow_list_refuses_an_entry_that_is_not_a_host(db, host):
    with pytest.raises(ValidationError):
        AllowedHost(host=host).full_clean()


@pytest.mark.parametrize(
    ("entered", "stored"),
    [("Hooks.Example.COM.", "hooks.example.com"), ("*.Example.com", "*.example.com"), ("[2001:DB8::1]", "2001:db8::1")],
)
def test_the_allow_list_stores_a_host_as_it_is_matched(db, entered, stored):
    entry = AllowedHost(host=entered)
    entry.full_clean()
    assert entry.host == stored


def test_the_event_labels_in_chinese_name_the_status_in_chinese():
    with translation.override("zh-hans"):
        labels = dict(catalogue.event_choices())
    assert (
        labels["project.submitted"].split(" (")[0] == "试点项目 → 已申报"
        or "submitted" not in labels["project.submitted"].split(" (")[0]
    )
    for code, label in labels.items():
        assert not any(c.isascii() and c.isalpha() for c in label.split(" (")[0]), (code, label)


def test_a_patch_with_is_active_null_is_refused_not_taken_as_false(client, personas, orgs):
    subscription, _secret = make_subscription(personas["alice_owner"], orgs["owner"])
    response = client.patch(
        "/api/v1/webhooks/{}/".format(subscription.pk),
        data=json.dumps({"is_active": None}),
        content_type="application/json",
        **bearer(personas["alice_owner"]),
    )
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.is_active


@pytest.mark.parametrize(
    ("entry", "host", "allowed"),
    [
        ("xn--bcher-kva.example.org", "bücher.example.org", True),  # the name that is resolved
        ("hooks.example.com", "ｈｏｏｋｓ.example.com", True),  # full-width letters resolve the same
        ("2001:db8::1", "2001:db8:0:0::1", True),
        ("*.example.com", "evil-example.com", False),
        ("*.example.com", "example.com.evil.com", False),
        ("*.example.com", "example.com", False),
        ("*.example.com", "a.b.example.com", True),
        ("hooks.example.com", "HOOKS.EXAMPLE.COM.", True),
        ("127.0.0.1", "2130706433", False),
    ],
)
def test_an_entry_matches_the_host_as_it_is_resolved(entry, host, allowed):
    assert AllowedHost(host=entry).matches(host) is allowed


def test_a_retry_is_not_sent_once_the_reader_may_no_longer_see_the_object(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    """The project moves to another district between two attempts: 天宁 no longer sees it, so the
    retry is cancelled, not sent with the project's data."""
    import time_machine

    from greenbuild.accounts.models import Membership
    from greenbuild.projects.models import Project
    from greenbuild.webhooks.choices import DeliveryStatus
    from greenbuild.webhooks.models import Delivery
    from greenbuild.webhooks.tests.test_deliveries import T0, run_queued_delivery_jobs, submit, subscribe

    tianning, _secret = subscribe(personas["dan_district"], orgs["tianning"], receiver.url)
    receiver.status = 503
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        project = submit(personas)
    delivery = Delivery.objects.get(subscription=tianning)
    assert delivery.status == DeliveryStatus.RETRYING and len(receiver.received) == 1
    other = Membership.objects.get(user=personas["wu_district"]).district
    Project.objects.filter(pk=project.pk).update(district=other)
    receiver.status = 200
    with time_machine.travel(delivery.next_attempt_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_queued_delivery_jobs()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert len(receiver.received) == 1


def test_a_receiver_dripping_its_answer_cannot_hold_the_worker_past_the_total_timeout(settings, local_host, english):
    """Each byte within the read timeout, the answer never complete: cut at the total timeout."""
    import socket
    import threading
    import time

    settings.WEBHOOKS_TOTAL_TIMEOUT_S = 1
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        conn, _addr = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not stop.is_set():
                try:
                    conn.sendall(b"a")
                except OSError:
                    return
                stop.wait(0.2)  # the receiver's pace, not the test waiting

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        answer = outbound.post("http://127.0.0.1:{}/hook".format(server.getsockname()[1]), b"{}", {})
    finally:
        stop.set()
        server.close()
    assert time.monotonic() - started < 5
    assert answer.status_code is None and not answer.ok
    assert answer.error == "No complete answer within 1 seconds."


def test_every_answer_carrying_the_secret_is_kept_in_no_cache(client, personas, orgs):
    from django.urls import reverse

    AllowedHost.objects.create(host="hooks.example.com")
    auth = bearer(personas["alice_owner"])
    body = {"organisation": orgs["owner"].pk, "name": "ERP", "url": URL, "events": ["project.submitted"]}
    created = post_json(client, "/api/v1/webhooks/", body, auth)
    assert "no-store" in created["Cache-Control"]
    rotated = post_json(client, "/api/v1/webhooks/{}/rotate-secret/".format(created.json()["id"]), {}, auth)
    assert "no-store" in rotated["Cache-Control"]
    client.force_login(personas["alice_owner"])
    page = client.post(reverse("webhooks:subscription-rotate", args=[created.json()["id"]]))
    shown = client.get(page["Location"])
    assert rotated.json()["secret"] not in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
