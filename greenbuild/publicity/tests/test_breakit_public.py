"""Break-it findings (reviewer breakit-public): each test fails without its fix."""

import pytest
from rest_framework.test import APIClient

from greenbuild.publicity import services

pytestmark = pytest.mark.django_db


def test_the_open_messages_filter_by_pilot_works(pilot, filed_project, personas):
    """``/api/v1/open/public-messages/?project=<id>`` (documented in the schema) was a 400 for
    every value: the list's parameter check did not know it."""
    other = filed_project("confirmed", name="另一试点")
    for project in (pilot, other):
        message = services.leave_message(project_id=project.pk, category="dust", text="扬尘 {}".format(project.pk))
        services.answer_message(actor=personas["bureau"], message_id=message.pk, answer="已处理")
    client = APIClient()
    response = client.get("/api/v1/open/public-messages/", {"project": pilot.pk})
    assert response.status_code == 200
    assert [row["project"] for row in response.json()["results"]] == [pilot.pk]
    assert client.get("/api/v1/open/public-messages/", {"project": 10**9}).json()["count"] == 0
    assert client.get("/api/v1/open/public-messages/", {"project": "abc"}).status_code == 400
    assert client.get("/api/v1/open/public-messages/").json()["count"] == 2


def test_the_owner_answers_a_complaint_but_never_rewords_it(client, pilot, personas):
    """The owner the complaint is about could set the published wording of the sender's message
    (``public_text``) and so publish a softened complaint beside its own answer. Only the district
    and the bureau (who see the sender's details) set the wording; page, API and service."""
    from django.urls import reverse

    from greenbuild.core.errors import DomainError
    from greenbuild.publicity.models import PublicMessage

    first = services.leave_message(project_id=pilot.pk, category="noise", text="夜间噪声扰民，凌晨两点仍在施工")
    with pytest.raises(DomainError):
        services.answer_message(
            actor=personas["alice_owner"], message_id=first.pk, answer="已整改", public_text="施工有些声音"
        )
    api = APIClient()
    api.force_authenticate(personas["alice_owner"])
    response = api.post(
        "/api/v1/public-messages/{}/actions/answer/".format(first.pk),
        {"answer": "已整改", "public_text": "施工有些声音"},
        format="json",
    )
    assert response.status_code == 400
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("publicity:message-detail", args=[first.pk])).content.decode()
    assert 'name="answer"' in page and 'name="public_text"' not in page
    client.post(
        reverse("publicity:message-answer", args=[first.pk]), {"answer": "已整改", "public_text": "施工有些声音"}
    )
    first.refresh_from_db()
    assert first.status == "answered" and first.public_text == "夜间噪声扰民，凌晨两点仍在施工"
    second = services.leave_message(project_id=pilot.pk, category="dust", text="扬尘，电话 13812345678")
    services.answer_message(actor=personas["dan_district"], message_id=second.pk, answer="已处理", public_text="扬尘")
    assert PublicMessage.objects.get(pk=second.pk).public_text == "扬尘"
