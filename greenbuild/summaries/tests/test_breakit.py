"""Probes that tried to break the programme summary, kept as tests of what they found: a move's
misspelt field, a lesson of a project that is no pilot, drafts in the admin, lesson topics frozen
in one language, and a working PDF that looked like the issued document."""

import pytest
from django.test import Client
from django.urls import reverse

from greenbuild.summaries import services
from greenbuild.summaries.choices import SummaryStatus
from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryTransition
from greenbuild.summaries.tests.test_outputs import pdf_text

pytestmark = pytest.mark.django_db

API = "/api/v1/summaries/{}/"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_move_with_a_misspelt_or_unknown_field_is_refused_and_nothing_moves(
    client, pilots, draft, regenerate, personas
):
    summary = draft()
    regenerate(summary)  # revision 2 is the latest; revision 1 is what a stale client saw
    client.force_login(personas["bureau"])
    url = API.format(summary.pk) + "actions/approve/"
    for body in ({"revison": 1}, {"status": "issued"}, ["x"]):
        response = _post(client, url, body)
        assert response.status_code == 400, (body, response.content)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and not SummaryTransition.objects.exists()
    response = _post(client, API.format(summary.pk) + "recommendations/", {"recommendations": "x", "stauts": "y"})
    assert response.status_code == 400
    assert summary.revisions.count() == 2
    # the move still works with the fields it takes, and with no body at all
    assert _post(client, url, {"revision": 2, "comment": "好"}).status_code == 200
    assert _post(client, API.format(summary.pk) + "actions/send_back/", {"comment": "再议"}).status_code == 200
    response = client.post(url, content_type="application/json")
    assert response.status_code == 200, response.content


def test_an_edition_change_cannot_cite_the_lesson_of_a_project_that_is_no_pilot(client, issued, personas, pilots):
    from greenbuild.completion.models import Lesson

    bureau = personas["bureau"]
    services.start_next_edition(actor=bureau, summary_id=issued.pk, code="n-next")
    issued.refresh_from_db()
    item = issued.next_edition.items.order_by("sort_order").first()
    text_before = item.text_zh
    not_a_pilot = Lesson.objects.create(
        project=pilots["钟楼草稿"], title="草稿项目经验", body="正文", filed_by=personas["alice_owner"]
    )
    client.force_login(bureau)
    body = {"item": item.pk, "text_zh": "新条文", "reason": "理由", "lessons": [not_a_pilot.pk]}
    response = _post(client, API.format(issued.pk) + "edition-changes/", body)
    assert response.status_code == 400, response.content
    response = _post(client, API.format(issued.pk) + "edition-changes/", {**body, "surplus": 1})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.text_zh == text_before and not EditionChange.objects.exists()
    page = client.get(reverse("summaries:edition", args=[issued.pk]))
    assert "草稿项目经验" not in page.content.decode()
    pilot_lesson = Lesson.objects.get(project=pilots["天宁住宅"])
    response = _post(client, API.format(issued.pk) + "edition-changes/", {**body, "lessons": [pilot_lesson.pk]})
    assert response.status_code == 200, response.content


def test_the_admin_shows_a_draft_summary_to_the_bureau_only(client, pilots, draft, personas):
    from greenbuild.testing.fixtures import staff

    summary = draft()
    client.force_login(staff(personas["dan_district"]))
    listed = client.get(reverse("admin:summaries_programmesummary_changelist"))
    assert summary.title not in listed.content.decode()
    opened = client.get(reverse("admin:summaries_programmesummary_change", args=[summary.pk]))
    assert opened.status_code in (302, 403, 404)
    client.force_login(staff(personas["bureau"]))
    listed = client.get(reverse("admin:summaries_programmesummary_changelist"))
    assert summary.title in listed.content.decode()
    assert client.get(reverse("admin:summaries_programmesummary_change", args=[summary.pk])).status_code == 200


