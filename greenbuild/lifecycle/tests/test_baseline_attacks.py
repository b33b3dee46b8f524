"""Issue 16 item 5, attacked: every path to a baseline change (service, page, API, admin), as every
role, with stale and doubled submissions and malformed input. Each test is the regression test of a
defect found in review (or of a path that must keep holding)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from greenbuild.core.errors import DomainError
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ChangeRequestStatus
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest
from greenbuild.lifecycle.selectors import current_baseline
from greenbuild.testing.factories import make_attachment, make_token

pytestmark = pytest.mark.django_db

API = "/api/v1/baseline-change-requests/"


def auth(user):
    _row, token = make_token(user, scope="write")
    return {"HTTP_AUTHORIZATION": "Bearer " + token}


def ask(pilot, personas, **targets):
    baseline = current_baseline(pilot)
    return services.request_baseline_change(
        actor=personas["alice_owner"],
        project_id=pilot.pk,
        reasons="调整",
        targets={**baseline.targets, **targets},
    )


# --- a target cleared is a requirement no longer met ------------------------------------------------


def test_a_change_that_clears_a_building_rate_is_refused(pilot, personas):
    """R9 passed; with a building's rate left out, R9 is "unknown" and was approved plainly."""
    baseline = current_baseline(pilot)
    with pytest.raises(DomainError) as excinfo:
        services.request_baseline_change(
            actor=personas["alice_owner"],
            project_id=pilot.pk,
            reasons="不再约定装配率",
            targets={**baseline.targets, "assembly_rate_pct_by_building": {}},
        )
    assert excinfo.value.field in ("targets", "assembly_rate_pct_by_building")
    assert not BaselineChangeRequest.objects.exists()


@pytest.mark.parametrize("key", ["waste_t_per_10k_m2", "green_material_pct", "star_level"])
def test_a_change_that_clears_a_required_target_is_refused(pilot, personas, key):
    with pytest.raises(DomainError):
        ask(pilot, personas, **{key: ""})
    assert not BaselineChangeRequest.objects.exists()


# --- malformed input through the API: 400, never 500, nothing stored -----------------------------------


@pytest.mark.parametrize(
    "targets",
    [
        "60",
        ["60"],
        None,
        {"green_material_pct": "NaN"},
        {"green_material_pct": "Infinity"},
        {"green_material_pct": "1e999999"},
        {"green_material_pct": -5},
        {"green_material_pct": [1]},
        {"waste_t_per_10k_m2": "9" * 400},
        {"assembly_rate_pct_by_building": {"999999": "60"}},
        {"assembly_rate_pct_by_building": {"abc": "60"}},
        {"assembly_rate_pct_by_building": ["60"]},
        {"star_level": "five_star"},
        {"unknown_key": 1},
    ],
)
def test_malformed_targets_are_refused_with_a_400(pilot, personas, client, targets):
    baseline = current_baseline(pilot)
    body = {
        "project": pilot.pk,
        "reasons": "调整",
        "targets": {**baseline.targets, **targets} if isinstance(targets, dict) else targets,
    }
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 400, response.content
    assert not BaselineChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"measures": {"Z-99": "x"}},
        {"measures": {"D-01": 5}},
        {"measures": ["D-01"]},
        {"measures": {"D-01": "x" * 6000}},
        {"documents": [True]},
        {"documents": ["abc"]},
        {"documents": [-1]},
        {"documents": 5},
        {"documents": list(range(1, 30))},
        {"reasons": ["a"]},
        {"reasons": ""},
        {"project": "abc"},
        {"project": None},
    ],
)
def test_malformed_measures_documents_and_reasons_are_refused(pilot, personas, client, extra):
    baseline = current_baseline(pilot)
    body = {"project": pilot.pk, "reasons": "调整", "targets": {**baseline.targets, "green_material_pct": "65"}}
    body.update(extra)
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code in (400, 404), response.content
    assert not BaselineChangeRequest.objects.exists()


def test_unicode_reasons_and_measures_are_kept(pilot, personas, client):
    baseline = current_baseline(pilot)
    body = {
        "project": pilot.pk,
        "reasons": "地基 ✓ 𠀀 改为现浇",
        "targets": baseline.targets,
        "measures": {"D-01": "标准化 𠀀 户型"},
    }
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 201, response.content
    assert response.json()["reasons"] == "地基 ✓ 𠀀 改为现浇"


# --- documents -------------------------------------------------------------------------------------------


