"""Issue 18 item 9: resumable uploads through the API (tus 1.0.0, /api/v1/uploads/) under the
attachment policy — the kind's writer, the project's gate, the size limit, the content checks at
the last byte — and the result is the attachment the ordinary upload makes."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from greenbuild.api import uploads
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.tests.conftest import PDF
from greenbuild.attachments.tests.test_hazards import MACRO_DOCX, PDF_ZIP
from greenbuild.testing.factories import make_project, make_token, move_to

pytestmark = pytest.mark.django_db

URL = "/api/v1/uploads/"
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
#: a PDF of a few hundred kilobytes: three chunks of ~100 KB
BIG_PDF = PDF.replace(b"%%EOF", b"% " + b"x" * 300_000 + b"\n%%EOF")


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.API_UPLOAD_DIR = tmp_path / "uploads"
    return settings.API_UPLOAD_DIR


@pytest.fixture
def pilot(personas):
    """alice's confirmed pilot: she files its evidence."""
    project = make_project(personas["alice_owner"], name="大文件试点")
    return move_to(
        project,
        "confirmed",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )


def auth(user, scope="write"):
    _token, text = make_token(user, scope=scope)
    return {"HTTP_AUTHORIZATION": "Bearer " + text}


def metadata(**values):
    return ",".join("{} {}".format(k, base64.b64encode(str(v).encode()).decode()) for k, v in values.items())


def create(client, who, project, length, *, kind="evidence", filename="大证明.pdf"):
    return client.generic(
        "POST",
        URL,
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(filename=filename, project=project.pk, kind=kind),
        **TUS,
        **who,
    )


def send(client, who, location, offset, chunk, **extra):
    return client.generic(
        "PATCH",
        location,
        data=chunk,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
        **who,
        **extra,
    )


def offset(client, who, location):
    response = client.head(location, **TUS, **who)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return int(response["Upload-Offset"])


class CutStream:
    """A connection that drops after ``keep`` bytes of its body."""

    def __init__(self, data: bytes, keep: int) -> None:
        self.data, self.keep, self.read_so_far = data, keep, 0

    def read(self, size: int = -1) -> bytes:
        if self.read_so_far >= self.keep:
            raise OSError("connection reset by peer")
        size = self.keep - self.read_so_far if size < 0 else min(size, self.keep - self.read_so_far)
        chunk = self.data[self.read_so_far : self.read_so_far + size]
        self.read_so_far += len(chunk)
        return chunk

    def readline(self, *args):  # pragma: no cover - not used for this body
        return b""


def test_discovery(client, personas):
    response = client.options(URL, **auth(personas["alice_owner"]))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0" and response["Tus-Resumable"] == "1.0.0"
    assert "creation" in response["Tus-Extension"] and "termination" in response["Tus-Extension"]
    assert int(response["Tus-Max-Size"]) == 500 * 1024 * 1024


