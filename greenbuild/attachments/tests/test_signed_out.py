"""SEC-17, the rule for signed-out visitors (docs/security.md): every page, export and download
that shows nothing to the public sends a signed-out visitor to sign in, with ``next``, whatever
the id — an existing object's or a missing one — so the answer reveals nothing about existence;
a signed-in reader who may not see the object gets 404 as for a missing id; the API answers 401."""

import pytest
from django.urls import reverse

from greenbuild.attachments.tests.factories import make_attachment
from greenbuild.testing.factories import make_project

pytestmark = pytest.mark.django_db

MISSING = 987654321
PROTECTED = [
    ("reports:score-runs-xlsx", 1),
    ("reports:records-xlsx", 1),
    ("scoring:scores", 1),
    ("scoring:score-run", 2),
    ("scoring:evidence", 2),
    ("attachments:download", 1),
    ("documents:document-download", 1),
    ("imports:batch-errors", 1),
    ("conference:meeting-attachment", 2),
]


@pytest.mark.parametrize(("name", "arity"), PROTECTED)
def test_signed_out_visitors_are_sent_to_sign_in_whether_or_not_the_object_exists(
    client, alice_owner, name, arity, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = make_project(alice_owner, name="未公开项目")
    existing = make_attachment(project, actor=alice_owner).pk if name == "attachments:download" else project.pk
    answers = set()
    for pk in (existing, MISSING):
        url = reverse(name, args=[pk] * arity)
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login")) and "next=" in response["Location"]
        answers.add(response["Location"].split("?")[0])
    assert len(answers) == 1


def test_a_signed_in_reader_who_may_not_see_the_project_gets_404_for_both_exports(client, personas):
    project = make_project(personas["alice_owner"], name="他人项目")
    client.force_login(personas["olivia_other_owner"])
    for name in ("reports:score-runs-xlsx", "reports:records-xlsx"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 404
        assert client.get(reverse(name, args=[MISSING])).status_code == 404


def test_the_api_answers_401_to_the_signed_out(client, alice_owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = make_attachment(make_project(alice_owner), actor=alice_owner)
    for pk in (attachment.pk, MISSING):
        assert client.get("/api/v1/attachments/{}/download/".format(pk)).status_code == 401
