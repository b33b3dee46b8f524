"""The decision letter (评审意见书) through the register (REV-10): the bureau issues it once the
round is concluded; everybody who may open the round downloads it, nobody else; in Chinese."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from greenbuild.documents.models import IssuedDocument
from greenbuild.reviews.letter import DECISION_LETTER
from greenbuild.testing.matrix import each_persona

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(  # noqa: S603 (a fixed local tool)
        [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def press(client, review_round):
    return client.post(reverse("reviews:round-letter", args=[review_round.pk]))


def test_the_bureau_issues_the_letter_once_and_the_round_page_links_it(client, personas, concluded):
    review_round, _seats = concluded
    client.force_login(personas["bureau"])
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert 'id="issue-button"' in page
    assert press(client, review_round).status_code == 302
    assert press(client, review_round).status_code == 302  # the second press files nothing
    document = IssuedDocument.objects.get()
    assert document.kind == DECISION_LETTER and document.number.startswith("常住建绿审〔")
    assert document.project_id == review_round.plan.project_id
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert document.number in page and 'id="issue-button"' not in page
    project_page = client.get(reverse("projects:project-detail", args=[document.project_id])).content.decode()
    assert 'id="documents-panel"' in project_page and document.number in project_page


@pytest.mark.parametrize("who", ["alice_owner", "leader", "member"])
def test_only_the_bureau_issues_the_letter(client, personas, concluded, who):
    review_round, seats = concluded
    user = {
        "alice_owner": personas["alice_owner"],
        "leader": next(s for s in seats if s.is_leader).expert,
        "member": next(s for s in seats if not s.is_leader).expert,
    }[who]
    client.force_login(user)
    assert press(client, review_round).status_code == 403
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert 'id="issue-button"' not in page
    assert not IssuedDocument.objects.exists()


def test_no_letter_before_the_round_is_concluded(client, personas, all_submitted):
    review_round, _seats = all_submitted
    client.force_login(personas["bureau"])
    assert press(client, review_round).status_code == 403
    assert not IssuedDocument.objects.exists()


# who downloads: everybody who may open the round, nobody else (REV-10)
DOWNLOADS = {
    "bureau": 200,
    "leader": 200,
    "member": 200,
    "alice_owner": 200,
    "olivia_other_owner": 404,
    "dan_district": 404,
    "wu_district": 404,
    "dept_reviewer": 404,
    "carl_contractor": 404,
    "eve_expert": 404,
    "ted_evaluator": 404,
    "dave_outsider": 404,
}


def test_the_readers_of_the_round_download_the_letter_and_nobody_else(client, personas, concluded):
    from greenbuild.reviews import services

    review_round, seats = concluded
    document, _created = services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    users = {
        **personas,
        "leader": next(s for s in seats if s.is_leader).expert,
        "member": next(s for s in seats if not s.is_leader).expert,
    }
    got = {}
    for name in each_persona(client, users, list(DOWNLOADS)):
        response = client.get(reverse("documents:document-download", args=[document.pk]))
        detail = client.get(reverse("documents:document-detail", args=[document.pk]))
        listed = client.get(reverse("documents:document-list")).content.decode()
        got[name] = response.status_code
        assert detail.status_code == response.status_code, name
        assert (document.number in listed) == (response.status_code == 200), name
        if response.status_code == 200:
            assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert got == DOWNLOADS
    client.logout()
    response = client.get(reverse("documents:document-download", args=[document.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    # the attachment behind it is no project file: the district cannot reach it that way either
    client.force_login(personas["dan_district"])
    assert client.get(reverse("attachments:download", args=[document.file_id])).status_code == 404


def test_a_reissue_supersedes_the_letter(client, personas, concluded):
    from greenbuild.reviews import services

    review_round, _seats = concluded
    old, _created = services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    client.force_login(personas["bureau"])
    url = reverse("documents:document-reissue", args=[old.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and IssuedDocument.objects.count() == 1  # stays at its own address
    response = client.post(url, {"reason": "专家姓名有误，更正后重发"})
    new = IssuedDocument.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302 and new.supersedes_id == old.pk and new.serial == old.serial + 1
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert new.number in page and old.number in page and "已作废" in page
    client.force_login(personas["alice_owner"])
    assert client.get(url).status_code == 403  # the owner may read, never re-issue


@needs_pdftotext
def test_the_letter_is_in_chinese_whatever_the_language_and_carries_its_number(client, personas, concluded):
    review_round, _seats = concluded
    client.force_login(personas["bureau"])
    client.post("/en" + reverse("reviews:round-letter", args=[review_round.pk]))
    document = IssuedDocument.objects.get()
    text = pdf_text(document.file.file.open("rb").read())
    compact = "".join(text.split())
    assert document.number in compact
    for words in ("评审意见书", "通过", "常州市住房和城乡建设局", "专家组", "澄清"):
        assert words in compact, words
    assert "Expert review" not in text


def test_the_panel_and_the_owner_are_told_of_the_letter_and_can_open_it(
    client, personas, concluded, django_capture_on_commit_callbacks
):
    from greenbuild.notifications.models import Notification
    from greenbuild.reviews import services

    review_round, seats = concluded
    with django_capture_on_commit_callbacks(execute=True):
        document, _created = services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    told = set(Notification.objects.filter(event__verb="documents.issued").values_list("recipient_id", flat=True))
    expected = {personas["alice_owner"].pk, *(s.expert_id for s in seats)}
    assert told == expected
    for user_id in told:
        client.force_login(next(u for u in [personas["alice_owner"], *(s.expert for s in seats)] if u.pk == user_id))
        assert client.get(reverse("documents:document-detail", args=[document.pk])).status_code == 200
    client.force_login(personas["alice_owner"])
    assert document.number in client.get(reverse("notifications:list")).content.decode()


def test_the_demo_issues_and_reissues_letters_once(personas, concluded):
    from greenbuild.documents.demo import seed_documents

    assert seed_documents(personas["bureau"]) == 2  # the letter, and its re-issue
    assert seed_documents(personas["bureau"]) == 0
    current = IssuedDocument.objects.current().get()
    assert current.kind == DECISION_LETTER and current.supersedes is not None


@needs_pdftotext
def test_a_pass_with_revisions_letter_lists_the_requirements_and_the_deadline(personas, all_submitted):
    import datetime as dt

    from django.utils import timezone

    from greenbuild.reviews import services

    review_round, seats = all_submitted
    leader = next(s for s in seats if s.is_leader)
    deadline = timezone.localdate() + dt.timedelta(days=30)
    services.conclude_round(
        actor=leader.expert,
        round_id=review_round.pk,
        conclusion="passed_with_revisions",
        reasons="原则同意，按要求修改完善后复核。",
        requirements=["补充装配率计算书", "明确BIM交付标准"],
        revision_deadline=deadline,
    )
    document, _created = services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    compact = "".join(pdf_text(document.file.file.open("rb").read()).split())
    for words in ("修改后通过", "修改要求", "补充装配率计算书", "明确BIM交付标准", deadline.strftime("%Y-%m-%d")):
        assert words in compact, words
