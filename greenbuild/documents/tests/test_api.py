"""The register over /api/v1/documents/: the same gate and the same services as the pages."""

from __future__ import annotations

from django.urls import reverse

from greenbuild.documents.models import IssuedDocument
from greenbuild.reviews.letter import DECISION_LETTER


def test_the_api_issues_once_lists_through_the_round_gate_and_reissues(client, personas, concluded):
    review_round, seats = concluded
    body = {"kind": DECISION_LETTER, "object": review_round.pk}
    client.force_login(personas["alice_owner"])
    assert client.post("/api/v1/documents/", body, content_type="application/json").status_code == 403
    client.force_login(personas["dan_district"])
    assert client.post("/api/v1/documents/", body, content_type="application/json").status_code == 404
    client.force_login(personas["bureau"])
    first = client.post("/api/v1/documents/", body, content_type="application/json")
    again = client.post("/api/v1/documents/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and IssuedDocument.objects.count() == 1
    document = first.json()
    assert (
        document["current"]
        and document["number"].startswith("常住建绿审")
        and document["object_type"] == ("reviews.reviewround")
    )
    bad = client.post(
        "/api/v1/documents/{}/actions/reissue/".format(document["id"]), {}, content_type="application/json"
    )
    assert bad.status_code == 400 and IssuedDocument.objects.count() == 1
    new = client.post(
        "/api/v1/documents/{}/actions/reissue/".format(document["id"]),
        {"reason": "更正"},
        content_type="application/json",
    )
    assert new.status_code == 201 and new.json()["supersedes"] == document["id"]
    old = client.get("/api/v1/documents/{}/".format(document["id"])).json()
    assert not old["current"] and old["superseded_by"] == new.json()["id"]

    leader = next(s for s in seats if s.is_leader).expert
    for user, count in ((leader, 2), (personas["alice_owner"], 2), (personas["dan_district"], 0)):
        client.force_login(user)
        assert client.get("/api/v1/documents/").json()["count"] == count
        status = client.get("/api/v1/documents/{}/download/".format(document["id"])).status_code
        assert status == (200 if count else 404)
    client.force_login(personas["dan_district"])
    assert client.get(reverse("documents:document-detail", args=[document["id"]])).status_code == 404
