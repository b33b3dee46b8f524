import datetime as dt

import pytest
from django.utils import timezone

from greenbuild.accounts.models import Organisation
from greenbuild.lifecycle.models import StepType
from greenbuild.reference.models import District
from greenbuild.supervision import services
from greenbuild.testing.factories import make_project, move_to


@pytest.fixture
def sv(personas, filed_project):
    """Two confirmed pilots (alice's in 天宁区, olivia's in 武进区), the pool (the bureau city-wide,
    dan for 天宁区, wu for 武进区), a plan for alice's pilot, a published city-wide draw, an
    unpublished draw of 天宁区 and an evaluation assigned to ted's organisation."""
    bureau, dan, wu = personas["bureau"], personas["dan_district"], personas["wu_district"]
    tianning, wujin = District.objects.get(code="tianning"), District.objects.get(code="wujin")
    alice_pilot = filed_project("confirmed", name="天宁试点")
    olivia_pilot = move_to(
        make_project(personas["olivia_other_owner"], name="武进试点", district="wujin"),
        "confirmed",
        owner=personas["olivia_other_owner"],
        district_official=wu,
        bureau=bureau,
    )
    today = timezone.localdate()
    step = StepType.objects.filter(active=True).order_by("order").first()
    pool = {
        "bureau": services.add_pool_member(actor=bureau, user=bureau),
        "dan": services.add_pool_member(actor=bureau, user=dan, district=tianning),
        "wu": services.add_pool_member(actor=bureau, user=wu, district=wujin),
    }
    plan = services.create_plan(
        actor=bureau,
        project=alice_pilot,
        step_type=step,
        interval_days=30,
        inspectors=[dan],
        next_due=today + dt.timedelta(days=20),
    )
    published = services.make_draw(
        actor=bureau,
        title="2026年第一批双随机抽查",
        kind="both",
        ratio="0.5",
        inspector_ratio="1",
        due_on=today + dt.timedelta(days=14),
    )
    services.publish_draw(actor=bureau, draw_id=published.pk)
    published.refresh_from_db()
    unpublished = services.make_draw(
        actor=dan,
        title="天宁区内部抽查（未公开）",
        kind="both",
        district=tianning,
        ratio="1",
        inspector_ratio="1",
        due_on=today + dt.timedelta(days=14),
    )
    evaluator = Organisation.objects.get(name="省建科院")
    evaluation = services.assign_evaluation(
        actor=bureau,
        project=alice_pilot,
        step_type=step,
        evaluator=evaluator,
        scope="装配率与绿色建材应用评估",
        due_on=today + dt.timedelta(days=30),
    )
    return {
        "alice_pilot": alice_pilot,
        "olivia_pilot": olivia_pilot,
        "step": step,
        "pool": pool,
        "plan": plan,
        "published": published,
        "unpublished": unpublished,
        "evaluation": evaluation,
        "evaluator": evaluator,
        "tianning": tianning,
        "wujin": wujin,
        "today": today,
    }


@pytest.fixture
def english():
    """Messages in English (the catalogue translates them to Chinese by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield
