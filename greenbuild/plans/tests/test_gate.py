"""The plans gate: its predicate and SQL forms agree; the reviews app's reader and leader hooks."""

import pytest
from django.db.models import Q

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.permissions import gate_for
from greenbuild.plans import hooks, services
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.events import plans_for_owner
from greenbuild.plans.models import GreenPlan, PlanVersion
from greenbuild.plans.permissions import can
from greenbuild.testing.gates import gate_disagreements, users_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(plan_in):
    return [plan_in("draft"), plan_in("submitted"), plan_in("passed_with_revisions")]


def test_the_two_forms_of_the_plan_gates_agree(world, personas):
    users = users_of(personas)
    assert gate_disagreements(gate_for(GreenPlan), users, world) == []
    versions = list(PlanVersion.objects.all())
    assert len(versions) == 3
    assert gate_disagreements(gate_for(PlanVersion), users, versions) == []


def test_a_registered_reader_reads_and_both_forms_agree(world, personas):
    eve = personas["eve_expert"]
    chosen = world[1]

    def predicate(user, plan):
        return user.pk == eve.pk and plan.pk == chosen.pk

    def scope(user):
        return Q(pk=chosen.pk) if user.pk == eve.pk else Q(pk__in=[])

    hooks.register_plan_reader(predicate, scope)
    try:
        assert can(eve, "view", chosen) and not can(eve, "view", world[0])
        assert gate_disagreements(gate_for(GreenPlan), users_of(personas), world) == []
        assert list(GreenPlan.objects.none().union(gate_for(GreenPlan).for_user(eve)).values_list("pk", flat=True)) == [
            chosen.pk
        ]
    finally:
        hooks.unregister_plan_reader(predicate, scope)
    assert not can(eve, "view", chosen)


def test_a_registered_leader_concludes_only_through_the_round(plan_in, personas):
    plan = plan_in("in_review")
    eve = personas["eve_expert"]

    def leader(user, p):
        return user.pk == eve.pk and p.pk == plan.pk

    def scope(user):
        return Q(pk=plan.pk) if user.pk == eve.pk else Q(pk__in=[])

    # the reviews app registers its panel as readers and its leader as the leader
    hooks.register_plan_reader(leader, scope)
    hooks.register_review_leader(leader)
    try:
        with pytest.raises(ActionForbidden):
            services.begin_review(actor=eve, plan_id=plan.pk)  # the bureau's move, never the leader's
        with pytest.raises(DomainError):  # a leader too concludes only through the round's conclusion
            services.conclude_plan(actor=eve, plan_id=plan.pk, outcome=S.PASSED, reasons="通过")
    finally:
        hooks.unregister_review_leader(leader)
        hooks.unregister_plan_reader(leader, scope)
    plan.refresh_from_db()
    assert plan.status == S.IN_REVIEW


def test_the_owners_inbox_lists_plans_to_write_revise_and_answer(plan_in, personas, django_assert_max_num_queries):
    plan_in("draft")
    plan_in("revise")
    plan_in("clarification")
    plan_in("submitted")
    with django_assert_max_num_queries(4):
        items = list(plans_for_owner(personas["alice_owner"]))
    assert sorted(item.kind for item in items) == ["plans.to_answer", "plans.to_revise", "plans.to_write"]
    assert list(plans_for_owner(personas["olivia_other_owner"])) == []
    assert list(plans_for_owner(personas["bureau"])) == []
