"""Downloads only through the gate, under the original name (RFC 5987), with the detected type."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from greenbuild.attachments import services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.downloads import ascii_fallback, content_disposition
from greenbuild.attachments.tests.conftest import PDF, upload


@pytest.fixture
def evidence(alice_owner, pilot):
    return services.store_attachment(
        actor=alice_owner, project=pilot, kind=AttachmentKind.EVIDENCE, uploaded_file=upload("施工 方案 v2.pdf", PDF)
    )


def url(attachment, language="zh-hans"):
    with translation.override(language):
        return reverse("attachments:download", args=[attachment.pk])


def test_the_owner_downloads_under_the_original_name_with_the_detected_type(client, alice_owner, evidence):
    client.force_login(alice_owner)
    response = client.get(url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="attachment-{}-v2.pdf"; '.format(evidence.pk)
        + "filename*=UTF-8''%E6%96%BD%E5%B7%A5%20%E6%96%B9%E6%A1%88%20v2.pdf"
    )
    assert client.get(url(evidence, "en")).status_code == 200


def test_the_ascii_fallback_keeps_what_it_can_and_never_breaks_the_header():
    assert ascii_fallback("Résumé final.docx") == "Resume final.docx"
    assert ascii_fallback("施工方案.pdf", "attachment-7") == "attachment-7.pdf"
    header = content_disposition('a"b\\c\r\n.pdf')
    assert "\r" not in header and "\n" not in header and 'filename="a_b_c.pdf"' in header


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("（方案）.pdf", "attachment-7.pdf"),  # SEC-16: never "().pdf"
        ("方案(第2版).pdf", "attachment-7-(2).pdf"),
        ("绿色建造策划方案 v3 final.docx", "attachment-7-v3 final.docx"),
        ("Plan (v2).pdf", "Plan (v2).pdf"),
        ("....pdf", "attachment-7.pdf"),
        ("a/b.pdf", "a_b.pdf"),
    ],
)
def test_the_ascii_fallback_is_readable(name, fallback):
    assert ascii_fallback(name, "attachment-7") == fallback


def test_a_slash_in_a_name_does_not_cut_it(client, alice_owner, pilot):
    """SEC-16: a name made from a project's name with a "/" (a generated summary) keeps all of it,
    in the stored name and in both forms of the header."""
    attachment = services.store_attachment(
        actor=alice_owner,
        project=pilot,
        kind=AttachmentKind.REPORT,
        uploaded_file=ContentFile(PDF, name="一期/二期-汇总.pdf"),
    )
    assert attachment.original_name == "一期_二期-汇总.pdf"
    header = content_disposition("一期/二期\\三期.pdf", default_stem="attachment-7")
    assert "%2F" not in header and "/" not in header.split("filename*=")[1]
    assert header.endswith("''%E4%B8%80%E6%9C%9F_%E4%BA%8C%E6%9C%9F_%E4%B8%89%E6%9C%9F.pdf")


@pytest.mark.parametrize("persona", ["olivia_other_owner", "wu_district", "dave_outsider", "eve_expert"])
def test_users_who_cannot_see_the_project_get_404_as_for_a_missing_id(client, personas, persona, evidence):
    client.force_login(personas[persona])
    assert client.get(url(evidence)).status_code == 404
    assert client.get(reverse("attachments:download", args=[evidence.pk + 1000])).status_code == 404
    assert client.get("/attachments/99999999999999999999999/download/").status_code == 404


def test_insiders_of_the_project_may_download(client, personas, evidence):
    for persona in ("dan_district", "bureau"):
        client.force_login(personas[persona])
        assert client.get(url(evidence)).status_code == 200, persona


def test_anonymous_visitors_are_sent_to_sign_in_even_for_a_public_pilot(client, evidence):
    response = client.get(url(evidence))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_pending_file_is_visible_to_its_uploader_only(client, personas, alice_owner, pilot):
    pending = services.store_attachment(
        actor=alice_owner, project=pilot, kind=AttachmentKind.EVIDENCE, uploaded_file=upload("a.pdf", PDF), pending=True
    )
    client.force_login(personas["bureau"])
    assert client.get(url(pending)).status_code == 404
    client.force_login(alice_owner)
    assert client.get(url(pending)).status_code == 200


def test_a_programme_level_file_is_for_its_uploader_only(client, personas):
    report = services.store_attachment(
        actor=personas["dan_district"], project=None, kind=AttachmentKind.REPORT, uploaded_file=upload("汇总.pdf", PDF)
    )
    for persona, status in (("dan_district", 200), ("bureau", 404), ("wu_district", 404), ("alice_owner", 404)):
        client.force_login(personas[persona])
        assert client.get(url(report)).status_code == status, persona


def test_a_replaced_file_is_no_longer_served(client, alice_owner, evidence):
    services.replace_attachment(actor=alice_owner, attachment=evidence, uploaded_file=upload("新.pdf", PDF))
    client.force_login(alice_owner)
    assert client.get(url(evidence)).status_code == 404
