"""Regressions found by trying to break the register (REV-10 review): the API for the anonymous
and for read tokens, the re-issue page of a superseded document, the numbering series in the
admin, the year boundary and the pages in both languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from greenbuild.api.services import create_token
from greenbuild.documents import services
from greenbuild.documents.models import DocumentSeries, IssuedDocument
from greenbuild.documents.tests.conftest import TEST_KIND
from greenbuild.reviews.letter import DECISION_LETTER
from greenbuild.testing.factories import make_project

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _bearer(personas, user, scope):
    _token, text = create_token(actor=personas["bureau"], user=user, name="probe", scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + text}


def test_the_api_answers_401_to_the_anonymous_on_every_documents_endpoint(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="匿名项目")
    document, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    for url in (
        "/api/v1/documents/",
        "/api/v1/documents/{}/".format(document.pk),
        "/api/v1/documents/{}/download/".format(document.pk),
    ):
        assert client.get(url).status_code == 401, url
    body = {"kind": TEST_KIND, "object": project.pk}
    assert client.post("/api/v1/documents/", body, content_type="application/json").status_code == 401


def test_a_read_token_neither_issues_nor_reissues_but_reads(client, personas, concluded):
    review_round, _seats = concluded
    body = {"kind": DECISION_LETTER, "object": review_round.pk}
    read = _bearer(personas, personas["bureau"], "read")
    assert client.post("/api/v1/documents/", body, content_type="application/json", **read).status_code == 403
    assert not IssuedDocument.objects.exists()
    write = _bearer(personas, personas["bureau"], "write")
    created = client.post("/api/v1/documents/", body, content_type="application/json", **write)
    assert created.status_code == 201
    url = "/api/v1/documents/{}/actions/reissue/".format(created.json()["id"])
    assert client.post(url, {"reason": "更正"}, content_type="application/json", **read).status_code == 403
    assert IssuedDocument.objects.count() == 1
    owner_read = _bearer(personas, personas["alice_owner"], "read")
    download = client.get("/api/v1/documents/{}/download/".format(created.json()["id"]), **owner_read)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_no_letter_through_the_api_before_the_round_is_concluded(client, personas, all_submitted):
    review_round, _seats = all_submitted
    write = _bearer(personas, personas["bureau"], "write")
    body = {"kind": DECISION_LETTER, "object": review_round.pk}
    assert client.post("/api/v1/documents/", body, content_type="application/json", **write).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_the_reissue_page_of_a_superseded_document_offers_no_form_and_files_nothing(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="已替代项目")
    old, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    new = services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="更正")
    client.force_login(personas["bureau"])
    url = reverse("documents:document-reissue", args=[old.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="reissue-form"' not in html and 'id="reissue-superseded"' in html and new.number in html
    assert "只有现行文书可以重新出具" in html  # the Chinese UI says it in Chinese
    assert client.post(url, {"reason": "再来一次"}).status_code == 200
    assert IssuedDocument.objects.count() == 2


def test_the_admin_keeps_a_series_on_its_kind_and_refuses_a_prefix_another_kind_uses(
    client, personas, test_kind, concluded, admin_user
):
    project = make_project(personas["alice_owner"], name="前缀项目")
    services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    review_round, _seats = concluded
    services.issue_document(actor=personas["bureau"], kind=DECISION_LETTER, object_id=review_round.pk)
    series = DocumentSeries.objects.get(kind=TEST_KIND)
    client.force_login(admin_user)
    url = reverse("admin:documents_documentseries_change", args=[series.pk])
    assert 'name="kind"' not in client.get(url).content.decode()
    refused = client.post(
        url, {"kind": "other", "prefix": "常住建绿审", "issuer_name": series.issuer_name, "place": series.place}
    )
    assert refused.status_code == 200
    series.refresh_from_db()
    assert (series.kind, series.prefix) == (TEST_KIND, "常住建测")
    client.post(url, {"kind": "other", "prefix": "常住建新", "issuer_name": series.issuer_name, "place": "武进"})
    series.refresh_from_db()
    assert (series.kind, series.prefix, series.place) == (TEST_KIND, "常住建新", "武进")


@pytest.mark.parametrize(("utc", "year"), [("2026-12-31T15:59:00+00:00", 2026), ("2026-12-31T16:00:00+00:00", 2027)])
def test_the_year_of_a_number_is_the_local_year_and_each_year_starts_at_one(personas, test_kind, utc, year):
    first = make_project(personas["alice_owner"], name="年初项目")
    second = make_project(personas["alice_owner"], name="年末项目")
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
        services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=first.pk)
    with time_machine.travel(dt.datetime.fromisoformat(utc), tick=False):
        document, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=second.pk)
    serial = 2 if year == 2026 else 1
    assert (document.year, document.number) == (year, "常住建测〔{}〕{}号".format(year, serial))


def _visible_text(html: str) -> str:
    main = re.search(r"<main.*?</main>", html, re.S)
    body = re.sub(r"<script.*?</script>", "", main.group(0) if main else html, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", body)


def test_the_english_pages_show_chinese_only_in_the_documents_data(client, personas, concluded):
    review_round, _seats = concluded
    old, _created = services.issue_document(actor=personas["bureau"], kind=DECISION_LETTER, object_id=review_round.pk)
    new = services.reissue_document(actor=personas["bureau"], document_id=old.pk, reason="更正")
    data = {old.number, new.number, new.subject, new.issuer_name, new.place, "更正"}
    client.force_login(personas["bureau"])
    urls = [
        reverse("documents:document-list"),
        reverse("documents:document-detail", args=[old.pk]),
        reverse("documents:document-detail", args=[new.pk]),
        reverse("documents:document-reissue", args=[new.pk]),
        reverse("documents:document-reissue", args=[old.pk]),
        reverse("documents:verify", args=[new.token]),
        reverse("documents:verify-start"),
    ]
    for url in urls:
        text = _visible_text(client.get("/en" + url).content.decode())
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        assert not CJK.search(text), (url, [line for line in text.splitlines() if CJK.search(line)])


def test_the_public_verification_takes_no_large_uploads(client, personas, test_kind, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.REQUEST_BODY_MAX_BYTES = 2 * 1024 * 1024  # the copy limit is then 1 MB
    project = make_project(personas["alice_owner"], name="大文件项目")
    document, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    for url in (reverse("documents:verify", args=[document.token]), reverse("documents:verify-start")):
        big = SimpleUploadedFile("copy.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
        page = client.post(url, {"file": big})
        assert page.status_code == 200 and 'id="verify-result"' not in page.content.decode(), url
        assert 'data-max-bytes="{}"'.format(1024 * 1024) in client.get(url).content.decode()
        huge = client.post(url, {"file": SimpleUploadedFile("copy.pdf", b"%PDF-")}, CONTENT_LENGTH=str(3 * 1024**2))
        assert huge.status_code == 413, url


def test_a_copy_that_lost_its_extension_is_still_checked_by_its_content(client, personas, test_kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_project(personas["alice_owner"], name="无扩展名项目")
    document, _created = services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    original = document.file.file.open("rb").read()
    url = reverse("documents:verify", args=[document.token])
    for name in ("download", "评审意见书.PDF", "copy.bin"):
        page = client.post(url, {"file": SimpleUploadedFile(name, original)}).content.decode()
        assert 'alert-success" id="verify-result"' in page, name
    page = client.post(url, {"file": SimpleUploadedFile("download", b"PK\x03\x04 a zip")}).content.decode()
    assert 'id="verify-result"' not in page and "alert-danger" in page


def test_a_read_token_uploads_no_attachment(client, personas, filed_project):
    """Found while trying read tokens on the register: the attachments endpoint took uploads from
    a read token (its permission classes replaced the scope check)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenbuild.attachments.models import Attachment

    project = filed_project(name="读令牌项目")
    read = _bearer(personas, personas["alice_owner"], "read")
    upload = {"project": project.pk, "kind": "evidence", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}
    assert client.post("/api/v1/attachments/", upload, **read).status_code == 403
    assert not Attachment.objects.exists()
    write = _bearer(personas, personas["alice_owner"], "write")
    upload["file"] = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    assert client.post("/api/v1/attachments/", upload, **write).status_code == 201


def test_the_id_filters_of_the_api_take_integers_only(client, personas, test_kind):
    project = make_project(personas["alice_owner"], name="过滤项目")
    services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)
    client.force_login(personas["bureau"])
    assert client.get("/api/v1/documents/?object_id={}".format(project.pk)).json()["count"] == 1
    for query in ("object_id={}.5".format(project.pk), "project={}.5".format(project.pk), "project=1e400"):
        assert client.get("/api/v1/documents/?" + query).status_code == 400, query
    # an id no database column holds is a 400 naming the parameter, on every database (issue 18)
    answer = client.get("/api/v1/documents/?object_id=99999999999999999999999")
    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["object_id"]
