"""Who reaches the webhooks, on the pages and through the API: the organisation's managers and
the bureau; an outsider (no role), a stranger (another organisation) and a participant get 404; a
read token reads but never writes. The secret is shown once; a refused form comes back at its own
address with the input kept; every change is in the audit log."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from greenbuild.api import services as api_services
from greenbuild.audit.models import AuditEvent
from greenbuild.webhooks import services
from greenbuild.webhooks.models import AllowedHost, Delivery, Subscription

URL = "https://hooks.example.com/greenbuild"


@pytest.fixture
def hook(personas, orgs):
    AllowedHost.objects.create(host="hooks.example.com")
    subscription, _secret = services.create_subscription(
        actor=personas["alice_owner"],
        organisation=orgs["owner"],
        data={"name": "ERP", "url": URL, "events": ["project.submitted"]},
    )
    return subscription


def bearer(user, scope="write"):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def post_json(client, path, body, auth):
    return client.post(path, data=json.dumps(body), content_type="application/json", **auth)


PAGES = ["subscription-detail", "subscription-edit"]
POSTS = ["subscription-test", "subscription-rotate", "subscription-delete"]


@pytest.mark.parametrize("who", ["dave_outsider", "olivia_other_owner", "carl_contractor", "eve_expert"])
def test_outsiders_strangers_and_participants_never_reach_an_organisations_webhooks(client, personas, hook, who):
    client.force_login(personas[who])
    listing = client.get(reverse("webhooks:subscription-list"))
    if who == "olivia_other_owner":  # she manages her own organisation's webhooks, not alice's
        assert listing.status_code == 200 and "ERP" not in listing.content.decode()
    else:
        assert listing.status_code == 404
        assert client.get(reverse("webhooks:subscription-create")).status_code == 404
    for name in PAGES:
        assert client.get(reverse("webhooks:" + name, args=[hook.pk])).status_code == 404, name
    for name in POSTS:
        assert client.post(reverse("webhooks:" + name, args=[hook.pk])).status_code == 404, name
    assert Subscription.objects.filter(pk=hook.pk).exists()
    auth = bearer(personas[who])
    assert client.get("/api/v1/webhooks/", **auth).json()["results"] == []
    assert client.get("/api/v1/webhooks/{}/".format(hook.pk), **auth).status_code == 404
    assert post_json(client, "/api/v1/webhooks/{}/test/".format(hook.pk), {}, auth).status_code == 404
    assert client.delete("/api/v1/webhooks/{}/".format(hook.pk), **auth).status_code == 404
    assert not Delivery.objects.exists()


def test_anonymous_callers_are_sent_to_sign_in_or_refused(client, hook):
    assert client.get(reverse("webhooks:subscription-list")).status_code == 302
    assert client.get("/api/v1/webhooks/").status_code == 401
    assert client.get("/api/v1/webhook-deliveries/").status_code == 401


@pytest.mark.parametrize("who", ["alice_owner", "bureau"])
def test_the_organisations_manager_and_the_bureau_see_and_test_it(client, personas, hook, who):
    client.force_login(personas[who])
    page = client.get(reverse("webhooks:subscription-list"))
    assert page.status_code == 200 and "ERP" in page.content.decode()
    detail = client.get(reverse("webhooks:subscription-detail", args=[hook.pk])).content.decode()
    assert hook.secret not in detail  # only its first characters
    assert client.post(reverse("webhooks:subscription-test", args=[hook.pk])).status_code == 302
    assert Delivery.objects.filter(subscription=hook, is_test=True, event="webhook.ping").count() == 1


def test_a_read_token_reads_but_cannot_write(client, personas, hook):
    auth = bearer(personas["alice_owner"], scope="read")
    listing = client.get("/api/v1/webhooks/", **auth)
    assert listing.status_code == 200
    assert [s["id"] for s in listing.json()["results"]] == [hook.pk]
    assert "secret" not in listing.json()["results"][0]
    assert client.get("/api/v1/webhook-deliveries/?subscription={}".format(hook.pk), **auth).status_code == 200
    assert post_json(client, "/api/v1/webhooks/{}/test/".format(hook.pk), {}, auth).status_code == 403
    assert post_json(client, "/api/v1/webhooks/{}/rotate-secret/".format(hook.pk), {}, auth).status_code == 403
    response = post_json(client, "/api/v1/webhooks/", {"name": "x"}, auth)
    assert response.status_code == 403
    assert not Delivery.objects.exists()


def test_the_api_creates_a_subscription_with_its_secret_shown_once_then_tests_it(client, personas, orgs, hook):
    auth = bearer(personas["alice_owner"])
    body = {
        "organisation": orgs["owner"].pk,
        "name": "BIM 平台",
        "url": URL,
        "events": ["plan.passed", "document.issued"],
    }
    created = post_json(client, "/api/v1/webhooks/", body, auth)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["secret"].startswith("whsec_") and data["events"] == ["plan.passed", "document.issued"]
    assert "secret" not in client.get("/api/v1/webhooks/{}/".format(data["id"]), **auth).json()
    tested = post_json(client, "/api/v1/webhooks/{}/test/".format(data["id"]), {}, auth)
    assert tested.status_code == 201 and tested.json()["event"] == "webhook.ping"
    assert tested.json()["payload"]["event"] == "webhook.ping"
    changed = client.patch(
        "/api/v1/webhooks/{}/".format(data["id"]),
        data=json.dumps({"events": ["step.approved"], "is_active": False}),
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200 and changed.json()["events"] == ["step.approved"]
    assert changed.json()["delivers"] is False
    kinds = list(AuditEvent.objects.filter(kind="webhook_changed").values_list("details__change", flat=True))
    assert {"created", "test_sent", "changed"} <= set(kinds)


def test_the_api_refuses_an_address_off_the_allow_list_an_unknown_event_and_another_organisation(
    client, personas, orgs, hook
):
    auth = bearer(personas["alice_owner"])
    base = {"organisation": orgs["owner"].pk, "name": "x", "url": URL, "events": ["project.submitted"]}
    for change, field in (
        ({"url": "https://evil.example.net/"}, "url"),
        ({"url": "http://hooks.example.com/"}, "url"),
        ({"events": ["project.exploded"]}, "events"),
        ({"organisation": orgs["other_owner"].pk}, "organisation"),
    ):
        response = post_json(client, "/api/v1/webhooks/", {**base, **change}, auth)
        assert response.status_code == 400, change
        assert field in response.json()["errors"], response.json()
    assert Subscription.objects.count() == 1


def test_a_refused_form_is_shown_again_at_its_own_address_with_the_input_kept(client, personas, orgs, hook):
    client.force_login(personas["alice_owner"])
    create = reverse("webhooks:subscription-create")
    response = client.post(
        create,
        {
            "organisation": orgs["owner"].pk,
            "name": "保留的名称",
            "url": "https://evil.example.net/x",
            "events": ["plan.passed"],
        },
    )
    assert response.status_code == 302 and response["Location"] == create
    page = client.get(create).content.decode()
    assert "保留的名称" in page and "evil.example.net" in page
    assert Subscription.objects.count() == 1


def test_the_page_shows_a_new_secret_once(client, personas, orgs, hook):
    client.force_login(personas["alice_owner"])
    response = client.post(
        reverse("webhooks:subscription-create"),
        {"organisation": orgs["owner"].pk, "name": "新的", "url": URL, "events": ["plan.passed"], "is_active": "on"},
    )
    subscription = Subscription.objects.get(name="新的")
    assert response["Location"] == reverse("webhooks:subscription-detail", args=[subscription.pk])
    first = client.get(response["Location"]).content.decode()
    assert subscription.secret in first
    assert subscription.secret not in client.get(response["Location"]).content.decode()


def test_the_bureau_manages_every_organisations_webhooks_but_creates_only_its_own(client, personas, orgs, hook):
    auth = bearer(personas["bureau"])
    assert [s["id"] for s in client.get("/api/v1/webhooks/", **auth).json()["results"]] == [hook.pk]
    body = {"organisation": orgs["owner"].pk, "name": "x", "url": URL, "events": ["project.submitted"]}
    assert post_json(client, "/api/v1/webhooks/", body, auth).status_code == 400
    assert client.delete("/api/v1/webhooks/{}/".format(hook.pk), **auth).status_code == 204
    assert AuditEvent.objects.filter(
        kind="webhook_changed", details__change="deleted", actor=personas["bureau"]
    ).exists()


def test_the_predicate_and_sql_forms_of_the_webhooks_gates_agree(personas, orgs, hook):
    from greenbuild.core.permissions import gate_for
    from greenbuild.testing.gates import gate_disagreements, users_of

    other, _secret = services.create_subscription(
        actor=personas["dan_district"],
        organisation=orgs["tianning"],
        data={"name": "区平台", "url": URL, "events": ["project.submitted"]},
    )
    deliveries = [
        services.send_test(actor=personas["alice_owner"], subscription_id=hook.pk),
        services.send_test(actor=personas["dan_district"], subscription_id=other.pk),
    ]
    users = users_of(personas)
    assert gate_disagreements(gate_for(Subscription), users, [hook, other]) == []
    assert gate_disagreements(gate_for(Delivery), users, deliveries) == []
