"""The permission matrix of every lifecycle page, action and endpoint: 404 for who may not see
the project's internals, 403 for who sees them but may not act, nothing written when refused."""

import json

import pytest
from django.urls import reverse

from greenbuild.api import services as api_services
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ChangeRequestStatus, ItemStatus, StepStatus
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest, ProjectStep
from greenbuild.lifecycle.selectors import current_baseline

pytestmark = pytest.mark.django_db

#: who sees alice's pilot's internals (the project gate): the rest get 404
INSIDERS = {"alice_owner", "dan_district", "bureau", "dept_reviewer", "drc_reviewer"}
OUTSIDERS = {"olivia_other_owner", "wu_district", "carl_contractor", "eve_expert", "ted_evaluator", "dave_outsider"}


def public(persona, allowed, ok):
    """A page of the (published) pilot itself: everyone signed in sees the pilot, so 403."""
    return ok if persona in allowed else 403


def expected(persona, allowed, ok):
    if persona in allowed:
        return ok
    return 403 if persona in INSIDERS else 404


@pytest.fixture
def world(pilot, personas, drc_reviewer):
    users = {**personas, "drc_reviewer": drc_reviewer}
    steps = {s.type.code: s for s in ProjectStep.objects.filter(project=pilot).select_related("type")}
    return pilot, users, steps


def status_of(response):
    return (
        200
        if response.status_code in (200, 302) and "/accounts/login" not in response.get("Location", "")
        else ("login" if response.status_code == 302 else response.status_code)
    )


