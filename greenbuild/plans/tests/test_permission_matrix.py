"""Who reads and writes plans: pages and actions (404 invisible, 403 visible but forbidden)."""

import pytest
from django.urls import reverse

from greenbuild.plans.models import GreenPlan, PlanTransition

pytestmark = pytest.mark.django_db

READERS_OF_SUBMITTED = {"alice_owner", "bureau", "dan_district", "dept_reviewer"}
ALL = [
    "alice_owner",
    "olivia_other_owner",
    "dan_district",
    "wu_district",
    "bureau",
    "dept_reviewer",
    "carl_contractor",
    "eve_expert",
    "ted_evaluator",
    "dave_outsider",
]


def _get(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("persona", ALL)
def test_reading_a_submitted_plan(client, plan_in, personas, persona):
    plan = plan_in("passed_with_revisions")
    pk = plan.project_id
    urls = [
        reverse("plans:plan-detail", args=[pk]),
        reverse("plans:version-detail", args=[pk, 1]),
        reverse("plans:version-diff", args=[pk]) + "?a=1&b=2",
    ]
    expected = 200 if persona in READERS_OF_SUBMITTED else 404
    assert [_get(client, personas[persona], url) for url in urls] == [expected] * 3


@pytest.mark.parametrize("persona", ALL)
def test_only_the_owner_and_the_bureau_read_a_draft(client, plan_in, personas, persona):
    plan = plan_in("draft")
    status = _get(client, personas[persona], reverse("plans:plan-detail", args=[plan.project_id]))
    assert status == (200 if persona in ("alice_owner", "bureau") else 404)


@pytest.mark.parametrize("persona", ALL)
def test_editing_the_plan(client, plan_in, personas, persona):
    plan = plan_in("draft")
    before = GreenPlan.objects.get(pk=plan.pk).draft
    client.force_login(personas[persona])
    url = reverse("plans:plan-edit", args=[plan.project_id])
    response = client.post(url, {"star_level": "three_star", "waste_t_per_10k_m2": "100"})
    if persona == "alice_owner":
        assert response.status_code == 302
        assert GreenPlan.objects.get(pk=plan.pk).draft["targets"]["star_level"] == "three_star"
        return
    assert response.status_code == (403 if persona == "bureau" else 404)
    assert GreenPlan.objects.get(pk=plan.pk).draft == before


@pytest.mark.parametrize("persona", ALL)
def test_submitting_the_plan(client, plan_in, personas, persona):
    plan = plan_in("draft")
    from greenbuild.plans import services
    from greenbuild.plans.demo import complete_data

    services.save_plan_draft(
        actor=personas["alice_owner"], plan_id=plan.pk, data=complete_data(plan.project, plan.guideline)
    )
    client.force_login(personas[persona])
    response = client.post(reverse("plans:plan-move", args=[plan.project_id, "submit"]))
    plan.refresh_from_db()
    if persona == "alice_owner":
        assert (response.status_code, plan.status) == (302, "submitted")
    else:
        assert response.status_code in ((302, 403) if persona == "bureau" else (404,))
        assert plan.status == "draft" and not PlanTransition.objects.filter(plan=plan).exists()


def test_a_frozen_version_has_no_edit_page_and_the_draft_is_locked_under_review(client, plan_in, personas):
    plan = plan_in("in_review")
    client.force_login(personas["alice_owner"])
    assert client.get(reverse("plans:plan-edit", args=[plan.project_id])).status_code == 403
    assert client.post(reverse("plans:version-detail", args=[plan.project_id, 1]), {"x": 1}).status_code in (200, 405)


def test_malformed_ids_give_404(client, plan_in, personas):
    plan = plan_in("submitted")
    client.force_login(personas["bureau"])
    assert client.get(reverse("plans:version-detail", args=[plan.project_id, 99])).status_code == 404
    assert client.get(reverse("plans:plan-detail", args=[10**18])).status_code == 404
    assert client.get(reverse("plans:version-diff", args=[plan.project_id]) + "?a=abc&b=1").status_code == 404


def test_the_plan_pages_in_both_languages(client, plan_in, personas):
    plan = plan_in("passed_with_revisions")
    client.force_login(personas["alice_owner"])
    zh = client.get(reverse("plans:plan-detail", args=[plan.project_id]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "绿色建造策划方案" in zh.content.decode()
    en = client.get("/en" + reverse("plans:version-diff", args=[plan.project_id]))
    assert "Version 1 → version 2" in en.content.decode()


@pytest.mark.parametrize("persona", ALL)
def test_verifying_a_revision(client, plan_in, personas, persona):
    """Only the round's leader (the verifier by default) verifies; readers get 403, others 404."""
    from greenbuild.plans import services
    from greenbuild.plans.demo import complete_data

    plan = plan_in("passed_with_revisions")
    owner = personas["alice_owner"]
    services.save_plan_draft(
        actor=owner, plan_id=plan.pk, data=complete_data(plan.project, plan.guideline, waste_t_per_10k_m2="120")
    )
    services.submit_revision(actor=owner, plan_id=plan.pk)
    before = PlanTransition.objects.filter(plan=plan).count()
    client.force_login(personas[persona])
    response = client.post(
        reverse("plans:plan-verify", args=[plan.project_id]),
        {"verdict": "accept", "met_0": "on", "met_1": "on", "met_2": "on"},
    )
    assert response.status_code == (403 if persona in READERS_OF_SUBMITTED else 404)
    assert PlanTransition.objects.filter(plan=plan).count() == before
