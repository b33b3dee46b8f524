"""Drafted, approved by the bureau, then issued as a numbered document: approving a revision that is
not the latest and issuing an unapproved summary are refused on every path; issuing files the PDF
in the documents register; the next guideline edition copies every item and marks, with their
lessons, those the bureau changes."""

import pytest
from django.urls import reverse

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.summaries import services
from greenbuild.summaries.choices import SummaryStatus
from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryTransition
from greenbuild.testing.matrix import error_messages

pytestmark = pytest.mark.django_db


def _state(summary):
    summary.refresh_from_db()
    return summary.status, summary.revision_id, summary.issued_at, SummaryTransition.objects.count()


def test_issuing_an_unapproved_summary_is_refused_everywhere(client, pilots, draft, personas):
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.testing.fixtures import staff

    summary = draft()
    before = _state(summary)
    with pytest.raises(TransitionNotAllowed):
        services.transition_summary(actor=personas["bureau"], summary_id=summary.pk, action="issue")
    client.force_login(personas["bureau"])
    response = client.post(reverse("summaries:summary-move", args=[summary.pk, "issue"]), {"comment": ""})
    assert response.status_code == 302 and error_messages(response)
    response = client.post(
        "/api/v1/summaries/{}/actions/issue/".format(summary.pk), {}, content_type="application/json"
    )
    assert response.status_code == 409, response.content
    client.force_login(staff(personas["bureau"]))
    response = client.post(
        reverse("admin:summaries_programmesummary_changelist"),
        {"action": "issue", "_selected_action": [summary.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert _state(summary) == before
    assert not IssuedDocument.objects.exists()


def test_approving_a_revision_that_is_not_the_latest_is_refused(pilots, draft, regenerate, personas):
    summary = draft()
    regenerate(summary)  # revision 2 is the latest now
    before = _state(summary)
    with pytest.raises(TransitionNotAllowed):
        services.transition_summary(actor=personas["bureau"], summary_id=summary.pk, action="approve", revision=1)
    assert _state(summary) == before
    services.transition_summary(actor=personas["bureau"], summary_id=summary.pk, action="approve", revision=2)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.APPROVED and summary.revision.number == 2


def test_approving_while_a_revision_is_being_generated_is_refused(pilots, draft, personas, settings):
    summary = draft()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    services.generate_summary(actor=personas["bureau"], summary_id=summary.pk)  # the job never runs
    with pytest.raises(DomainError):
        services.transition_summary(actor=personas["bureau"], summary_id=summary.pk, action="approve")
    assert ProgrammeSummary.objects.get().status == SummaryStatus.DRAFT


def test_the_life_of_a_summary(client, pilots, draft, personas, django_capture_on_commit_callbacks, immediate):
    from greenbuild.documents.models import IssuedDocument
    from greenbuild.notifications.models import Notification

    bureau = personas["bureau"]
    summary = draft(recommendations="")
    # editing the recommendations makes a new revision holding them
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_recommendations(actor=bureau, summary_id=summary.pk, recommendations="建议：推广铝模。")
    assert summary.latest_revision().content["recommendations"] == "建议：推广铝模。"
    with pytest.raises(ActionForbidden):
        services.transition_summary(actor=personas["dan_district"], summary_id=summary.pk, action="approve")
    services.transition_summary(actor=bureau, summary_id=summary.pk, action="approve", revision=2)
    with pytest.raises(DomainError):
        services.transition_summary(actor=bureau, summary_id=summary.pk, action="send_back")  # comment required
    with pytest.raises(DomainError):
        services.generate_summary(actor=bureau, summary_id=summary.pk)
    with pytest.raises(DomainError):
        services.edit_recommendations(actor=bureau, summary_id=summary.pk, recommendations="改")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_summary(actor=bureau, summary_id=summary.pk, action="issue", comment="印发")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ISSUED and summary.issued_by == bureau
    document = IssuedDocument.objects.get()
    assert document.kind == "summaries.programme_summary" and document.number.startswith("常住建绿总")
    assert document.subject_object == summary and document.file_id
    told = set(
        Notification.objects.filter(event__verb="summaries.issued").values_list("recipient__username", flat=True)
    )
    assert {personas["dan_district"].username, personas["dept_reviewer"].username} <= told
    assert personas["alice_owner"].username not in told
    # the issued document is verifiable by anyone
    verify = client.get(reverse("documents:verify", args=[document.token]))
    assert verify.status_code == 200 and document.number in verify.content.decode()
    with pytest.raises(TransitionNotAllowed):
        services.transition_summary(actor=bureau, summary_id=summary.pk, action="send_back", comment="重来")


def test_bad_input_is_refused_and_nothing_saved(client, personas, pilots, draft, programme, immediate):
    client.force_login(personas["bureau"])
    for data in ({"programme": ""}, {"programme": "999999"}, {"programme": "abc"}):
        response = client.post(reverse("summaries:summary-create"), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not ProgrammeSummary.objects.exists()
    draft()
    with pytest.raises(DomainError):
        services.create_summary(actor=personas["bureau"], programme=programme)
    with pytest.raises(ActionForbidden):
        services.create_summary(actor=personas["dan_district"], programme=programme)
    assert ProgrammeSummary.objects.count() == 1
    response = client.post("/api/v1/summaries/", {"programme": 999999}, content_type="application/json")
    assert response.status_code == 400


def test_the_next_edition_copies_every_item_and_marks_and_links_the_changed_ones(issued, personas, pilots):
    from greenbuild.completion.models import Lesson
    from greenbuild.guidelines.selectors import current_guideline

    bureau = personas["bureau"]
    source = current_guideline()
    edition = services.start_next_edition(actor=bureau, summary_id=issued.pk, code="changzhou-2024")
    assert edition.published is False and edition.based_on == source
    copied = list(edition.items.order_by("sort_order", "code").values_list("code", "text_zh", "is_technology"))
    assert copied == list(source.items.order_by("sort_order", "code").values_list("code", "text_zh", "is_technology"))
    with pytest.raises(DomainError):
        services.start_next_edition(actor=bureau, summary_id=issued.pk, code="again")
    lessons = list(Lesson.objects.order_by("pk"))
    item = edition.items.order_by("sort_order").first()
    old_text = item.text_zh
    change = services.change_edition_item(
        actor=bureau,
        summary_id=issued.pk,
        item_id=item.pk,
        text_zh="修订后的条文",
        reason="两个试点的经验",
        lesson_ids=[lesson.pk for lesson in lessons],
    )
    item.refresh_from_db()
    assert item.text_zh == "修订后的条文" and change.previous_text_zh == old_text
    assert set(change.lessons.all()) == set(lessons)
    assert source.items.get(code=item.code).text_zh == old_text  # the edition in force is untouched
    # refused: no lesson, a lesson of another programme's pilot, an item of another edition, a stranger
    for bad in ({"lesson_ids": []}, {"lesson_ids": [999999]}, {"item_id": source.items.first().pk}):
        with pytest.raises(DomainError):
            services.change_edition_item(
                **{
                    "actor": bureau,
                    "summary_id": issued.pk,
                    "item_id": item.pk,
                    "text_zh": "再改",
                    "reason": "理由",
                    "lesson_ids": [lessons[0].pk],
                    **bad,
                }
            )
    with pytest.raises(ActionForbidden):
        services.change_edition_item(
            actor=personas["dan_district"],
            summary_id=issued.pk,
            item_id=item.pk,
            text_zh="x",
            reason="y",
            lesson_ids=[lessons[0].pk],
        )
    assert EditionChange.objects.count() == 1
    item.refresh_from_db()
    assert item.text_zh == "修订后的条文"


def test_the_edition_page_marks_the_changed_item(client, issued, personas):
    from greenbuild.completion.models import Lesson

    bureau = personas["bureau"]
    client.force_login(bureau)
    response = client.post(reverse("summaries:edition-start", args=[issued.pk]), {"code": "", "effective_date": ""})
    issued.refresh_from_db()
    assert response.status_code == 302 and issued.next_edition is not None
    item = issued.next_edition.items.order_by("sort_order").first()
    lesson = Lesson.objects.first()
    prefix = "item-{}-".format(item.pk)
    response = client.post(
        reverse("summaries:edition-item-change", args=[issued.pk, item.pk]),
        {prefix + "text_zh": "新条文", prefix + "reason": "经验", prefix + "lessons": [lesson.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("summaries:edition", args=[issued.pk])).content.decode()
    assert 'data-changed="yes"' in page and "新条文" in page and lesson.title in page
    # without a lesson: refused, shown again with the error, nothing changed
    response = client.post(
        reverse("summaries:edition-item-change", args=[issued.pk, item.pk]),
        {prefix + "text_zh": "另一条文", prefix + "reason": "经验"},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.text_zh == "新条文"
