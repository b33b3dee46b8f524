"""Issue 17 item 9: a second factor (TOTP) for administrator and bureau roles, required by
``GREENBUILD_REQUIRE_OTP``; API tokens are their own factor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenbuild.audit.choices import EventKind
from greenbuild.audit.describe import target_type_label
from greenbuild.audit.models import AuditEvent

OVERVIEW = "/"


def code_of(device: TOTPDevice, drift: int = 0) -> str:
    return "{:06d}".format(totp(device.bin_key, device.step, device.t0, device.digits, drift))


@pytest.fixture
def required(settings):
    settings.GREENBUILD_REQUIRE_OTP = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting between the tries of a test


def test_wrong_codes_are_throttled(client, settings, bureau):
    settings.GREENBUILD_REQUIRE_OTP = True
    device = TOTPDevice.objects.create(user=bureau, name="authenticator", confirmed=True)
    client.force_login(bureau)
    client.post(reverse("otp:verify"), {"code": "000000"})
    client.post(reverse("otp:verify"), {"code": code_of(device)})  # right, but too soon after a wrong one
    assert client.get(OVERVIEW).status_code == 302


def test_off_by_default_nobody_is_asked_for_a_code(client, bureau):
    client.force_login(bureau)
    assert client.get(OVERVIEW).status_code == 200


def test_an_administrator_enrols_with_an_inline_qr_code_then_proceeds(client, required, bureau):
    client.force_login(bureau)
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp:setup") + "?next=")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert 'src="data:image/svg+xml' in text and re.search(r'id="otp-secret">[A-Z2-7 ]{20,}<', text)
    assert "http://" not in text.split("<main", 1)[-1].split("</main>")[0].replace("http://www.w3.org", "")
    device = TOTPDevice.objects.get(user=bureau, confirmed=False)

    wrong = client.post(reverse("otp:setup"), {"code": "000000", "next": OVERVIEW})
    assert wrong.status_code == 200 and "is-invalid" in wrong.content.decode()
    assert AuditEvent.objects.filter(kind=EventKind.OTP_FAILED, actor=bureau).exists()

    done = client.post(reverse("otp:setup"), {"code": code_of(device), "next": OVERVIEW})
    assert done.status_code == 302 and done["Location"] == OVERVIEW
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(OVERVIEW).status_code == 200
    assert AuditEvent.objects.filter(kind=EventKind.OTP_ENROLLED, actor=bureau).exists()


def test_each_sign_in_asks_for_the_code_of_the_enrolled_app(client, required, bureau):
    device = TOTPDevice.objects.create(user=bureau, name="authenticator", confirmed=True)
    client.force_login(bureau)
    response = client.get("/projects/?q=x")
    assert response["Location"] == "{}?next=%2Fprojects%2F%3Fq%3Dx".format(reverse("otp:verify"))
    assert client.get(reverse("otp:setup")).status_code == 302  # no second device before the code
    refused = client.post(reverse("otp:verify"), {"code": "123456", "next": "/projects/"})
    assert refused.status_code == 200
    response = client.post(reverse("otp:verify"), {"code": code_of(device), "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert client.get(OVERVIEW).status_code == 200
    assert AuditEvent.objects.filter(kind=EventKind.OTP_VERIFIED, actor=bureau).count() == 1


def test_before_the_code_posts_and_polls_are_refused_without_a_redirect(client, required, bureau, duty_admins):
    for user in (bureau, *duty_admins.values()):
        client.force_login(user)
        assert client.post(reverse("accounts:unlock-address"), {"address": "10.0.0.9"}).status_code == 403
        assert client.get(reverse("notifications:inbox-badge"), HTTP_HX_REQUEST="true").status_code == 403
        assert client.get(reverse("accounts:password_change")).status_code == 200
        assert client.get("/api/v1/users/me/").status_code == 403  # the API by an unverified session
        assert client.get(reverse("api-tokens:list")).status_code == 302  # no token before the code
        assert client.get("/admin/").status_code == 302


def test_other_roles_are_not_asked(client, required, alice_owner, dave_outsider):
    for user in (alice_owner, dave_outsider):
        client.force_login(user)
        assert client.get(OVERVIEW).status_code == 200
        assert client.get(reverse("otp:setup")).status_code == 403


def test_api_tokens_are_their_own_factor(client, required, bureau):
    from greenbuild.api.services import create_token

    _token, raw = create_token(actor=bureau, user=bureau, name="集成")
    response = client.get("/api/v1/users/me/", HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 200


def test_the_security_administrator_removes_a_lost_device_and_it_is_audited(client, bureau, sec_admin):
    device = TOTPDevice.objects.create(user=bureau, name="authenticator", confirmed=True)
    client.force_login(sec_admin)
    response = client.post("/admin/otp_totp/totpdevice/{}/delete/".format(device.pk), {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(kind=EventKind.OTP_RESET)
    assert event.actor == sec_admin and event.target_id == str(bureau.pk)
    admin_event = AuditEvent.objects.get(kind=EventKind.ADMIN_ACTION)
    with translation.override("zh-hans"):
        assert target_type_label(admin_event) == "动态口令设备"  # not django-otp's English name