def test_the_english_page_shows_the_lesson_topics_in_english(pilots, draft, personas):
    summary = draft()  # generated in Chinese
    client = Client()
    client.force_login(personas["bureau"])
    page = client.get("/en/summaries/{}/".format(summary.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "装配式装修前置策划" in html  # the lesson's title is data, kept as filed
    assert "· 技术 ·" not in html and "· Technology ·" in html


def test_a_revision_pdf_says_it_is_a_working_copy_not_the_issued_document(pilots, draft):
    summary = draft()
    revision = summary.latest_revision()
    with revision.pdf.file.open("rb") as handle:
        data = handle.read()
    text = pdf_text(data)
    assert "Working copy (revision 1)" in " ".join(text.split()) or "工作稿" in text
    assert ProgrammeSummary.objects.get().status == SummaryStatus.DRAFT


def test_the_english_ui_names_the_programme_in_english(issued, personas):
    client = Client()
    client.force_login(personas["dan_district"])
    for path in ("/en/summaries/", "/en/summaries/{}/".format(issued.pk)):
        html = client.get(path).content.decode()
        assert "Summary of Changzhou Green Construction Pilot Programme" in html, path
        assert "Summary of 常州" not in html, path
    body = client.get(API.format(issued.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["display"].startswith("Summary of Changzhou")
    html = client.get("/summaries/{}/".format(issued.pk)).content.decode()
    assert "常州市绿色建造试点（2021—2023）总结评估" in html


def test_a_notification_reads_in_its_readers_language_not_its_actors(
    pilots, draft, personas, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from greenbuild.notifications.models import Notification

    summary = draft()
    bureau = personas["bureau"]
    with translation.override("en"):  # the bureau works in English
        for action in ("approve", "issue"):
            with django_capture_on_commit_callbacks(execute=True):
                services.transition_summary(actor=bureau, summary_id=summary.pk, action=action, revision=1)
    notification = Notification.objects.get(recipient=personas["dan_district"], event__verb="summaries.issued")
    with translation.override("zh-hans"):
        text = str(notification.text)
    assert "Summary of" not in text and "常州市绿色建造试点（2021—2023）" in text, text
    client = Client()
    client.force_login(personas["dan_district"])
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and client.get(opened.url).status_code == 200


def test_the_page_offers_no_approve_while_a_revision_is_being_generated(client, pilots, draft, personas, settings):
    summary = draft()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    services.generate_summary(actor=personas["bureau"], summary_id=summary.pk)  # the job never runs
    client.force_login(personas["bureau"])
    html = client.get(reverse("summaries:summary-detail", args=[summary.pk])).content.decode()
    assert 'data-action="approve"' not in html
    from greenbuild.summaries.models import SummaryRevision

    SummaryRevision.objects.filter(summary=summary, number=2).update(status="ready")
    html = client.get(reverse("summaries:summary-detail", args=[summary.pk])).content.decode()
    assert 'data-action="approve"' in html


def test_the_next_edition_cannot_take_effect_before_the_edition_in_force(client, issued, personas):
    import datetime as dt

    from greenbuild.guidelines.models import Guideline
    from greenbuild.guidelines.selectors import current_guideline

    in_force = current_guideline()
    editions = Guideline.objects.count()
    client.force_login(personas["bureau"])
    earlier = in_force.effective_date - dt.timedelta(days=1)
    response = _post(
        client, API.format(issued.pk) + "next-edition/", {"code": "early-next", "effective_date": earlier.isoformat()}
    )
    assert response.status_code == 400, response.content
    assert "effective_date" in response.json()["errors"]
    page = client.post(
        reverse("summaries:edition-start", args=[issued.pk]), {"code": "early-next", "effective_date": earlier}
    )
    assert page.status_code == 302
    issued.refresh_from_db()
    assert Guideline.objects.count() == editions and issued.next_edition_id is None
    later = in_force.effective_date + dt.timedelta(days=365)
    response = _post(
        client, API.format(issued.pk) + "next-edition/", {"code": "late-next", "effective_date": later.isoformat()}
    )
    assert response.status_code == 201, response.content


def test_retrying_an_old_failed_revision_does_not_regenerate_it_behind_a_newer_one(pilots, draft, regenerate, personas):
    from greenbuild.core.errors import DomainError
    from greenbuild.summaries.models import SummaryRevision

    summary = draft()
    SummaryRevision.objects.filter(summary=summary, number=1).update(status="failed")  # its job failed
    regenerate(summary)  # revision 2, from today's data
    old = SummaryRevision.objects.get(summary=summary, number=1)
    services.restart_failed_revision(old.pk)  # the failed job is retried (jobs' retry)
    with pytest.raises(DomainError):
        services.build_revision(actor=personas["bureau"], revision_id=old.pk)
    old.refresh_from_db()
    assert old.status == "failed"
    assert summary.shown_revision().number == 2
