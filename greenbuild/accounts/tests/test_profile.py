"""Issue 19 item 3 / UI-28: a profile page where people set their own e-mail and mobile phone
(validated, a Chinese mobile number; every change in the audit log; a refused form keeps its input
and stays at its own address), linked from the user menu."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from greenbuild.accounts import services
from greenbuild.accounts.forms import ProfileForm
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.core.validators import normalise_mobile_phone, validate_mobile_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 19912345678", "19912345678"),
        # a Chinese input method's full-width digits and plus sign, whole or mixed
        ("１３８１２３４５６７８", "13812345678"),
        ("＋８６ 138１２３４５６７８", "13812345678"),
    ],
)
def test_a_mobile_number_is_normalised_and_accepted(typed, stored):
    assert normalise_mobile_phone(typed) == stored
    validate_mobile_phone(stored)


@pytest.mark.parametrize(
    "typed", ["12812345678", "1381234567", "138123456789", "0519-88888888", "abc", "١٣٨١٢٣٤٥٦٧٨", "138١٢٣٤٥٦٧٨"]
)
def test_anything_but_a_mobile_number_is_refused(typed):
    form = ProfileForm({"email": "", "phone": typed, "display_name": ""})
    assert not form.is_valid() and "phone" in form.errors
    with pytest.raises(ValidationError):
        validate_mobile_phone(normalise_mobile_phone(typed))


def test_the_service_saves_and_records_who_changed_what(personas):
    alice = personas["alice_owner"]
    old_email = alice.email
    changed = services.update_own_profile(alice, email="alice@example.cn", phone="13812345678")
    assert sorted(changed) == ["email", "phone"]
    alice.refresh_from_db()
    assert (alice.email, alice.phone) == ("alice@example.cn", "13812345678")
    event = AuditEvent.objects.filter(kind=EventKind.PROFILE_CHANGED).latest("pk")
    assert event.actor == alice and event.target_id == str(alice.pk)
    assert event.details["changes"]["email"] == {"old": old_email, "new": "alice@example.cn"}
    assert services.update_own_profile(alice, email="alice@example.cn", phone="13812345678") == []
    assert AuditEvent.objects.filter(kind=EventKind.PROFILE_CHANGED).count() == 1
    with pytest.raises(ValidationError):  # the model checks again, whoever calls
        services.update_own_profile(alice, email="alice@example.cn", phone="12345")


def test_the_page_is_in_the_user_menu_and_saves(client, personas):
    alice = personas["alice_owner"]
    client.force_login(alice)
    url = reverse("accounts:profile")
    with translation.override("zh-hans"):
        home = client.get(reverse("notifications:list")).content.decode()
        assert 'href="{}"'.format(url) in home and "个人资料" in home
        page = client.get(url).content.decode()
    assert 'id="profile-form"' in page and 'type="tel"' in page and 'type="email"' in page
    saved = client.post(url, {"display_name": "李建设", "email": "li@example.cn", "phone": "138 1234 5678"})
    assert saved.status_code == 302 and saved.url == url
    alice.refresh_from_db()
    assert (alice.display_name, alice.email, alice.phone) == ("李建设", "li@example.cn", "13812345678")


def test_a_refused_form_keeps_its_input_at_its_own_address(client, personas):
    alice = personas["alice_owner"]
    client.force_login(alice)
    url = reverse("accounts:profile")
    refused = client.post(url, {"display_name": "新名字", "email": "not-an-address", "phone": "12345"})
    assert refused.status_code == 302 and refused.url == url
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    assert 'value="新名字"' in page and 'value="not-an-address"' in page and 'value="12345"' in page
    assert page.count("is-invalid") == 2 and "中国大陆手机号码" in page
    alice.refresh_from_db()
    assert alice.display_name != "新名字"
    assert not AuditEvent.objects.filter(kind=EventKind.PROFILE_CHANGED).exists()


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_admin_sees_and_sets_the_phone_and_the_audit_log_files_the_change(admin_client, personas):
    """The user admin shows the phone beside the display name (it was missing), and the audit
    log's "Accounts and permissions" group holds profile changes."""
    from greenbuild.accounts.admin import UserAdmin
    from greenbuild.audit.filters import KIND_GROUPS

    assert any("phone" in opts["fields"] for _name, opts in UserAdmin.fieldsets)
    assert any(EventKind.PROFILE_CHANGED in kinds for _label, kinds in KIND_GROUPS)
    alice = personas["alice_owner"]
    page = admin_client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
    assert page.status_code == 200 and 'name="phone"' in page.content.decode()


def test_the_old_address_is_told_when_the_email_changes(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    """The new address is not confirmed (no password reset goes by e-mail): the old one is told of
    the change, in the language the change was made in, so a change its owner did not make shows."""
    alice, carl = personas["alice_owner"], personas["carl_contractor"]
    for person, email in ((alice, "alice-old@example.cn"), (carl, "")):
        person.email = email
        person.save(update_fields=["email"])
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en" + reverse("accounts:profile"), {"display_name": "", "email": "alice-new@example.cn", "phone": ""}
        )
    assert [m.to for m in mailoutbox] == [["alice-old@example.cn"]]
    assert "alice-new@example.cn" in mailoutbox[0].body and "did not make this change" in mailoutbox[0].body
    # a change of the phone alone, or a first address, tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        services.update_own_profile(alice, email="alice-new@example.cn", phone="13812345678")
        services.update_own_profile(carl, email="carl@example.cn", phone="")
    assert len(mailoutbox) == 1