def test_a_document_of_another_project_is_refused(pilot, personas, filed_project, client):
    other = filed_project("confirmed", name="另一个试点")
    foreign = make_attachment(other, actor=personas["alice_owner"])
    baseline = current_baseline(pilot)
    body = {
        "project": pilot.pk,
        "reasons": "调整",
        "targets": {**baseline.targets, "green_material_pct": "65"},
        "documents": [foreign.pk],
    }
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 400 and not BaselineChangeRequest.objects.exists()


def test_a_file_of_the_owners_unsent_plan_draft_is_refused(pilot, personas, client):
    """A file the owner put on the plan's draft and never sent must not reach the bureau and the
    district through a change request."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.plans.models import GreenPlan

    plan = GreenPlan.objects.get(project=pilot)
    draft_file = make_attachment(pilot, actor=personas["alice_owner"], kind=AttachmentKind.PLAN, name="草稿.pdf")
    plan.draft_attachments.add(draft_file)
    baseline = current_baseline(pilot)
    body = {
        "project": pilot.pk,
        "reasons": "调整",
        "targets": {**baseline.targets, "green_material_pct": "65"},
        "documents": [draft_file.pk],
    }
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 400, response.content
    assert not BaselineChangeRequest.objects.exists()


def test_a_file_of_a_sent_plan_version_may_be_named(pilot, personas, client):
    from greenbuild.plans.models import PlanVersion

    sent = make_attachment(pilot, actor=personas["alice_owner"], name="方案附件.pdf")
    version = PlanVersion.objects.filter(plan__project=pilot).order_by("-number").first()
    version.attachments.add(sent)
    version.plan.draft_attachments.add(sent)
    baseline = current_baseline(pilot)
    body = {
        "project": pilot.pk,
        "reasons": "调整",
        "targets": {**baseline.targets, "green_material_pct": "65"},
        "documents": [sent.pk],
    }
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 201, response.content


# --- who may ask and decide ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "olivia_other_owner",
        "carl_contractor",
        "dan_district",
        "dept_reviewer",
        "eve_expert",
        "ted_evaluator",
        "dave_outsider",
        "wu_district",
    ],
)
def test_only_the_owner_and_the_bureau_ask_for_a_change(pilot, personas, client, who):
    baseline = current_baseline(pilot)
    body = {"project": pilot.pk, "reasons": "调整", "targets": {**baseline.targets, "green_material_pct": "65"}}
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas[who]))
    assert response.status_code in (403, 404), (who, response.status_code)
    client.force_login(personas[who])
    page = client.get(reverse("lifecycle:request-create", args=[pilot.pk]))
    assert page.status_code in (403, 404)
    assert not BaselineChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        "alice_owner",
        "olivia_other_owner",
        "carl_contractor",
        "dan_district",
        "dept_reviewer",
        "eve_expert",
        "ted_evaluator",
        "dave_outsider",
    ],
)
def test_only_the_bureau_decides(pilot, personas, client, who):
    change = ask(pilot, personas, green_material_pct="65")
    for move in ("approve", "approve_exception", "refuse"):
        response = client.post(
            API + "{}/actions/{}/".format(change.pk, move),
            json.dumps({"comment": "x"}),
            content_type="application/json",
            **auth(personas[who]),
        )
        assert response.status_code in (403, 404), (who, move, response.status_code)
    client.force_login(personas[who])
    response = client.post(reverse("lifecycle:request-detail", args=[change.pk]), {"action": "approve"})
    assert response.status_code in (403, 404)
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING


def test_anonymous_is_refused(pilot, personas, client):
    change = ask(pilot, personas, green_material_pct="65")
    assert client.post(API + "{}/actions/approve/".format(change.pk)).status_code in (401, 403)
    response = client.post(reverse("lifecycle:request-detail", args=[change.pk]), {"action": "approve"})
    assert response.status_code == 302 and "login" in response["Location"]
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING


# --- stale and doubled --------------------------------------------------------------------------------------


def test_a_second_pending_request_is_refused_and_approving_twice_changes_nothing(pilot, personas, client):
    change = ask(pilot, personas, green_material_pct="65")
    with pytest.raises(DomainError):
        ask(pilot, personas, green_material_pct="70")
    headers = auth(personas["bureau"])
    url = API + "{}/actions/approve/".format(change.pk)
    assert client.post(url, "{}", content_type="application/json", **headers).status_code == 200
    second = client.post(url, "{}", content_type="application/json", **headers)
    assert second.status_code in (400, 409)
    assert Baseline.objects.filter(project=pilot).count() == 2


def test_a_request_on_an_unconfirmed_project_is_refused(filed_project, personas, client):
    candidate = filed_project("candidate", name="候选项目")
    body = {"project": candidate.pk, "reasons": "调整", "targets": {"green_material_pct": "65"}}
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code in (400, 403)
    assert not BaselineChangeRequest.objects.exists()


def test_a_request_of_a_withdrawn_pilot_is_not_approved(pilot, personas):
    """Withdrawn after the request was made: no new baseline version is locked for it."""
    change = ask(pilot, personas, green_material_pct="65")
    type(pilot).objects.filter(pk=pilot.pk).update(status="withdrawn")
    with pytest.raises(DomainError):
        services.decide_baseline_change(actor=personas["bureau"], request_id=change.pk, action="approve")
    assert Baseline.objects.filter(project=pilot).count() == 1


# --- the admin --------------------------------------------------------------------------------------------


def test_the_admin_history_cannot_revert_a_decided_request(pilot, personas, client, django_user_model):
    change = ask(pilot, personas, green_material_pct="65")
    pending_history = change.history.order_by("history_id").first()
    services.decide_baseline_change(actor=personas["bureau"], request_id=change.pk, action="approve")
    admin = django_user_model.objects.create_superuser("rv-admin", "rv-admin@example.com", "pw-rv-admin-1")
    client.force_login(admin)
    url = reverse("admin:lifecycle_baselinechangerequest_simple_history", args=[change.pk, pending_history.history_id])
    posted = {
        "project": pilot.pk,
        "baseline": change.baseline_id,
        "status": "pending",
        "reasons": "改回",
        "proposed_targets": json.dumps(change.proposed_targets),
        "proposed_measures": "{}",
        "requested_by": personas["alice_owner"].pk,
        "exception_requirements": "[]",
        "_change_history": "1",
    }
    response = client.post(url, posted)
    assert response.status_code in (403, 405)
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.APPROVED


# --- measures and comments ------------------------------------------------------------------------------


def test_a_mandatory_measure_cannot_be_removed_by_a_change(pilot, personas, client):
    """The plan could not be sent without it; a change request emptied it and was approved plainly."""
    from greenbuild.guidelines.selectors import measure_items
    from greenbuild.plans.models import GreenPlan

    plan = GreenPlan.objects.select_related("guideline").get(project=pilot)
    code = measure_items(plan.guideline).filter(mandatory=True).values_list("code", flat=True).first()
    assert code
    baseline = current_baseline(pilot)
    with pytest.raises(DomainError) as excinfo:
        services.request_baseline_change(
            actor=personas["alice_owner"],
            project_id=pilot.pk,
            reasons="删除措施",
            targets=baseline.targets,
            measures={code: ""},
        )
    assert excinfo.value.field == "measures" and code in str(excinfo.value.message)
    # the page: the emptied measure is refused, what was typed is kept
    client.force_login(personas["alice_owner"])
    url = reverse("lifecycle:request-create", args=[pilot.pk])
    form = client.get(url).context["form"]
    posted = {name: ("" if value is None else value) for name, value in form.initial.items()}
    posted.update({"reasons": "删除措施（页面）", "measure_" + code: ""})
    response = client.post(url, posted)
    assert response.status_code == 400 and "删除措施（页面）" in response.content.decode()
    assert not BaselineChangeRequest.objects.exists()


def test_an_over_long_decision_comment_is_refused_on_the_page(pilot, personas, client):
    change = ask(pilot, personas, green_material_pct="65")
    client.force_login(personas["bureau"])
    url = reverse("lifecycle:request-detail", args=[change.pk])
    response = client.post(url, {"action": "refuse", "comment": "长" * 6000})
    assert response.status_code == 400
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING and change.comment == ""


def test_a_cleared_rate_on_the_page_is_refused_and_the_input_kept(pilot, personas, client):
    client.force_login(personas["alice_owner"])
    url = reverse("lifecycle:request-create", args=[pilot.pk])
    form = client.get(url).context["form"]
    posted = {name: ("" if value is None else value) for name, value in form.initial.items()}
    name = form.building_fields[0][1]
    posted.update({"reasons": "不再约定（页面）", name: ""})
    response = client.post(url, posted)
    assert response.status_code == 400 and "不再约定（页面）" in response.content.decode()
    assert not BaselineChangeRequest.objects.exists()


# --- the verdict table against a baseline approved as an exception ------------------------------------------


def test_r10_on_the_scores_page_still_reads_the_national_cap_after_an_exception(pilot, personas, client):
    """The bureau approved a waste target of 350 t/10,000 m² as an exception (the national cap is
    200 here); the site achieves 320: within the baseline, above the cap. The project page flags
    "不满足 R10（经批准例外）"; the verdict table must not say R10 is met."""
    from types import SimpleNamespace

    from django.utils import translation

    from greenbuild.scoring.figures import pilot_checks

    change = ask(pilot, personas, waste_t_per_10k_m2="350")
    services.decide_baseline_change(
        actor=personas["bureau"], request_id=change.pk, action="approve_exception", comment="场地条件所限"
    )
    latest = {"waste": SimpleNamespace(result={"intensity_t_per_10k_m2": "320"}, building=None)}
    with translation.override("zh-hans"):
        r10 = next(c for c in pilot_checks(pilot, latest, {}) if c.requirement == "R10")
        reason = str(r10.reason)
    assert r10.status == "fail" and "320" in reason and "200" in reason
    latest["waste"] = SimpleNamespace(result={"intensity_t_per_10k_m2": "150"}, building=None)
    assert next(c for c in pilot_checks(pilot, latest, {}) if c.requirement == "R10").status == "pass"


def test_a_read_token_neither_asks_nor_decides(pilot, personas, client):
    baseline = current_baseline(pilot)
    body = {"project": pilot.pk, "reasons": "调整", "targets": {**baseline.targets, "green_material_pct": "65"}}
    _row, token = make_token(personas["alice_owner"], scope="read")
    response = client.post(API, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION="Bearer " + token)
    assert response.status_code == 403 and not BaselineChangeRequest.objects.exists()
    change = ask(pilot, personas, green_material_pct="65")
    _row, token = make_token(personas["bureau"], scope="read")
    response = client.post(
        API + "{}/actions/approve/".format(change.pk),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + token,
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING


@pytest.mark.parametrize(
    "extra",
    [{"reasons": "地基\x00调整"}, {"measures": {"D-01": "标准化\x00户型"}}],
)
def test_nul_characters_are_refused_before_the_database(pilot, personas, client, extra):
    """PostgreSQL stores no NUL in text or JSON: the API answered 500."""
    baseline = current_baseline(pilot)
    body = {"project": pilot.pk, "reasons": "调整", "targets": {**baseline.targets, "green_material_pct": "65"}}
    body.update(extra)
    response = client.post(API, json.dumps(body), content_type="application/json", **auth(personas["alice_owner"]))
    assert response.status_code == 400, response.content
    assert not BaselineChangeRequest.objects.exists()


def test_a_nul_in_the_decision_is_refused(pilot, personas, client):
    change = ask(pilot, personas, green_material_pct="65")
    response = client.post(
        API + "{}/actions/refuse/".format(change.pk),
        json.dumps({"comment": "不同意\x00"}),
        content_type="application/json",
        **auth(personas["bureau"]),
    )
    assert response.status_code == 400
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING


def test_the_project_page_offers_no_second_request_while_one_waits(pilot, personas, client):
    client.force_login(personas["alice_owner"])
    url = reverse("projects:project-detail", args=[pilot.pk])
    assert 'id="baseline-change-link"' in client.get(url).content.decode()
    change = ask(pilot, personas, green_material_pct="65")
    assert 'id="baseline-change-link"' not in client.get(url).content.decode()
    services.decide_baseline_change(actor=personas["bureau"], request_id=change.pk, action="refuse", comment="不同意")
    assert 'id="baseline-change-link"' in client.get(url).content.decode()


def test_a_building_below_50_fails_r9_even_while_another_has_no_rate(pilot):
    """R9 read "unknown" as soon as one building had no rate, hiding a known failure (and a change
    then passed the bureau's check as if nothing failed)."""
    from greenbuild.plans.selfcheck import check_rows

    first = pilot.buildings.order_by("pk").first()
    fields = {
        f.name: getattr(first, f.name)
        for f in first._meta.concrete_fields
        if not f.primary_key and f.name not in ("name", "project")
    }
    pilot.buildings.create(**{**fields, "name": "新增2号楼"})
    data = current_baseline(pilot).plan_data()
    data["targets"]["assembly_rate_pct_by_building"] = {str(first.pk): "45"}
    r9 = next(row for row in check_rows(pilot, data) if row.requirement == "R9")
    assert r9.status == "fail"