def test_pages_and_actions(client, world):
    pilot, users, steps = world
    land, approval = steps["land_prereview"], steps["approval"]
    item = approval.items.filter(guideline_item__mandatory=True).first()
    step_url = reverse("lifecycle:step-detail", args=[land.pk])
    sign_url = reverse("lifecycle:step-move", args=[land.pk, "approve"])
    item_url = reverse("lifecycle:item-write", args=[approval.pk, item.pk])
    create_url = reverse("lifecycle:request-create", args=[pilot.pk])
    department_url = reverse("lifecycle:department", args=["natural-resources-planning"])
    v1 = current_baseline(pilot)
    request = services.request_baseline_change(
        actor=users["alice_owner"],
        project_id=pilot.pk,
        reasons="理由",
        targets={**v1.targets, "green_material_pct": "50"},
    )
    detail_url = reverse("lifecycle:request-detail", args=[request.pk])
    decide_url = reverse("lifecycle:request-decide", args=[request.pk, "approve"])
    got, want = {}, {}
    writers = ["dept_reviewer", "drc_reviewer", "bureau"]
    order = [p for p in users if p not in writers] + writers  # the writers last
    for persona in order:
        client.force_login(users[persona])
        want[persona] = {
            "step": expected(persona, INSIDERS, 200),
            "sign": expected(persona, {"dept_reviewer"}, 302),
            "item": expected(persona, {"drc_reviewer"}, 302),
            "create": public(persona, {"alice_owner", "bureau"}, 200),
            "request": expected(persona, INSIDERS, 200),
            "decide": expected(persona, {"bureau"}, 302),
            "department": 200 if persona in ("bureau", "dept_reviewer") else 403,
        }
        got[persona] = {
            "step": client.get(step_url).status_code,
            "sign": client.post(sign_url, {"comment": ""}).status_code,
            "item": client.post(
                item_url, {"item{}-status".format(item.pk): "written", "item{}-note".format(item.pk): "写入"}
            ).status_code,
            "create": client.get(create_url).status_code,
            "request": client.get(detail_url).status_code,
            "decide": client.post(decide_url, {"comment": ""}).status_code,
            "department": client.get(department_url).status_code,
        }
        if persona not in writers:
            assert ProjectStep.objects.get(pk=land.pk).status == StepStatus.OPEN, persona
            item.refresh_from_db()
            assert item.status == ItemStatus.OPEN, persona
        if persona != "bureau":
            assert BaselineChangeRequest.objects.get(pk=request.pk).status == ChangeRequestStatus.PENDING, persona
        client.logout()
    assert got == want
    assert ProjectStep.objects.get(pk=land.pk).signed_by == users["dept_reviewer"]
    assert Baseline.objects.filter(project=pilot).count() == 2
    # anonymous visitors are sent to sign in and change nothing
    for url in (step_url, create_url, detail_url, department_url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert client.post(reverse("lifecycle:step-move", args=[approval.pk, "approve"])).status_code == 302
    assert ProjectStep.objects.get(pk=approval.pk).status == StepStatus.OPEN


def test_bad_input_on_the_pages_shows_the_message_and_writes_nothing(client, world):
    pilot, users, steps = world
    approval = steps["approval"]
    client.force_login(users["drc_reviewer"])
    response = client.post(
        reverse("lifecycle:step-move", args=[approval.pk, "approve"]), {"comment": ""}, follow=True
    )  # UI-07: back at the step's own address, with the message
    assert response.redirect_chain[-1][0].startswith(reverse("lifecycle:step-detail", args=[approval.pk]))
    assert "强制性条目尚未落实" in response.content.decode()
    assert ProjectStep.objects.get(pk=approval.pk).status == StepStatus.OPEN
    client.force_login(users["alice_owner"])
    response = client.post(
        reverse("lifecycle:request-create", args=[pilot.pk]), {"reasons": "", "waste_t_per_10k_m2": "1"}
    )
    assert (
        response.status_code == 400
        and "这个字段是必填项" in response.content.decode()
        or "必填" in response.content.decode()
    )
    assert not BaselineChangeRequest.objects.exists()
    client.force_login(users["dept_reviewer"])
    response = client.get(reverse("lifecycle:step-detail", args=["99999999999999999999"]))
    assert response.status_code == 404


def token_for(user):
    _token, raw = api_services.create_token(actor=user, user=user, name="测试", scope="write")
    return {"HTTP_AUTHORIZATION": "Bearer " + raw}


def call(client, method, path, user, body=None):
    kwargs = dict(token_for(user))
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def test_the_api_matrix(client, world):
    pilot, users, steps = world
    land, approval = steps["land_prereview"], steps["approval"]
    item = approval.items.filter(guideline_item__mandatory=True).first()
    v1 = current_baseline(pilot)
    writers = ["dept_reviewer", "drc_reviewer", "alice_owner", "bureau"]
    for persona in [p for p in users if p not in writers] + writers:
        user = users[persona]
        assert call(client, "get", "/api/v1/project-steps/{}/".format(land.pk), user).status_code == expected(
            persona, INSIDERS, 200
        ), persona
        assert call(client, "get", "/api/v1/baselines/{}/".format(v1.pk), user).status_code == expected(
            persona, INSIDERS, 200
        ), persona
        assert call(client, "get", "/api/v1/step-types/", user).status_code == 200
        listed = call(client, "get", "/api/v1/project-steps/", user).json()
        assert (listed["count"] == 11) == (persona in INSIDERS), persona
        response = call(client, "post", "/api/v1/project-steps/{}/actions/approve/".format(land.pk), user, {})
        assert response.status_code == expected(persona, {"dept_reviewer"}, 200), persona
        response = call(
            client, "patch", "/api/v1/step-items/{}/".format(item.pk), user, {"status": "written", "note": "已写入"}
        )
        assert response.status_code == expected(persona, {"drc_reviewer"}, 200), persona
        response = call(
            client,
            "post",
            "/api/v1/baseline-change-requests/",
            user,
            {"project": pilot.pk, "reasons": "理由", "targets": {**v1.targets, "green_material_pct": "52"}},
        )
        # the bureau may ask too, but alice's request already waits for its decision: 400
        assert response.status_code == (400 if persona == "bureau" else public(persona, {"alice_owner"}, 201)), persona
    change = BaselineChangeRequest.objects.get()
    for persona in ("alice_owner", "dept_reviewer", "carl_contractor"):
        response = call(
            client, "post", "/api/v1/baseline-change-requests/{}/actions/approve/".format(change.pk), users[persona], {}
        )
        assert response.status_code in (403, 404)
    assert Baseline.objects.filter(project=pilot).count() == 1
    response = call(
        client, "post", "/api/v1/baseline-change-requests/{}/actions/approve/".format(change.pk), users["bureau"], {}
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert Baseline.objects.filter(project=pilot).count() == 2
    # a baseline cannot be written through the API
    assert (
        call(client, "patch", "/api/v1/baselines/{}/".format(v1.pk), users["bureau"], {"targets": {}}).status_code
        == 405
    )
    # bad input: signing with open mandatory items, in Chinese, nothing written
    response = call(
        client, "post", "/api/v1/project-steps/{}/actions/approve/".format(approval.pk), users["drc_reviewer"], {}
    )
    assert response.status_code in (200, 400)
