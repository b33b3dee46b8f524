"""Issue 17 items 2 and 3 (SEC-01, SEC-04 scope, SEC-09, ACC-04, ACC-07): the token rules no view
can drop — a read token never writes, a bound token acts only through its organisation (the
superuser flag included), a suspended user's token is refused, and refusals are audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership
from greenbuild.accounts.roles import has_role, is_bureau_admin
from greenbuild.api import services as api_services
from greenbuild.api.models import ApiToken
from greenbuild.audit.models import AuditEvent
from greenbuild.notifications.models import Notification
from greenbuild.projects.models import Project

# the reviews app's fixtures: a pool, a plan under review, a drawn and scoring panel
from greenbuild.reviews.tests.conftest import drawn, pool, scheme, scoring, submitted_plan  # noqa: F401

pytestmark = pytest.mark.django_db


def bearer(user, scope="write", **kwargs):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope=scope, **kwargs)
    return "Bearer " + raw


def call(client, method, path, token, body=None, **extra):
    kwargs = {"HTTP_AUTHORIZATION": token, **extra}
    if method != "get":
        kwargs.update(data=json.dumps(body if body is not None else {}), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"} and body["status"] == status and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


# --- item 2: the scope holds on every view --------------------------------------------------------


def test_a_read_token_cannot_mark_a_notification_read(
    client, personas, filed_project, django_capture_on_commit_callbacks
):
    """SEC-09: the notifications viewset names ``[SignedIn]`` only; the scope holds all the same."""
    with django_capture_on_commit_callbacks(execute=True):
        filed_project("recommended", name="通知项目")
    note = Notification.objects.filter(read_at__isnull=True).select_related("recipient").first()
    assert note is not None
    reader = note.recipient
    path = "/api/v1/notifications/{}/read/".format(note.pk)
    body = error(call(client, "post", path, bearer(reader, "read")), 403, "read_only_token")
    assert "read" in body["message"] or "只能读取" in body["message"]
    note.refresh_from_db()
    assert note.read_at is None
    assert call(client, "post", path, bearer(reader, "write")).status_code == 200


def test_a_read_token_cannot_upload_whatever_the_views_permissions(client, personas, filed_project):
    """SEC-04 (scope part): the upload is refused before the view runs, multipart or not."""
    from greenbuild.attachments.models import Attachment

    project = filed_project("confirmed", name="上传项目")
    before = Attachment.objects.count()
    response = client.post(
        "/api/v1/attachments/",
        {"project": project.pk, "kind": "evidence", "file": ("a.pdf", b"%PDF-1.4\n")},
        HTTP_AUTHORIZATION=bearer(personas["alice_owner"], "read"),
    )
    error(response, 403, "read_only_token")
    assert Attachment.objects.count() == before


def test_the_scope_is_enforced_by_the_authentication_itself(rf, personas):
    """No view class is needed to refuse: the authentication answers a read token's write."""
    from rest_framework import exceptions
    from rest_framework.request import Request

    from greenbuild.api.authentication import BearerTokenAuthentication

    token = bearer(personas["alice_owner"], "read")
    for method in ("post", "put", "patch", "delete"):
        request = Request(getattr(rf, method)("/api/v1/anything/", HTTP_AUTHORIZATION=token))
        with pytest.raises(exceptions.PermissionDenied):
            BearerTokenAuthentication().authenticate(request)
    for method in ("get", "head", "options"):
        request = Request(getattr(rf, method)("/api/v1/anything/", HTTP_AUTHORIZATION=token))
        user, _token = BearerTokenAuthentication().authenticate(request)
        assert user == personas["alice_owner"]


# --- item 3: bound tokens bind, the superuser included ----------------------------------------


@pytest.fixture
def bound_superuser(personas, orgs):
    """SEC-01's steps: the superuser ``bureau`` also holds a participant role at a contractor, and
    has a write token bound to that contractor."""
    bureau = personas["bureau"]
    bureau.is_superuser = bureau.is_staff = True
    bureau.save(update_fields=["is_superuser", "is_staff"])
    Membership.objects.create(user=bureau, organisation=orgs["contractor"], role=Role.PARTICIPANT)
    return bureau, bearer(bureau, "write", organisation=orgs["contractor"])


def test_a_bound_superuser_token_acts_only_as_the_bound_participant(
    client,
    personas,
    orgs,
    filed_project,
    scoring,  # noqa: F811
    bound_superuser,
):
    from greenbuild.reviews import services as review_services
    from greenbuild.reviews.models import ExpertProfile, ExpertScore
    from greenbuild.reviews.tests.conftest import full_scores

    review_round, seats = scoring
    review_services.save_scores(
        actor=seats[0].expert, seat_id=seats[0].pk, data=full_scores(review_round, "7"), submit=False
    )
    assert ExpertScore.objects.exists()
    bureau, token = bound_superuser
    other_draft = filed_project("draft", name="别家草稿")
    recommended = filed_project("recommended", name="待接收")
    profile = ExpertProfile.objects.first()

    # blind scores, other owners' drafts, the pool and the memberships: out of sight
    assert call(client, "get", "/api/v1/expert-scores/", token).json()["count"] == 0
    error(call(client, "get", "/api/v1/projects/{}/".format(other_draft.pk), token), 404)
    assert call(client, "get", "/api/v1/memberships/", token).json()["count"] == 0
    assert call(client, "get", "/api/v1/review-rounds/", token).json()["count"] == 0
    # the administrator's writes: refused, nothing written
    response = call(client, "post", "/api/v1/projects/{}/actions/accept/".format(recommended.pk), token, {})
    assert response.status_code in (403, 404), response.content
    response = call(client, "patch", "/api/v1/expert-profiles/{}/".format(profile.pk), token, {"title": "越权"})
    assert response.status_code in (403, 404), response.content
    response = call(
        client,
        "post",
        "/api/v1/review-rounds/{}/actions/replace/".format(review_round.pk),
        token,
        {"seat": seats[1].pk},
    )
    assert response.status_code in (403, 404), response.content
    assert Project.objects.get(pk=recommended.pk).status == "recommended"
    assert ExpertProfile.objects.get(pk=profile.pk).title != "越权"
    me = call(client, "get", "/api/v1/users/me/", token).json()
    assert [m["role"] for m in me["memberships"]] == [Role.PARTICIPANT]

    # the same superuser's unbound token keeps the administrator's reach
    unbound = bearer(bureau, "read")
    assert call(client, "get", "/api/v1/expert-scores/", unbound).json()["count"] > 0


