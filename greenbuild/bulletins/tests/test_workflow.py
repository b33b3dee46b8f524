"""Drafted, approved by the bureau, then published: publishing an unapproved bulletin is refused on
every path (service, page, API, admin), a published bulletin never changes, the public pages and
open data show nothing unpublished, and the joint conference hears of a publication."""

import pytest
from django.urls import reverse

from greenbuild.bulletins import services
from greenbuild.bulletins.choices import BulletinStatus
from greenbuild.bulletins.models import Bulletin, BulletinTransition
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.testing.matrix import error_messages

pytestmark = pytest.mark.django_db


def _state(bulletin):
    bulletin.refresh_from_db()
    return bulletin.status, bulletin.revision_id, bulletin.published_at, BulletinTransition.objects.count()


def test_publishing_an_unapproved_bulletin_is_refused_by_the_service(pilots, generate, personas):
    bulletin = generate()
    before = _state(bulletin)
    with pytest.raises(TransitionNotAllowed):
        services.transition_bulletin(actor=personas["bureau"], bulletin_id=bulletin.pk, action="publish")
    assert _state(bulletin) == before


def test_publishing_an_unapproved_bulletin_is_refused_on_the_page(client, pilots, generate, personas):
    bulletin = generate()
    before = _state(bulletin)
    client.force_login(personas["bureau"])
    response = client.post(reverse("bulletins:bulletin-move", args=[bulletin.pk, "publish"]), {"comment": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:bulletin-detail", args=[bulletin.pk])
    assert error_messages(response)
    assert _state(bulletin) == before


def test_publishing_an_unapproved_bulletin_is_refused_by_the_api(client, pilots, generate, personas):
    bulletin = generate()
    before = _state(bulletin)
    client.force_login(personas["bureau"])
    response = client.post(
        "/api/v1/bulletins/{}/actions/publish/".format(bulletin.pk), {}, content_type="application/json"
    )
    assert response.status_code == 409, response.content
    assert _state(bulletin) == before


def test_publishing_an_unapproved_bulletin_is_refused_in_the_admin(client, pilots, generate, personas):
    from greenbuild.testing.fixtures import staff

    bulletin = generate()
    before = _state(bulletin)
    client.force_login(staff(personas["bureau"]))
    response = client.post(
        reverse("admin:bulletins_bulletin_changelist"),
        {"action": "publish", "_selected_action": [bulletin.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "只有已审定的通报才能发布" in response.content.decode() or "无法" in response.content.decode()
    assert _state(bulletin) == before


def test_the_life_of_a_bulletin(client, pilots, generate, regenerate, personas, django_capture_on_commit_callbacks):
    from greenbuild.notifications.models import Notification
    from greenbuild.projects.models import Project

    bureau = personas["bureau"]
    bulletin = generate()
    regenerate(bulletin)  # revision 2
    # sending back needs a comment; approving fixes the latest revision as the record
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="approve")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.APPROVED and bulletin.revision.number == 2
    with pytest.raises(DomainError):
        services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="send_back")
    with pytest.raises(DomainError):
        services.generate_bulletin(actor=bureau, bulletin_id=bulletin.pk)
    # the public sees nothing yet
    assert client.get(reverse("bulletins:public-detail", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("bulletins:public-file", args=[bulletin.pk, "pdf"])).status_code == 404
    assert bulletin.title not in client.get(reverse("bulletins:public-list")).content.decode()
    # a district official may not publish
    with pytest.raises(ActionForbidden):
        services.transition_bulletin(actor=personas["dan_district"], bulletin_id=bulletin.pk, action="publish")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="publish", comment="印发")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.published_by == bureau
    # the data changes: the published bulletin does not
    Project.objects.filter(name="武进公建").update(status="confirmed")
    page = client.get(reverse("bulletins:public-detail", args=[bulletin.pk]))
    assert page.status_code == 200
    bulletin.refresh_from_db()
    assert bulletin.revision.content["summary"]["confirmed_total"] == 5
    assert client.get(reverse("bulletins:public-file", args=[bulletin.pk, "pdf"])).status_code == 200
    with pytest.raises(DomainError):
        services.generate_bulletin(actor=bureau, bulletin_id=bulletin.pk)
    # sent to the joint conference: every district official and department reviewer is told
    told = set(
        Notification.objects.filter(event__verb="bulletins.published").values_list("recipient__username", flat=True)
    )
    assert {
        personas["dan_district"].username,
        personas["wu_district"].username,
        personas["dept_reviewer"].username,
    } <= told
    assert personas["alice_owner"].username not in told


def test_the_public_pages_and_open_data_show_no_draft(client, pilots, generate, personas, monkeypatch):
    from greenbuild.api import open_data
    from greenbuild.bulletins.api.open_data import BULLETINS

    monkeypatch.setitem(open_data.DATASETS, BULLETINS.slug, BULLETINS)  # as register_dataset() does
    draft = generate(period=10)
    approved = generate(period=11)
    published = generate(period=12)
    bureau = personas["bureau"]
    services.transition_bulletin(actor=bureau, bulletin_id=approved.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=published.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=published.pk, action="publish")
    listing = client.get(reverse("bulletins:public-list")).content.decode()
    assert published.title in listing
    assert draft.title not in listing and approved.title not in listing
    for hidden in (draft, approved):
        assert client.get(reverse("bulletins:public-detail", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("bulletins:public-file", args=[hidden.pk, "xlsx"])).status_code == 404
    rows = client.get("/api/v1/open/bulletins.json").json()
    assert [row["id"] for row in rows] == [published.pk]
    catalogue = client.get("/data.json").json()
    assert any("bulletins" in d["identifier"] for d in catalogue["dataset"])
    csv_text = client.get("/api/v1/open/bulletins.csv").content.decode("utf-8-sig")
    assert draft.title not in csv_text and published.title in csv_text
    # anonymous API callers and outsiders: published only
    client.force_login(personas["alice_owner"])
    ids = [b["id"] for b in client.get("/api/v1/bulletins/").json()["results"]]
    assert ids == [published.pk]


def test_bad_input_is_refused_and_nothing_saved(client, personas, immediate):
    client.force_login(personas["bureau"])
    for data in (
        {"kind": "monthly", "year": 2021, "period": 13},
        {"kind": "quarterly", "year": 2021, "period": 5},
        {"kind": "weekly", "year": 2021, "period": 1},
        {"kind": "monthly", "year": 9999, "period": 1},
        {"kind": "monthly", "year": "abc", "period": "x"},
    ):
        response = client.post(reverse("bulletins:bulletin-create"), data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert Bulletin.objects.count() == 0
    response = client.post(
        "/api/v1/bulletins/", {"kind": "monthly", "year": 2021, "period": 0}, content_type="application/json"
    )
    assert response.status_code == 400
    assert Bulletin.objects.count() == 0


def test_a_period_has_one_bulletin(pilots, generate, personas):
    generate()
    with pytest.raises(DomainError):
        services.create_bulletin(actor=personas["bureau"], kind="monthly", year=2021, period=11)
    assert Bulletin.objects.count() == 1


def test_retrying_an_old_failed_revision_does_not_regenerate_it_behind_a_newer_one(
    pilots, generate, regenerate, personas
):
    from greenbuild.bulletins.models import BulletinRevision

    bulletin = generate()
    BulletinRevision.objects.filter(bulletin=bulletin, number=1).update(status="failed")  # its job failed
    regenerate(bulletin)  # revision 2, from today's data
    old = BulletinRevision.objects.get(bulletin=bulletin, number=1)
    services.restart_failed_revision(old.pk)  # the failed job is retried (jobs' retry)
    with pytest.raises(DomainError):
        services.build_revision(actor=personas["bureau"], revision_id=old.pk)
    old.refresh_from_db()
    assert old.status == "failed"
    assert bulletin.shown_revision().number == 2