def test_three_chunks_with_a_resume_make_the_same_attachment_as_the_ordinary_upload(client, personas, pilot):
    alice = auth(personas["alice_owner"])
    created = create(client, alice, pilot, len(BIG_PDF))
    assert created.status_code == 201, created.content
    location = created["Location"]
    assert location.startswith(URL) and created["Tus-Resumable"] == "1.0.0" and created["Upload-Expires"]
    assert offset(client, alice, location) == 0

    third = len(BIG_PDF) // 3
    first = send(client, alice, location, 0, BIG_PDF[:third])
    assert first.status_code == 204, first.content
    assert int(first["Upload-Offset"]) == third

    # the second chunk's connection drops half-way: what arrived is kept, HEAD says where to resume
    second = BIG_PDF[third : 2 * third]
    cut = send(client, alice, location, third, second, **{"wsgi.input": CutStream(second, keep=len(second) // 2)})
    assert cut.status_code == 204
    resume_at = offset(client, alice, location)
    assert resume_at == third + len(second) // 2
    assert not Attachment.objects.filter(original_name="大证明.pdf").exists()

    middle = send(client, alice, location, resume_at, BIG_PDF[resume_at : 2 * third])
    assert middle.status_code == 204 and int(middle["Upload-Offset"]) == 2 * third
    last = send(client, alice, location, 2 * third, BIG_PDF[2 * third :])
    assert last.status_code == 204, last.content
    assert int(last["Upload-Offset"]) == len(BIG_PDF)
    made = Attachment.objects.get(original_name="大证明.pdf")
    assert last["Content-Location"] == "/api/v1/attachments/{}/".format(made.pk)
    status = client.get(location, **alice).json()
    assert status["attachment"]["id"] == made.pk and status["offset"] == status["length"] == len(BIG_PDF)
    assert status["expires_at"].endswith("+08:00")
    assert list(uploads.upload_dir().glob("*.part")) == []  # no private copy left behind

    ordinary = client.post(
        "/api/v1/attachments/",
        {"project": pilot.pk, "kind": "evidence", "file": SimpleUploadedFile("大证明.pdf", BIG_PDF)},
        **alice,
    )
    assert ordinary.status_code == 201, ordinary.content
    same = Attachment.objects.get(pk=ordinary.json()["id"])
    fields = ("project_id", "kind", "original_name", "sha256", "size", "file_type", "content_type", "uploaded_by_id")
    assert [getattr(made, f) for f in fields] == [getattr(same, f) for f in fields]
    assert made.pending is False and made.file.read() == BIG_PDF
    assert made.history.count() == same.history.count() == 1  # the same history entry (who, when)
    listed = client.get("/api/v1/attachments/{}/".format(made.pk), **alice).json()
    assert listed["sha256"] == same.sha256


def test_a_wrong_offset_is_a_409_and_writes_nothing(client, personas, pilot):
    alice = auth(personas["alice_owner"])
    location = create(client, alice, pilot, len(PDF))["Location"]
    assert send(client, alice, location, 0, PDF[:10]).status_code == 204
    for wrong in (0, 5, 11, "x"):
        response = send(client, alice, location, wrong, PDF[10:20])
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "conflict"
    assert offset(client, alice, location) == 10


def test_another_user_neither_sees_nor_resumes_nor_cancels_it(client, personas, pilot):
    alice, bureau = auth(personas["alice_owner"]), auth(personas["bureau"])
    location = create(client, alice, pilot, len(PDF))["Location"]
    assert client.head(location, **TUS, **bureau).status_code == 404
    assert client.get(location, **bureau).status_code == 404
    assert send(client, bureau, location, 0, PDF).status_code == 404
    assert client.delete(location, **TUS, **bureau).status_code == 404
    assert offset(client, alice, location) == 0
    assert client.delete(location, **TUS, **alice).status_code == 204
    assert client.head(location, **TUS, **alice).status_code == 404


def test_refusals_at_creation(client, personas, pilot, settings):
    alice = auth(personas["alice_owner"])
    read_only = create(client, auth(personas["alice_owner"], scope="read"), pilot, len(PDF))
    assert read_only.status_code == 403, read_only.content
    carl = create(client, auth(personas["carl_contractor"]), pilot, len(PDF))
    assert (
        carl.status_code == 403
        and "证明材料"
        in client.generic(  # the kind's writer, as the ordinary upload
            "POST",
            URL,
            HTTP_UPLOAD_LENGTH="9",
            HTTP_UPLOAD_METADATA=metadata(filename="a.pdf", project=pilot.pk, kind="evidence"),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
            **TUS,
            **auth(personas["carl_contractor"]),
        ).json()["message"]
    )
    # a confirmed pilot is public: another owner sees it but files nothing to it; a project
    # nobody shows her is a 404, as for the ordinary upload
    assert create(client, auth(personas["olivia_other_owner"]), pilot, len(PDF)).status_code == 403
    real, pilot.pk = pilot.pk, 999_999
    assert create(client, alice, pilot, len(PDF)).status_code == 404
    pilot.pk = real
    too_big = create(client, alice, pilot, 20 * 1024 * 1024 + 1)  # evidence: 20 MB
    assert too_big.status_code == 413 and too_big.json()["code"] == "request_too_large"
    settings.API_UPLOAD_MAX_BYTES = 1000
    assert create(client, alice, pilot, 1001).status_code == 413
    assert create(client, alice, pilot, 1000).status_code == 201
    no_tus = client.generic("POST", URL, HTTP_UPLOAD_LENGTH="9", **alice)
    assert no_tus.status_code == 412 and no_tus["Tus-Resumable"] == "1.0.0"
    assert create(client, alice, pilot, 10, kind="report").status_code == 400  # not an API kind
    assert list(uploads.upload_dir().glob("*.part")) == [next(uploads.upload_dir().glob("*.part"))]


def test_a_chunk_past_the_length_is_a_413(client, personas, pilot):
    alice = auth(personas["alice_owner"])
    location = create(client, alice, pilot, 10)["Location"]
    response = send(client, alice, location, 0, PDF[:11])
    assert response.status_code == 413
    assert offset(client, alice, location) == 0


@pytest.mark.parametrize(
    ("name", "content", "code"), [("宏.docx", MACRO_DOCX, "macro"), ("多重.pdf", PDF_ZIP, "polyglot")]
)
def test_a_macro_or_polyglot_file_is_refused_at_the_end(client, personas, pilot, name, content, code):
    alice = auth(personas["alice_owner"])
    location = create(client, alice, pilot, len(content), filename=name)["Location"]
    half = len(content) // 2
    assert send(client, alice, location, 0, content[:half]).status_code == 204
    refused = send(client, alice, location, half, content[half:])
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "invalid" and name in str(refused.json()["errors"])
    assert not Attachment.objects.filter(original_name=name).exists()
    assert client.head(location, **TUS, **alice).status_code == 404  # discarded
    assert list(uploads.upload_dir().iterdir()) == []


def test_unfinished_uploads_expire_and_are_cleaned(client, personas, pilot, settings):
    alice = auth(personas["alice_owner"])
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False):
        location = create(client, alice, pilot, len(PDF))["Location"]
        assert send(client, alice, location, 0, PDF[:10]).status_code == 204
    with time_machine.travel(dt.datetime(2026, 12, 8, 8, 59, tzinfo=dt.UTC), tick=False):
        assert offset(client, alice, location) == 10
        call_command("cleanup_attachments")
        assert len(list(uploads.upload_dir().glob("*.part"))) == 1
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        assert client.head(location, **TUS, **alice).status_code == 404
        call_command("cleanup_attachments")
    assert list(uploads.upload_dir().iterdir()) == []


# -- break-it review (area G) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a\x00b.pdf", "a\nb.pdf", "a\rb.pdf", "a\x1fb.pdf"], ids=["nul", "newline", "return", "unit-sep"]
)
def test_a_filename_with_control_characters_is_refused_at_creation(client, personas, pilot, name):
    """NUL (PostgreSQL refuses it: a 500 after the whole file) and other control characters would
    only fail at the last byte, or end up in a Content-Disposition: refused before any byte."""
    alice = auth(personas["alice_owner"])
    response = create(client, alice, pilot, len(PDF), filename=name)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(uploads.upload_dir().iterdir()) == []


@pytest.mark.parametrize("length", ["1_000", "٣٠٠", "+10", " 10", "1e3", "0x10", "-0"], ids=lambda v: repr(v))
def test_upload_length_is_plain_ascii_digits(client, personas, pilot, length):
    alice = auth(personas["alice_owner"])
    response = client.generic(
        "POST",
        URL,
        HTTP_UPLOAD_LENGTH=length,
        HTTP_UPLOAD_METADATA=metadata(filename="a.pdf", project=pilot.pk, kind="evidence"),
        **TUS,
        **alice,
    )
    assert response.status_code == 400, (length, response.status_code)


def test_a_token_bound_to_another_organisation_neither_sees_nor_resumes_the_upload(client, personas, orgs, pilot):
    from greenbuild.accounts.choices import Role
    from greenbuild.accounts.models import Membership

    alice = personas["alice_owner"]
    Membership.objects.create(user=alice, organisation=orgs["other_owner"], role=Role.OWNER_APPLICANT)
    own = auth_bound(alice, orgs["owner"])
    other = auth_bound(alice, orgs["other_owner"])
    location = create(client, own, pilot, len(PDF))["Location"]
    assert client.head(location, **TUS, **other).status_code == 404
    assert client.get(location, **other).status_code == 404
    assert send(client, other, location, 0, PDF).status_code == 404
    assert client.delete(location, **TUS, **other).status_code == 404
    assert offset(client, own, location) == 0


def auth_bound(user, organisation):
    _token, text = make_token(user, scope="write", organisation=organisation)
    return {"HTTP_AUTHORIZATION": "Bearer " + text}


def test_a_chunk_after_the_end_says_the_upload_is_finished(client, personas, pilot):
    alice = auth(personas["alice_owner"])
    location = create(client, alice, pilot, len(PDF))["Location"]
    assert send(client, alice, location, 0, PDF).status_code == 204
    again = send(client, alice, location, len(PDF), b"x", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert "finished" in again.json()["message"]
    assert Attachment.objects.filter(original_name="大证明.pdf").count() == 1
