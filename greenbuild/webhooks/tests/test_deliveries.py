"""Deliveries end to end: a real event (a project moved through its workflow) reaches a real
receiver on 127.0.0.1 that verifies the signature from the docs alone; retries with backoff and
disabling with frozen time; the allow-list and the internal-address rule; only what the
subscriber's organisation may see, with the field policy applied."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership
from greenbuild.audit.models import AuditEvent
from greenbuild.jobs import services as jobs
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.notifications.models import Notification
from greenbuild.testing.factories import make_project, move_to, person
from greenbuild.webhooks import services
from greenbuild.webhooks.choices import DeliveryStatus, DisabledReason
from greenbuild.webhooks.models import AllowedHost, Delivery, Subscription

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def subscribe(user, organisation, url, events=("project.submitted",), **extra):
    return services.create_subscription(
        actor=user, organisation=organisation, data={"name": "对接平台", "url": url, "events": list(events), **extra}
    )


def submit(personas, *, name="测试项目"):
    project = make_project(personas["alice_owner"], name=name)
    return move_to(
        project,
        "submitted",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )


def run_queued_delivery_jobs():
    """What the worker does when a delayed job's time has come."""
    for job in Job.objects.filter(kind=services.JOB_KIND, status=JobStatus.QUEUED).order_by("pk"):
        jobs.run_job(job.pk)


