"""Issue 16 item 5 (REV-02, REV-12, REV-22), REV-08 and SCO-04: a baseline change shows its effect
on R7–R14 before approval; one that breaks a requirement is approved only as an exception, with
reasons, on every path, and stays flagged; every version says where it came from and who locked
it; the R7–R14 table compares the achieved values with the locked baseline."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import DomainError
from greenbuild.lifecycle import services
from greenbuild.lifecycle.choices import ChangeRequestStatus
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest
from greenbuild.lifecycle.selectors import baseline_exceptions, change_effect, current_baseline, side_by_side
from greenbuild.testing.factories import make_project, make_token

pytestmark = pytest.mark.django_db


def below_r9(pilot, personas, **extra):
    """The owner asks to move the first building's assembly rate to 45 % (R9 needs ≥ 50 %)."""
    baseline = current_baseline(pilot)
    building = pilot.buildings.order_by("pk").first()
    rates = {**baseline.targets["assembly_rate_pct_by_building"], str(building.pk): "45"}
    return services.request_baseline_change(
        actor=personas["alice_owner"],
        project_id=pilot.pk,
        reasons="地下室改为现浇，装配率目标调整为45%。",
        targets={**baseline.targets, "assembly_rate_pct_by_building": rates, **extra},
    )


def statuses(effect):
    return {row.requirement: (row.before.status, row.after.status) for row in effect.rows}


# --- the effect, and the guard on every path ---------------------------------------------------


def test_a_change_below_r9_shows_the_verdict_change(pilot, personas):
    effect = change_effect(below_r9(pilot, personas))
    assert statuses(effect)["R9"] == ("pass", "fail")
    assert effect.failing_before == [] and effect.failing_after == ["R9"] and effect.broken == ["R9"]
    # R10 is checked against the national cap weighted by floor area: with a building below 50 %
    # the cap rises, the 180 target still passes
    assert statuses(effect)["R10"] == ("pass", "pass")


def test_a_change_that_breaks_r9_is_not_approved_by_the_service_without_an_exception(pilot, personas):
    request = below_r9(pilot, personas)
    with translation.override("zh-hans"), pytest.raises(DomainError) as excinfo:
        services.decide_baseline_change(actor=personas["bureau"], request_id=request.pk, action="approve")
    assert "R9" in str(excinfo.value.message) and "例外" in str(excinfo.value.message)
    with pytest.raises(DomainError) as excinfo:  # the exception needs the reasons
        services.decide_baseline_change(
            actor=personas["bureau"], request_id=request.pk, action="approve_exception", signoff="专家组意见"
        )
    assert excinfo.value.field == "comment"
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.PENDING and request.signoff_note == ""
    assert Baseline.objects.filter(project=pilot).count() == 1


def test_an_exception_with_reasons_approves_and_stays_flagged(pilot, personas, client):
    request = below_r9(pilot, personas)
    services.decide_baseline_change(
        actor=personas["bureau"],
        request_id=request.pk,
        action="approve_exception",
        comment="地质条件所限，经论证同意。",
        signoff="2026年第3次联席会议同意",
    )
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.APPROVED
    assert request.exception_requirements == ["R9"]
    assert request.signoff_note == "2026年第3次联席会议同意"
    assert request.transitions.get().context == {"failing_before": [], "failing_after": ["R9"]}
    v2 = current_baseline(pilot)
    assert v2.version == 2 and v2.change_request_id == request.pk and v2.locked_by == personas["bureau"]
    assert baseline_exceptions(v2) == ["R9"]
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
    assert "基线变更后不满足 R9（经批准例外）" in page


def test_a_harmless_change_is_not_approved_as_an_exception(pilot, personas):
    baseline = current_baseline(pilot)
    request = services.request_baseline_change(
        actor=personas["alice_owner"],
        project_id=pilot.pk,
        reasons="调整",
        targets={**baseline.targets, "green_material_pct": "65"},
    )
    with pytest.raises(DomainError):
        services.decide_baseline_change(
            actor=personas["bureau"], request_id=request.pk, action="approve_exception", comment="理由"
        )
    services.decide_baseline_change(actor=personas["bureau"], request_id=request.pk, action="approve")
    assert current_baseline(pilot).version == 2 and baseline_exceptions(current_baseline(pilot)) == []


