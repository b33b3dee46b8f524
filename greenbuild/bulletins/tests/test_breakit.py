"""Break-it pass: a move posted from a page opened before the bulletin changed changes nothing,
and the API shows a reader of published bulletins only the published revision."""

import pytest
from django.urls import reverse

from greenbuild.bulletins import services
from greenbuild.bulletins.choices import BulletinStatus
from greenbuild.core.errors import TransitionNotAllowed
from greenbuild.testing.matrix import error_messages

pytestmark = pytest.mark.django_db


def test_approving_from_a_page_opened_before_a_new_revision_is_refused(client, pilots, generate, regenerate, personas):
    bureau = personas["bureau"]
    bulletin = generate()
    client.force_login(bureau)
    page = client.get(reverse("bulletins:bulletin-detail", args=[bulletin.pk])).content.decode()
    assert 'name="revision" value="1"' in page
    regenerate(bulletin)  # someone generated revision 2 meanwhile
    response = client.post(
        reverse("bulletins:bulletin-move", args=[bulletin.pk, "approve"]), {"comment": "", "revision": "1"}
    )
    assert response.status_code == 302 and error_messages(response)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and bulletin.revision_id is None
    # the API too: 409, nothing changed
    response = client.post(
        "/api/v1/bulletins/{}/actions/approve/".format(bulletin.pk), {"revision": 1}, content_type="application/json"
    )
    assert response.status_code == 409, response.content
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT
    # the revision seen is the current one: approved, then published as seen
    response = client.post(
        reverse("bulletins:bulletin-move", args=[bulletin.pk, "approve"]), {"comment": "", "revision": "2"}
    )
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.APPROVED and bulletin.revision.number == 2


def test_publishing_a_revision_other_than_the_one_seen_is_refused(pilots, generate, regenerate, personas):
    bureau = personas["bureau"]
    bulletin = generate()
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="send_back", comment="数据有误")
    bulletin.refresh_from_db()
    regenerate(bulletin)
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="approve")
    with pytest.raises(TransitionNotAllowed):  # the publisher's page showed revision 1
        services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="publish", revision=1)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.APPROVED and bulletin.published_at is None
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="publish", revision=2)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED


def test_the_api_shows_a_reader_of_published_bulletins_only_the_published_revision(
    client, pilots, generate, regenerate, personas
):
    bureau = personas["bureau"]
    bulletin = generate()
    regenerate(bulletin)
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="publish")
    client.force_login(personas["alice_owner"])
    data = client.get("/api/v1/bulletins/{}/".format(bulletin.pk)).json()
    assert [r["number"] for r in data["revisions"]] == [2]
    (revision,) = data["revisions"]
    assert revision["job"] is None
    assert revision["pdf_url"] == reverse("bulletins:public-file", args=[bulletin.pk, "pdf"])
    assert client.get(revision["pdf_url"]).status_code == 200
    assert client.get(revision["workbook_url"]).status_code == 200
    client.force_login(bureau)
    data = client.get("/api/v1/bulletins/{}/".format(bulletin.pk)).json()
    assert sorted(r["number"] for r in data["revisions"]) == [1, 2]