def test_a_receiver_written_from_the_docs_verifies_the_signed_delivery(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    receiver.secret = secret
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        project = submit(personas)

    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified
    assert got.headers["X-GreenBuild-Event"] == "project.submitted"
    assert got.headers["X-GreenBuild-Timestamp"] == str(int(T0.timestamp()))
    payload = got.json
    assert payload["event"] == "project.submitted"
    assert payload["id"] == got.headers["X-GreenBuild-Delivery"]
    assert payload["occurred_at"] == "2026-12-07T17:00:00+08:00"
    assert payload["data"]["object"] == {"type": "project", "id": project.pk, "status": "submitted"}
    assert payload["data"]["transition"]["from_status"] == "draft"
    assert payload["data"]["project"]["name"] == "测试项目"
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    attempt = delivery.attempts.get()
    assert (attempt.status_code, attempt.response_body, attempt.succeeded) == (200, "ok", True)
    # the same body with another secret, or replayed later than the tolerance, is refused
    assert not receiver_verify("whsec_wrong", got)
    with time_machine.travel(T0 + dt.timedelta(seconds=301), tick=False):
        assert not receiver_verify(secret, got)


def receiver_verify(secret, got):
    from greenbuild.webhooks.tests.receiver import verify

    return verify(secret, got.headers, got.body)


def test_a_failed_delivery_is_retried_with_exponential_backoff_and_every_attempt_logged(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    receiver.secret, receiver.status, receiver.answer = secret, 503, b"x" * 5000
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(personas)
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.RETRYING
    expected_waits_min = [1, 2, 4, 8, 16, 32, 60]
    at = T0
    for number, wait in enumerate(expected_waits_min, start=1):
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == at + dt.timedelta(minutes=wait), number
        with time_machine.travel(delivery.next_attempt_at - dt.timedelta(seconds=1), tick=False):
            run_queued_delivery_jobs()  # a job run early does nothing
        assert len(receiver.received) == number
        at = delivery.next_attempt_at
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            run_queued_delivery_jobs()
        assert len(receiver.received) == number + 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == services.MAX_ATTEMPTS == 8
    attempts = list(delivery.attempts.all())
    assert [a.number for a in attempts] == list(range(1, 9))
    assert all(a.status_code == 503 and a.error and len(a.response_body) == 1000 for a in attempts)
    assert len({r.json["id"] for r in receiver.received}) == 1  # the same delivery id on every retry
    assert all(r.verified for r in receiver.received)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1 and subscription.delivers


def test_delayed_retries_wait_in_the_database_queue_until_their_time(
    personas, orgs, local_host, receiver, django_capture_on_commit_callbacks
):
    """With the real (database) queue, a retry is a queue entry that runs no earlier than its time."""
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    receiver.status = 500
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(personas)
    delivery = Delivery.objects.get(subscription=subscription)
    entry = DBTaskResult.objects.get(args_kwargs__args=[Job.objects.get(status=JobStatus.QUEUED).pk])
    assert entry.run_after is None or entry.run_after.year > 9000  # the first attempt: at once
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.attempt_delivery(delivery.pk)
    retry = Job.objects.filter(status=JobStatus.QUEUED).latest("pk")
    entry = DBTaskResult.objects.get(args_kwargs__args=[retry.pk])
    assert entry.run_after == T0 + dt.timedelta(minutes=1)
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        assert not DBTaskResult.objects.ready().filter(pk=entry.pk).exists()
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        assert DBTaskResult.objects.ready().filter(pk=entry.pk).exists()


def test_ten_failed_deliveries_in_a_row_disable_the_subscription_and_tell_the_managers(
    personas, orgs, local_host, receiver, immediate, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1  # each delivery fails at its first attempt: ten deliveries, ten attempts
    amy = person("amy", Role.OWNER_APPLICANT, orgs["owner"])
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    receiver.status = 500
    project = submit(personas)
    for minute in range(services.DISABLE_AFTER):
        assert Subscription.objects.get(pk=subscription.pk).delivers
        with (
            time_machine.travel(T0 + dt.timedelta(minutes=minute), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.publish(
                "project.submitted",
                gate_object=project,
                occurred_at=timezone.now(),
                build=lambda reader, n=minute: {"n": n},
            )
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 10
    assert subscription.disabled_reason == DisabledReason.FAILURES and not subscription.delivers
    assert len(receiver.received) == 10
    notified = set(
        Notification.objects.filter(event__verb="webhooks.disabled").values_list("recipient__username", flat=True)
    )
    assert notified == {"alice", "amy"}
    assert AuditEvent.objects.filter(kind="webhook_changed", details__change="disabled").exists()
    # nothing more is sent until someone switches it on again, which clears the count
    with django_capture_on_commit_callbacks(execute=True):
        services.publish("project.submitted", gate_object=project, occurred_at=timezone.now(), build=lambda r: {})
    assert len(receiver.received) == 10
    services.update_subscription(actor=amy, subscription_id=subscription.pk, data={"is_active": True})
    subscription.refresh_from_db()
    assert subscription.delivers and subscription.consecutive_failures == 0 and subscription.created_by == amy


def test_a_success_in_between_resets_the_failure_count(
    personas, orgs, local_host, receiver, immediate, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    project = submit(personas)
    for status in (500, 500, 200, 500):
        receiver.status = status
        with django_capture_on_commit_callbacks(execute=True):
            services.publish("project.submitted", gate_object=project, occurred_at=timezone.now(), build=lambda r: {})
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1


# --- where deliveries may go ---------------------------------------------------------------------


def test_a_host_off_the_allow_list_cannot_be_subscribed(personas, orgs, receiver):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    assert "url" in refused.value.message_dict
    AllowedHost.objects.create(host="hooks.example.com")
    with pytest.raises(ValidationError):  # https only, unless the entry allows http
        subscribe(personas["alice_owner"], orgs["owner"], "http://hooks.example.com/in")
    with pytest.raises(ValidationError):  # no credentials in the address
        subscribe(personas["alice_owner"], orgs["owner"], "https://u:p@hooks.example.com/in")
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], "https://hooks.example.com/in")
    assert subscription.pk


def test_nothing_is_sent_to_a_host_removed_from_the_allow_list(
    english, personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    local_host.delete()
    with django_capture_on_commit_callbacks(execute=True):
        submit(personas)
    assert receiver.received == []
    attempt = Delivery.objects.get(subscription=subscription).attempts.get()
    assert attempt.status_code is None and "not on the list" in attempt.error


def test_a_host_resolving_to_an_internal_address_is_refused_without_the_explicit_flag(
    english, personas, orgs, receiver, immediate, django_capture_on_commit_callbacks
):
    entry = AllowedHost.objects.create(host="localhost", allow_http=True)  # allowed, but not internal addresses
    url = receiver.url.replace("127.0.0.1", "localhost")
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], url)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test(actor=personas["alice_owner"], subscription_id=subscription.pk)
    assert receiver.received == []
    attempt = Delivery.objects.get(subscription=subscription).attempts.get()
    assert "internal network" in attempt.error
    entry.allow_private = True
    entry.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test(actor=personas["alice_owner"], subscription_id=subscription.pk)
    assert len(receiver.received) == 1


def test_a_literal_internal_address_is_refused_when_subscribing(english, personas, orgs):
    from django.core.exceptions import ValidationError

    AllowedHost.objects.create(host="10.0.0.5")
    with pytest.raises(ValidationError) as refused:
        subscribe(personas["alice_owner"], orgs["owner"], "https://10.0.0.5/hook")
    assert "internal network" in str(refused.value.message_dict["url"])


def test_redirects_are_not_followed(
    english, personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    receiver.status, receiver.location = 302, "http://127.0.0.1:1/elsewhere"
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test(actor=personas["alice_owner"], subscription_id=subscription.pk)
    attempt = Delivery.objects.get(subscription=subscription).attempts.get()
    assert attempt.status_code == 302 and not attempt.succeeded and "Redirect" in attempt.error
    assert len(receiver.received) == 1


# --- only what the subscriber's organisation may see ----------------------------------------------


def test_an_event_about_another_districts_project_is_not_delivered(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    """Alice's project lies in 天宁区: the 天宁 district gets the submission, 武进 does not."""
    tianning, _s = subscribe(personas["dan_district"], orgs["tianning"], receiver.url)
    wujin, _s = subscribe(personas["wu_district"], orgs["wujin"], receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        submit(personas)
    assert Delivery.objects.filter(subscription=tianning).count() == 1
    assert not Delivery.objects.filter(subscription=wujin).exists()
    assert len(receiver.received) == 1


def test_the_payload_carries_only_the_fields_the_reader_may_see(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    """A confirmed pilot is public: another owner hears of it, without its internal figures."""
    events = ("project.confirmed",)
    insider, _s = subscribe(personas["alice_owner"], orgs["owner"], receiver.url + "?who=alice", events)
    outsider, _s = subscribe(personas["olivia_other_owner"], orgs["other_owner"], receiver.url + "?who=olivia", events)
    project = make_project(personas["alice_owner"], name="公开项目", investment_wan_yuan=1234)
    with django_capture_on_commit_callbacks(execute=True):
        move_to(
            project,
            "confirmed",
            owner=personas["alice_owner"],
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        )
    by_who = {r.path.split("who=")[1]: r.json["data"]["project"] for r in receiver.received}
    assert by_who["alice"]["investment_wan_yuan"] == "1234.00"
    assert by_who["olivia"]["name"] == "公开项目"
    assert "investment_wan_yuan" not in by_who["olivia"]


def test_the_subscription_is_suspended_when_its_creator_leaves_the_organisation(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    amy = person("amy", Role.OWNER_APPLICANT, orgs["owner"])
    subscription, _secret = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    Membership.objects.filter(user=personas["alice_owner"], organisation=orgs["owner"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(
            "project.submitted",
            gate_object=make_project(amy, name="另一项目"),
            occurred_at=timezone.now(),
            build=lambda reader: {},
        )
    subscription.refresh_from_db()
    assert subscription.disabled_reason == DisabledReason.CREATOR_LEFT
    assert receiver.received == []
    assert Notification.objects.filter(event__verb="webhooks.disabled", recipient=amy).exists()


def test_a_rotated_secret_signs_beside_the_previous_one_for_a_day(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    subscription, old = subscribe(personas["alice_owner"], orgs["owner"], receiver.url)
    with time_machine.travel(T0, tick=False):
        _subscription, new = services.rotate_secret(actor=personas["alice_owner"], subscription_id=subscription.pk)
    assert new != old
    for secret, moment, verified in ((old, T0, True), (new, T0, True), (old, T0 + dt.timedelta(hours=25), False)):
        receiver.secret = secret
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            services.send_test(actor=personas["alice_owner"], subscription_id=subscription.pk)
        assert receiver.received[-1].verified is verified


def test_a_score_run_reaches_only_readers_of_the_projects_internals(
    personas, orgs, local_host, receiver, immediate, django_capture_on_commit_callbacks
):
    """The scores of a candidate pilot are internal: its owner hears of the run, the district
    official of another district and another owner do not (though a candidate is public)."""
    from greenbuild.testing.factories import scored_candidate

    events = ("score_run.finished",)
    owner, _s = subscribe(personas["alice_owner"], orgs["owner"], receiver.url + "?who=alice", events)
    other, _s = subscribe(personas["olivia_other_owner"], orgs["other_owner"], receiver.url + "?who=olivia", events)
    wujin, _s = subscribe(personas["wu_district"], orgs["wujin"], receiver.url + "?who=wu", events)
    with django_capture_on_commit_callbacks(execute=True):
        project = scored_candidate(personas)  # files the worked example's scorecard: one run
    run = project.score_runs.get()
    assert [r.path.split("who=")[1] for r in receiver.received] == ["alice"]
    data = receiver.received[0].json["data"]
    assert data["object"] == {"type": "score_run", "id": run.pk}
    assert data["project"]["id"] == project.pk
    assert not Delivery.objects.filter(subscription__in=[other, wujin]).exists()
    assert Delivery.objects.filter(subscription=owner).count() == 1
