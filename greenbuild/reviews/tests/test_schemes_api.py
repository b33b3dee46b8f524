"""Criteria schemes in the API (issue 18 item 5, API-07): listable with their sections, bands and
versions through the scheme gate; a round names its scheme by id, the id a draw takes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenbuild.reviews import services
from greenbuild.reviews.models import CriteriaScheme
from greenbuild.reviews.permissions import SCHEME_GATE
from greenbuild.testing.gates import gate_disagreements, users_of

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_lists_the_schemes_offered_with_their_sections(client, personas, scheme):
    client.force_login(personas["alice_owner"])
    answer = client.get("/api/v1/criteria-schemes/")
    assert answer.status_code == 200, answer.content
    rows = answer.json()["results"]
    listed = next(row for row in rows if row["id"] == scheme.pk)
    assert listed["name"] == scheme.name and listed["active"] is True
    assert [s["id"] for s in listed["sections"]] == list(scheme.sections.values_list("pk", flat=True))
    assert listed["sections"][0]["title"] == scheme.sections.first().title_zh
    assert listed["bands"] and listed["based_on"] is None and listed["in_use"] is False
    english = client.get("/api/v1/criteria-schemes/{}/".format(scheme.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["sections"][0]["title"] == scheme.sections.first().title_en


def test_a_new_version_is_linked_both_ways_and_the_old_one_is_seen_by_the_bureau_only(client, personas, scheme):
    copy = services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk, name="新版本")
    scheme.refresh_from_db()
    assert scheme.active is False  # the old version is no longer offered
    client.force_login(personas["bureau"])
    old = client.get("/api/v1/criteria-schemes/{}/".format(scheme.pk)).json()
    new = client.get("/api/v1/criteria-schemes/{}/".format(copy.pk)).json()
    assert old["versions"] == [copy.pk] and new["based_on"] == scheme.pk
    filtered = client.get("/api/v1/criteria-schemes/", {"based_on": scheme.pk}).json()["results"]
    assert [row["id"] for row in filtered] == [copy.pk]
    inactive = client.get("/api/v1/criteria-schemes/", {"active": "false"}).json()["results"]
    assert scheme.pk in [row["id"] for row in inactive] and copy.pk not in [row["id"] for row in inactive]
    for name in ("alice_owner", "dave_outsider", "eve_expert"):
        client.force_login(personas[name])
        assert client.get("/api/v1/criteria-schemes/{}/".format(scheme.pk)).status_code == 404, name
        assert client.get("/api/v1/criteria-schemes/{}/".format(copy.pk)).status_code == 200, name
    client.logout()
    assert client.get("/api/v1/criteria-schemes/{}/".format(copy.pk)).status_code in (401, 404)
    listed = client.get("/api/v1/criteria-schemes/")
    assert listed.status_code in (401, 403) or listed.json()["results"] == []


def test_a_round_names_its_scheme_by_id_and_its_experts_and_owner_still_read_it(client, personas, drawn, scheme):
    review_round, seats = drawn
    services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk, name="新版本")
    client.force_login(personas["bureau"])
    answer = client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).json()
    assert answer["scheme_id"] == scheme.pk and answer["scheme"] == scheme.name
    scheme_answer = client.get("/api/v1/criteria-schemes/{}/".format(answer["scheme_id"])).json()
    assert scheme_answer["in_use"] is True
    for user in (personas["alice_owner"], seats[0].expert):  # the old version, through the round
        client.force_login(user)
        assert client.get("/api/v1/criteria-schemes/{}/".format(scheme.pk)).status_code == 200
    client.force_login(personas["dave_outsider"])
    assert client.get("/api/v1/criteria-schemes/{}/".format(scheme.pk)).status_code == 404


def test_the_scheme_gates_two_forms_agree(personas, drawn, scheme):
    services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk, name="新版本")
    users = users_of(personas)
    users.update({"expert{}".format(i): seat.expert for i, seat in enumerate(drawn[1])})
    assert gate_disagreements(SCHEME_GATE, users, list(CriteriaScheme.objects.all())) == []


def test_the_scheme_list_costs_the_same_queries_whatever_the_number_of_schemes(client, personas, scheme):
    client.force_login(personas["bureau"])
    client.get("/api/v1/criteria-schemes/")
    with CaptureQueriesContext(connection) as before:
        assert client.get("/api/v1/criteria-schemes/").status_code == 200
    source = scheme
    for n in range(3):
        source = services.copy_scheme_as_new_version(
            actor=personas["bureau"], scheme_id=source.pk, name="版本{}".format(n)
        )
    with CaptureQueriesContext(connection) as after:
        answer = client.get("/api/v1/criteria-schemes/")
    assert answer.json()["count"] >= 4
    assert len(after) == len(before)


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_an_active_filter_that_is_not_a_boolean_is_a_400_naming_it(client, personas, scheme, value):
    """``?active=maybe`` was ignored (every scheme listed), so a client believed it filtered."""
    client.force_login(personas["bureau"])
    answer = client.get("/api/v1/criteria-schemes/", {"active": value})
    assert answer.status_code == 400, answer.content
    assert "active" in answer.json()["errors"]
    for value, expected in (("true", True), ("false", False), ("1", True), ("0", False)):
        rows = client.get("/api/v1/criteria-schemes/", {"active": value}).json()["results"]
        assert all(row["active"] is expected for row in rows), value


def test_a_draw_takes_no_scheme_that_is_not_offered(client, personas, pool, submitted_plan, scheme):
    """A scheme the bureau alone sees (an old version) or no scheme at all is refused by the draw:
    400 naming ``scheme``, no round."""
    from greenbuild.reviews.models import ReviewRound

    copy = services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk, name="新版本")
    client.force_login(personas["bureau"])
    for value in (scheme.pk, 999999, "abc", True, 1.5, None):
        answer = client.post(
            "/api/v1/review-rounds/",
            {"plan": submitted_plan.pk, "panel_size": 3, "scheme": value},
            content_type="application/json",
        )
        assert answer.status_code == 400, (value, answer.content)
        assert "scheme" in answer.json()["errors"], (value, answer.json())
    assert not ReviewRound.objects.exists()
    answer = client.post(
        "/api/v1/review-rounds/", {"plan": submitted_plan.pk, "panel_size": 3}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["scheme_id"] == copy.pk  # the default: the scheme offered