def test_the_page_shows_the_effect_and_refuses_a_plain_approval(pilot, personas, client):
    request = below_r9(pilot, personas)
    client.force_login(personas["bureau"])
    url = reverse("lifecycle:request-detail", args=[request.pk])
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-requirement="R9" data-before="pass" data-after="fail"' in page
    assert 'data-action="approve_exception"' in page and 'data-action="approve"' not in page
    # a forged plain approval is refused at the page's own address, the typed comment kept
    response = client.post(url, {"action": "approve", "comment": "同意变更"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.PENDING
    response = client.post(url, {"action": "approve_exception", "comment": "", "signoff": "专家组意见"})
    assert response.status_code == 400 and "专家组意见" in response.content.decode()
    response = client.post(url, {"action": "approve_exception", "comment": "经论证同意", "signoff": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.APPROVED and request.exception_requirements == ["R9"]


def test_the_api_shows_the_effect_and_refuses_a_plain_approval(pilot, personas, client):
    request = below_r9(pilot, personas)
    _row, token = make_token(personas["bureau"], scope="write")
    auth = {"HTTP_AUTHORIZATION": "Bearer " + token}
    base = "/api/v1/baseline-change-requests/{}/".format(request.pk)
    data = client.get(base, **auth).json()
    r9 = next(row for row in data["effect"]["rows"] if row["requirement"] == "R9")
    assert (r9["before"], r9["after"]) == ("pass", "fail") and data["effect"]["failing_after"] == ["R9"]
    response = client.post(base + "actions/approve/", {"comment": "同意"}, content_type="application/json", **auth)
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.PENDING
    response = client.post(
        base + "actions/approve_exception/",
        json.dumps({"comment": "经论证同意", "signoff": "专家组意见"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["exception_requirements"] == ["R9"]
    baselines = client.get("/api/v1/baselines/?project={}".format(pilot.pk), **auth).json()
    rows = baselines["results"] if isinstance(baselines, dict) else baselines
    v2 = next(b for b in rows if b["version"] == 2)
    assert v2["change_request"] == request.pk and v2["locked_by"] == personas["bureau"].pk
    assert v2["exception_requirements"] == ["R9"] and "变更申请" in v2["source"]
    assert next(b for b in rows if b["version"] == 1)["exception_requirements"] == []


# --- source and locker ----------------------------------------------------------------------------


def test_every_baseline_version_says_where_it_came_from_and_who_locked_it(pilot, personas, client):
    v1 = current_baseline(pilot)
    assert v1.source_plan_version_id and not v1.change_request_id
    with translation.override("zh-hans"):
        assert "策划方案第{}版".format(v1.source_plan_version.number) in v1.source
    request = services.request_baseline_change(
        actor=personas["alice_owner"],
        project_id=pilot.pk,
        reasons="调整",
        targets={**v1.targets, "green_material_pct": "65"},
    )
    services.decide_baseline_change(actor=personas["bureau"], request_id=request.pk, action="approve")
    v2 = current_baseline(pilot)
    assert v2.locked_by == personas["bureau"]
    with translation.override("zh-hans"):
        assert "变更申请" in v2.source and "策划方案" not in v2.source
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
    assert "变更申请" in page and personas["bureau"].display_name in page


# --- measures, documents and the form ---------------------------------------------------------------


def test_the_form_uses_the_plan_terms_offers_cancel_and_round_trips(pilot, personas, client):
    client.force_login(personas["alice_owner"])
    url = reverse("lifecycle:request-create", args=[pilot.pk])
    response = client.get(url)
    page = response.content.decode()
    assert "目标星级" in page and 'id="change-request-cancel"' in page and "D-01" in page
    form = response.context["form"]
    posted = {name: ("" if value is None else value) for name, value in form.initial.items()}
    posted["reasons"] = "原样提交"
    response = client.post(url, posted)
    assert response.status_code == 400  # the same as the baseline: nothing is asked, nothing saved
    assert "原样提交" in response.content.decode()
    assert not BaselineChangeRequest.objects.exists()


def test_a_request_may_change_measures_and_carry_a_document(pilot, personas, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from greenbuild.testing.factories import PDF_BYTES

    client.force_login(personas["alice_owner"])
    url = reverse("lifecycle:request-create", args=[pilot.pk])
    form = client.get(url).context["form"]
    posted = {name: ("" if value is None else value) for name, value in form.initial.items()}
    posted.update(
        {
            "reasons": "标准化设计措施调整",
            "measure_D-01": "采用标准化户型库（新）",
            "document": SimpleUploadedFile("论证报告.pdf", PDF_BYTES, content_type="application/pdf"),
        }
    )
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = BaselineChangeRequest.objects.get()
    assert request.proposed_measures == {"D-01": "采用标准化户型库（新）"}
    assert request.documents.count() == 1
    services.decide_baseline_change(actor=personas["bureau"], request_id=request.pk, action="approve")
    v2 = current_baseline(pilot)
    assert v2.measures == {"D-01": "采用标准化户型库（新）"}
    assert v2.plan_data()["measures"]["D-01"] == "采用标准化户型库（新）"


# --- REV-08: municipal projects -----------------------------------------------------------------


def test_the_municipal_self_check_says_not_applicable(personas):
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.demo import complete_data
    from greenbuild.plans.selfcheck import plan_self_check

    project = make_project(personas["alice_owner"], name="道路工程", category="municipal", with_building=False)
    plan = plan_services.start_plan(actor=personas["alice_owner"], project=project)
    check = plan_self_check(project, complete_data(project, plan.guideline), plan.guideline)
    rows = {row.requirement: row for row in check.rows}
    assert rows["R7"].status == rows["R9"].status == "not_applicable"
    with translation.override("zh-hans"):
        assert rows["R7"].reason == rows["R9"].reason == "不适用（市政基础设施）"
    assert check.ok


# --- REV-12 and SCO-04: declared, baseline, achieved -----------------------------------------------


def test_before_work_starts_achieved_says_not_started(pilot):
    pilot.waste_records.all().delete()
    pilot.material_lines.all().delete()
    pilot.energy_records.all().delete()
    pilot.lifecycle_steps.filter(type__code="construction").update(status="pending")
    rows = {row.requirement: row for row in side_by_side(pilot)}
    assert {row.status for row in rows.values()} == {"not_started"}
    assert rows["R10"].declared == "250" and rows["R10"].baseline == "180"
    assert rows["R8"].baseline != "—"  # the plan's D-01 measure


def run(result):
    return SimpleNamespace(result=result, building=None)


def test_r10_and_r11_compare_the_achieved_values_with_the_baseline(pilot):
    from greenbuild.scoring.figures import pilot_checks

    assert pilot.waste_target_t_per_10k_m2 == 250  # declared; the baseline locked 180
    latest = {
        "waste": run({"intensity_t_per_10k_m2": "190"}),
        "green-materials": run({"green_material_ratio_pct": "53.8"}),
    }
    with translation.override("zh-hans"):
        checks = {c.requirement: c for c in pilot_checks(pilot, latest, {})}
        r10, r11 = str(checks["R10"].reason), str(checks["R11"].reason)
    assert checks["R10"].status == "fail" and "基线第1版" in r10 and "180" in r10
    assert checks["R11"].status == "fail" and "53.8" in r11 and "60" in r11 and "基线第1版" in r11
    latest["green-materials"] = run({"green_material_ratio_pct": "61"})
    latest["waste"] = run({"intensity_t_per_10k_m2": "170"})
    checks = {c.requirement: c for c in pilot_checks(pilot, latest, {})}
    assert checks["R10"].status == "pass" and checks["R11"].status == "pass"


def test_r9_compares_each_building_with_its_baseline_target(pilot):
    from greenbuild.scoring.figures import pilot_checks

    building = pilot.buildings.order_by("pk").first()
    runs = {
        building.pk: SimpleNamespace(result={"assembly_rate_pct": "55", "is_prefabricated": True}, building=building)
    }
    with translation.override("zh-hans"):
        check = next(c for c in pilot_checks(pilot, {}, runs) if c.requirement == "R9")
        reason = str(check.reason)
    assert check.status == "fail" and "55%" in reason and "60%" in reason  # baseline 60 %, national 50 %


def test_the_admin_cannot_approve_or_edit_a_request(pilot, personas, client, django_user_model):
    request = below_r9(pilot, personas)
    admin = django_user_model.objects.create_superuser("h5-admin", "h5-admin@example.com", "pw-h5-admin-1")
    client.force_login(admin)
    url = reverse("admin:lifecycle_baselinechangerequest_change", args=[request.pk])
    response = client.post(url, {"status": "approved", "reasons": "x", "proposed_targets": "{}"})
    assert response.status_code in (403, 200)
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.PENDING
    assert Baseline.objects.filter(project=pilot).count() == 1


def test_the_api_takes_measures_and_project_files(pilot, personas, client):
    from greenbuild.testing.factories import make_attachment

    _row, token = make_token(personas["alice_owner"], scope="write")
    auth = {"HTTP_AUTHORIZATION": "Bearer " + token}
    baseline = current_baseline(pilot)
    document = make_attachment(pilot, actor=personas["alice_owner"])
    body = {
        "project": pilot.pk,
        "reasons": "措施调整",
        "targets": baseline.targets,
        "measures": {"D-01": "采用标准化户型库（新）"},
        "documents": [document.pk],
    }
    response = client.post(
        "/api/v1/baseline-change-requests/", json.dumps(body), content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["proposed_measures"] == {"D-01": "采用标准化户型库（新）"} and data["documents"] == [document.pk]
    bad = {**body, "measures": {"Z-99": "x"}}
    BaselineChangeRequest.objects.all().delete()
    response = client.post(
        "/api/v1/baseline-change-requests/", json.dumps(bad), content_type="application/json", **auth
    )
    assert response.status_code == 400 and not BaselineChangeRequest.objects.exists()
