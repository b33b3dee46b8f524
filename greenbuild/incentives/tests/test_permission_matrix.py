"""The permission matrix of every incentives page, action and endpoint: an organisation's members
see only their own enterprise page; the bureau sees and writes everything; the public page shows
only published, non-sensitive data; nothing is written when refused."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from greenbuild.incentives import services
from greenbuild.incentives.models import BonusRecord, EscrowEligibility, TrainingAttendance, TrainingSession
from greenbuild.incentives.tests.conftest import conclude
from greenbuild.testing.matrix import PERSONAS, each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pilot, personas, orgs, rule):
    bureau = personas["bureau"]
    conclude(pilot, personas)
    records = services.award_bonuses(actor=bureau, project_id=pilot.pk)
    eligibility = services.assess_escrow(actor=bureau, project_id=pilot.pk)
    session = services.create_session(
        actor=bureau,
        data={"topic": "宣贯培训", "date": dt.date(2021, 9, 15), "place": "301", "audiences": ["construction"]},
    )
    services.record_attendance(
        actor=bureau,
        session_id=session.pk,
        data={"person_name": "王磊", "organisation_name": orgs["contractor"].name, "audience": "construction"},
    )
    return {
        "pilot": pilot,
        "record": next(r for r in records if r.role == "contractor"),
        "eligibility": eligibility,
        "session": session,
        "owner": orgs["owner"],
        "contractor": orgs["contractor"],
    }


PAGES = ["ent_owner", "ent_contractor", "public", "bonuses", "bonus", "escrow", "rules", "training", "session"]
PAGE_MATRIX = """
alice_owner         ok    404   ok ok    404   ok    ok    404   404
olivia_other_owner  404   404   ok ok    404   404   ok    404   404
dan_district        404   404   ok ok    ok    ok    ok    ok    ok
wu_district         404   404   ok ok    404   404   ok    ok    ok
bureau              ok    ok    ok ok    ok    ok    ok    ok    ok
dept_reviewer       404   404   ok ok    404   404   ok    404   404
carl_contractor     404   ok    ok ok    ok    404   ok    404   404
eve_expert          404   404   ok ok    404   404   ok    404   404
ted_evaluator       404   404   ok ok    404   404   ok    404   404
dave_outsider       404   404   ok ok    404   404   ok    404   404
anonymous           login login ok login login login login login login
"""


def _page_urls(world):
    return {
        "ent_owner": reverse("incentives:enterprise", args=[world["owner"].pk]),
        "ent_contractor": reverse("incentives:enterprise", args=[world["contractor"].pk]),
        "public": reverse("incentives:enterprise-public", args=[world["contractor"].pk]),
        "bonuses": reverse("incentives:bonus-list"),
        "bonus": reverse("incentives:bonus-detail", args=[world["record"].pk]),
        "escrow": reverse("incentives:escrow-detail", args=[world["eligibility"].pk]),
        "rules": reverse("incentives:rule-list"),
        "training": reverse("incentives:session-list"),
        "session": reverse("incentives:session-detail", args=[world["session"].pk]),
    }


def test_page_matrix(client, personas, world):
    expected = table(PAGE_MATRIX, PAGES)
    urls = _page_urls(world)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == expected


def test_a_member_sees_only_their_own_enterprise_s_bonuses_in_the_list(client, personas, world):
    client.force_login(personas["carl_contractor"])
    page = client.get(reverse("incentives:bonus-list")).content.decode()
    assert "中建八局三公司" in page and "常州天宁置业有限公司" not in page
    client.force_login(personas["olivia_other_owner"])
    page = client.get(reverse("incentives:bonus-list")).content.decode()
    assert "激励试点" not in page


def test_the_public_page_shows_published_data_only(client, personas, world, orgs, designer_org):
    from greenbuild.projects import services as project_services
    from greenbuild.testing.factories import make_project

    services.revoke_bonus(actor=personas["bureau"], record_id=world["record"].pk, reason="撤销理由保密")
    draft = make_project(personas["alice_owner"], name="未公开草稿项目", with_building=False)
    project_services.add_participant(
        actor=personas["alice_owner"], project_id=draft.pk, organisation=orgs["contractor"], role="contractor"
    )
    page = client.get(reverse("incentives:enterprise-public", args=[world["contractor"].pk])).content.decode()
    assert "激励试点" in page
    assert "未公开草稿项目" not in page  # not a confirmed pilot
    assert "撤销理由保密" not in page and "王磊" not in page  # no revocation reasons, no people
    assert "3.0" not in page  # the revoked bonus is not shown
    # an organisation without a published pilot has no public page
    assert client.get(reverse("incentives:enterprise-public", args=[orgs["evaluator"].pk])).status_code == 404
    assert client.get("/incentives/public/enterprises/99999999999999999999/").status_code == 404


ACTIONS = ["revoke", "release", "attend", "edit_session"]
ACTION_MATRIX = """
alice_owner         404 403 404 404
olivia_other_owner  404 404 404 404
dan_district        403 403 403 403
wu_district         404 404 403 403
bureau              done done done done
dept_reviewer       404 404 404 404
carl_contractor     403 404 404 404
eve_expert          404 404 404 404
ted_evaluator       404 404 404 404
dave_outsider       404 404 404 404
anonymous           login login login login
"""


def _state():
    return (
        list(BonusRecord.objects.order_by("pk").values_list("status", "revoke_reason")),
        list(EscrowEligibility.objects.order_by("pk").values_list("status", "release_note")),
        TrainingAttendance.objects.count(),
        list(TrainingSession.objects.values_list("topic", flat=True)),
    )


def test_action_matrix_and_nothing_written_when_refused(client, personas, world):
    record, eligibility, session = world["record"], world["eligibility"], world["session"]
    actions = {
        "revoke": (
            reverse("incentives:bonus-revoke", args=[record.pk]),
            {"comment": "质量问题"},
            reverse("incentives:bonus-detail", args=[record.pk]),
        ),
        "release": (
            reverse("incentives:escrow-release", args=[eligibility.pk]),
            {"comment": "银行通知"},
            reverse("incentives:escrow-detail", args=[eligibility.pk]),
        ),
        "attend": (
            reverse("incentives:attendance-add", args=[session.pk]),
            {"person_name": "李娜", "organisation_name": "某公司", "audience": "construction"},
            reverse("incentives:session-detail", args=[session.pk]),
        ),
        "edit_session": (
            reverse("incentives:session-edit", args=[session.pk]),
            {"topic": "改名", "date": "2021-09-15", "place": "301", "audiences": ["construction"]},
            reverse("incentives:session-detail", args=[session.pk]),
        ),
    }
    expected = table(ACTION_MATRIX, ACTIONS)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, detail) in actions.items():
            with undone():
                before = _state()
                result, _response = outcome(client, "post", url, data, detail)
                after = _state()
            got[persona][name] = result
            assert (after != before) == (result == "done"), (persona, name, result)
    assert got == expected


def test_a_refused_form_keeps_its_input_at_its_own_address(client, personas, world):
    client.force_login(personas["bureau"])
    url = reverse("incentives:bonus-revoke", args=[world["record"].pk])
    detail = reverse("incentives:bonus-detail", args=[world["record"].pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302 and response["Location"] == detail
    assert 'id="id_comment_error"' in client.get(detail).content.decode()
    url = reverse("incentives:attendance-add", args=[world["session"].pk])
    response = client.post(url, {"person_name": "赵敏", "organisation_name": "", "audience": "construction"})
    page = client.get(response["Location"]).content.decode()
    assert 'value="赵敏"' in page
    assert TrainingAttendance.objects.count() == 1


API_READS = ["records", "record", "escrow", "rules", "sessions", "attendance"]
API_READ_MATRIX = """
alice_owner         1   404 1 1 0   0
olivia_other_owner  0   404 0 1 0   0
dan_district        3   200 1 1 1   1
wu_district         0   404 0 1 1   1
bureau              3   200 1 1 1   1
dept_reviewer       0   404 0 1 0   0
carl_contractor     1   200 0 1 0   1
eve_expert          0   404 0 1 0   0
ted_evaluator       0   404 0 1 0   0
dave_outsider       0   404 0 1 0   0
"""


def _api_read(client, path):
    response = client.get(path)
    if response.status_code != 200:
        return str(response.status_code)
    body = response.json()
    return str(body["count"]) if "results" in body else "200"


def test_api_read_matrix(client, personas, world):
    names = [p for p in PERSONAS if p != "anonymous"]
    expected = table(API_READ_MATRIX, API_READS, personas=names)
    paths = {
        "records": "/api/v1/bonus-records/",
        "record": "/api/v1/bonus-records/{}/".format(world["record"].pk),
        "escrow": "/api/v1/escrow-eligibilities/",
        "rules": "/api/v1/bonus-rules/",
        "sessions": "/api/v1/training-sessions/",
        "attendance": "/api/v1/training-attendance/",
    }
    got = {}
    for persona in each_persona(client, personas, names):
        got[persona] = {name: _api_read(client, path) for name, path in paths.items()}
    assert got == expected


API_WRITES = ["revoke", "release", "session", "attend", "award"]
API_WRITE_MATRIX = """
alice_owner         404 403 403 404 403
dan_district        403 403 403 403 403
carl_contractor     403 404 403 404 403
dave_outsider       404 404 403 404 403
bureau              200 200 201 201 201
"""


def test_api_write_matrix_and_nothing_written_when_refused(client, personas, world):
    calls = {
        "revoke": ("/api/v1/bonus-records/{}/actions/revoke/".format(world["record"].pk), {"comment": "质量问题"}),
        "release": (
            "/api/v1/escrow-eligibilities/{}/actions/release/".format(world["eligibility"].pk),
            {"comment": "银行通知"},
        ),
        "session": (
            "/api/v1/training-sessions/",
            {"topic": "新培训", "date": "2022-01-01", "place": "1", "audiences": ["design"]},
        ),
        "attend": (
            "/api/v1/training-sessions/{}/attendance/".format(world["session"].pk),
            {"person_name": "李娜", "organisation_name": "某公司", "audience": "construction"},
        ),
        "award": ("/api/v1/bonus-records/award/", {"project": world["pilot"].pk}),
    }
    names = ["alice_owner", "dan_district", "carl_contractor", "dave_outsider", "bureau"]
    expected = table(API_WRITE_MATRIX, API_WRITES, personas=names)
    got = {}
    for persona in each_persona(client, personas, names):
        got[persona] = {}
        for name, (path, body) in calls.items():
            with undone():
                before = _state()
                response = client.post(path, json.dumps(body), content_type="application/json")
                after = _state()
            got[persona][name] = str(response.status_code)
            if name != "award":  # the bonuses exist already: a second award adds none
                assert (after != before) == (response.status_code in (200, 201)), (persona, name, response.content)
            else:
                assert after == before
    assert got == expected


def test_api_bad_input_is_a_field_error_and_writes_nothing(client, personas, world):
    client.force_login(personas["bureau"])
    before = _state()
    for path, body in [
        ("/api/v1/bonus-records/{}/actions/revoke/".format(world["record"].pk), {}),
        ("/api/v1/bonus-records/{}/actions/revoke/".format(world["record"].pk), {"reason": "x"}),
        ("/api/v1/training-sessions/", {"topic": "t", "date": "不是日期", "place": "p", "audiences": ["design"]}),
        ("/api/v1/training-sessions/", {"topic": "t", "date": "2022-01-01", "place": "p", "audiences": ["木工"]}),
        ("/api/v1/training-sessions/{}/attendance/".format(world["session"].pk), {"person_name": "x"}),
        ("/api/v1/bonus-records/award/", {"project": "abc"}),
        ("/api/v1/escrow-eligibilities/assess/", {"project": 10**20}),
    ]:
        response = client.post(path, json.dumps(body), content_type="application/json")
        assert response.status_code in (400, 404), (path, body, response.status_code)
    assert _state() == before