def test_binding_drops_the_superuser_shortcut_in_has_role(personas, orgs, bound_superuser):
    from greenbuild.accounts.models import User
    from greenbuild.accounts.roles import bind_to_organisation, role_labels

    bureau = User.objects.get(pk=bound_superuser[0].pk)
    bureau.memberships.filter(role=Role.BUREAU_ADMIN).delete()
    bureau = User.objects.get(pk=bureau.pk)
    assert is_bureau_admin(bureau)  # a superuser without the role, unbound: the shortcut holds
    bind_to_organisation(bureau, orgs["contractor"].pk)
    assert not is_bureau_admin(bureau)
    assert has_role(bureau, Role.PARTICIPANT)
    assert role_labels(bureau) == [str(Role.PARTICIPANT.label)]


# --- item 3: suspended users and removed memberships ------------------------------------------


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ("inactive", "account_inactive"),
        ("locked", "account_locked"),
        ("must_change_password", "password_change_required"),
    ],
)
def test_a_suspended_users_token_is_refused_and_works_again_afterwards(client, personas, state, code):
    alice = personas["alice_owner"]
    token = bearer(alice, "read")
    assert call(client, "get", "/api/v1/users/me/", token).status_code == 200
    if state == "inactive":
        alice.is_active = False
    elif state == "locked":
        alice.locked_until = timezone.now() + dt.timedelta(minutes=30)
    else:
        alice.must_change_password = True
    alice.save()
    body = error(call(client, "get", "/api/v1/users/me/", token), 401, code)
    assert "token" in body["message"].lower() or "令牌" in body["message"]
    alice.is_active, alice.locked_until, alice.must_change_password = True, None, False
    alice.save()
    assert call(client, "get", "/api/v1/users/me/", token).status_code == 200


def test_an_expired_lock_no_longer_suspends(client, personas):
    alice = personas["alice_owner"]
    token = bearer(alice, "read")
    alice.locked_until = timezone.now() - dt.timedelta(seconds=1)
    alice.save()
    assert call(client, "get", "/api/v1/users/me/", token).status_code == 200


def test_removing_the_membership_revokes_the_bound_token(client, personas, orgs):
    alice = personas["alice_owner"]
    Membership.objects.create(user=alice, organisation=orgs["contractor"], role=Role.PARTICIPANT)
    bound = bearer(alice, "write", organisation=orgs["contractor"])
    other = bearer(alice, "write", organisation=orgs["owner"])
    unbound = bearer(alice, "write")
    assert call(client, "get", "/api/v1/users/me/", bound).status_code == 200
    Membership.objects.filter(user=alice, organisation=orgs["contractor"]).delete()

    error(call(client, "get", "/api/v1/users/me/", bound), 401, "token_invalid")
    token = ApiToken.objects.get(user=alice, organisation=orgs["contractor"])
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(kind="token_revoked", target_id=str(token.pk)).exists()
    # given back, the role does not revive the revoked token
    Membership.objects.create(user=alice, organisation=orgs["contractor"], role=Role.PARTICIPANT)
    error(call(client, "get", "/api/v1/users/me/", bound), 401, "token_invalid")
    # the other tokens are untouched
    assert call(client, "get", "/api/v1/users/me/", other).status_code == 200
    assert call(client, "get", "/api/v1/users/me/", unbound).status_code == 200


def test_a_membership_moved_to_another_organisation_suspends_the_bound_token(client, personas, orgs):
    alice = personas["alice_owner"]
    token = bearer(alice, "read", organisation=orgs["owner"])
    membership = Membership.objects.get(user=alice, organisation=orgs["owner"])
    membership.organisation = orgs["other_owner"]
    membership.save()
    error(call(client, "get", "/api/v1/users/me/", token), 401, "binding_lost")


# --- ACC-07: failed token authentications are audited, rate-limited ----------------------------


def test_failed_token_authentications_are_audited_once_a_minute_per_address(client, personas):
    bad = "Bearer gb_00000000_" + "x" * 40
    for _ in range(5):
        error(call(client, "get", "/api/v1/projects/", bad), 401, "token_invalid")
    events = AuditEvent.objects.filter(kind="token_refused")
    assert events.count() == 1
    event = events.get()
    assert event.remote_addr == "127.0.0.1" and event.details["reason"] == "token_invalid"
    error(call(client, "get", "/api/v1/projects/", bad, REMOTE_ADDR="192.0.2.7"), 401)
    assert AuditEvent.objects.filter(kind="token_refused").count() == 2

    # a suspended user's token names the user in the entry
    alice = personas["alice_owner"]
    token = bearer(alice, "read")
    alice.is_active = False
    alice.save()
    error(call(client, "get", "/api/v1/projects/", token, REMOTE_ADDR="192.0.2.8"), 401, "account_inactive")
    event = AuditEvent.objects.filter(kind="token_refused").order_by("-pk").first()
    assert event.actor_id == alice.pk and event.details["reason"] == "account_inactive"
