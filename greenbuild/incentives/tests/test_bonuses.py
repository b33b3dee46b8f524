"""Bonus records: only for a pilot that passed its completion evaluation, by the rule in force,
attributable, revocable with a reason and never deleted; the escrow release of real-estate pilots."""

import datetime as dt
from decimal import Decimal

import pytest

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.incentives import services
from greenbuild.incentives.models import BonusRecord, BonusTransition, EscrowEligibility
from greenbuild.incentives.tests.conftest import conclude, make_pilot

pytestmark = pytest.mark.django_db


def _records(project):
    return {
        (r.organisation.name, r.role): (r.level, r.points, r.status)
        for r in BonusRecord.objects.filter(project=project).select_related("organisation")
    }


def test_a_passed_pilot_earns_each_enterprise_the_points_of_its_role(awarded, pilot, personas, rule):
    assert _records(pilot) == {
        ("常州天宁置业有限公司", "owner"): ("passed", Decimal("3.0"), "active"),
        ("中建八局三公司", "contractor"): ("passed", Decimal("3.0"), "active"),
        ("常州市建筑设计研究院", "designer"): ("passed", Decimal("2.0"), "active"),
    }
    record = awarded[0]
    assert record.rule == rule
    assert record.created_by == personas["bureau"]
    assert record.evaluation_ref.startswith("completion.CompletionEvaluation:")
    assert "85.0" in record.basis
    assert record.history.first().history_user == personas["bureau"]


def test_a_score_reaching_the_rule_s_distinction_earns_the_higher_points(pilot, personas, rule):
    conclude(pilot, personas, score="92.5")
    services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    assert {role: points for (_n, role), (_l, points, _s) in _records(pilot).items()} == {
        "owner": Decimal("5.0"),
        "contractor": Decimal("5.0"),
        "designer": Decimal("3.0"),
    }


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        ("not_accepted", "not_met"),  # the bureau did not accept
        ("panel_concluded", "met"),  # not concluded by the bureau yet
        ("draft", "incomplete"),
        ("accepted", "not_met"),  # accepted, but a target missed: not passed
    ],
)
def test_no_record_for_a_pilot_that_did_not_pass(pilot, personas, rule, status, verdict):
    conclude(pilot, personas, status=status, verdict=verdict)
    with pytest.raises(DomainError):
        services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    assert not BonusRecord.objects.exists()


def test_no_record_without_an_evaluation_or_without_a_rule_in_force(pilot, personas):
    with pytest.raises(DomainError):
        services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    conclude(pilot, personas)
    with pytest.raises(DomainError):
        services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    assert not BonusRecord.objects.exists()


def test_the_version_in_force_on_the_day_of_acceptance_applies(pilot, personas, rule):
    later = services.create_bonus_rule(
        actor=personas["bureau"],
        version="T-2",
        title="新版",
        effective_from=dt.date(2100, 1, 1),
        points={("owner", "passed"): Decimal("9")},
    )
    assert services.rule_in_force(dt.date(2099, 12, 31)) == rule
    assert services.rule_in_force(dt.date(2100, 1, 1)) == later
    assert services.rule_in_force(dt.date(2020, 12, 31)) is None
    with pytest.raises(DomainError):  # a version once written is not written again
        services.create_bonus_rule(
            actor=personas["bureau"], version="T-2", title="x", effective_from=dt.date(2100, 1, 1), points={}
        )


def test_only_the_bureau_records_bonuses_and_writes_rules(pilot, personas, rule):
    conclude(pilot, personas)
    for name in ("alice_owner", "dan_district", "carl_contractor"):
        with pytest.raises(ActionForbidden):
            services.award_bonuses(actor=personas[name], project_id=pilot.pk)
        with pytest.raises(ActionForbidden):
            services.create_bonus_rule(
                actor=personas[name], version="X", title="x", effective_from=dt.date(2021, 1, 1), points={}
            )
    assert not BonusRecord.objects.exists()


def test_awarding_twice_adds_nothing(awarded, pilot, personas):
    assert len(awarded) == 3
    assert services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk) == []
    assert BonusRecord.objects.count() == 3


def test_a_revoked_record_is_kept_with_its_reason_and_not_awarded_again(awarded, pilot, personas):
    record = next(r for r in awarded if r.role == "contractor")
    with pytest.raises(DomainError):  # a reason is required
        services.revoke_bonus(actor=personas["bureau"], record_id=record.pk, reason="")
    with pytest.raises(ActionForbidden):
        services.revoke_bonus(actor=personas["carl_contractor"], record_id=record.pk, reason="自己撤销")
    services.revoke_bonus(actor=personas["bureau"], record_id=record.pk, reason="发现施工质量问题，撤销加分")
    record.refresh_from_db()
    assert record.status == "revoked"
    assert record.revoke_reason == "发现施工质量问题，撤销加分"
    assert record.revoked_by == personas["bureau"]
    transition = BonusTransition.objects.get(record=record)
    assert (transition.from_status, transition.to_status, transition.actor) == ("active", "revoked", personas["bureau"])
    with pytest.raises(TransitionNotAllowed):
        services.revoke_bonus(actor=personas["bureau"], record_id=record.pk, reason="again")
    assert services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk) == []
    assert BonusRecord.objects.count() == 3  # never deleted


def test_the_completion_signal_records_the_bonuses_and_decides_the_escrow(pilot, personas, rule):
    from greenbuild.completion.models import CompletionEvaluation
    from greenbuild.completion.signals import completion_accepted

    evaluation = conclude(pilot, personas)
    completion_accepted.send(sender=CompletionEvaluation, evaluation=evaluation, actor=personas["bureau"])
    assert BonusRecord.objects.filter(project=pilot).count() == 3
    assert EscrowEligibility.objects.get(project=pilot).status == "eligible"


def test_the_signal_for_a_pilot_without_a_rule_records_nothing_and_raises_nothing(pilot, personas):
    from greenbuild.completion.models import CompletionEvaluation
    from greenbuild.completion.signals import completion_accepted

    evaluation = conclude(pilot, personas)
    completion_accepted.send(sender=CompletionEvaluation, evaluation=evaluation, actor=personas["bureau"])
    assert not BonusRecord.objects.exists()
    assert EscrowEligibility.objects.get(project=pilot).status == "eligible"


def test_an_accepted_real_estate_pilot_is_eligible_and_the_bureau_records_the_release(pilot, personas):
    conclude(pilot, personas)
    eligibility = services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)
    assert eligibility.status == "eligible"
    assert eligibility.basis_data["accepted"] is True
    assert eligibility.basis_data["verdict"] == "met"
    with pytest.raises(DomainError):
        services.release_escrow(actor=personas["bureau"], eligibility_id=eligibility.pk, note="")
    with pytest.raises(ActionForbidden):
        services.release_escrow(actor=personas["alice_owner"], eligibility_id=eligibility.pk, note="放款")
    services.release_escrow(actor=personas["bureau"], eligibility_id=eligibility.pk, note="银行通知第12号")
    eligibility.refresh_from_db()
    assert (eligibility.status, eligibility.release_note, eligibility.released_by) == (
        "released",
        "银行通知第12号",
        personas["bureau"],
    )
    with pytest.raises(DomainError):  # the decision stands once released
        services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)


def test_a_not_accepted_pilot_is_not_eligible_and_cannot_be_released(pilot, personas):
    conclude(pilot, personas, status="not_accepted", verdict="not_met")
    eligibility = services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)
    assert eligibility.status == "ineligible"
    with pytest.raises(TransitionNotAllowed):
        services.release_escrow(actor=personas["bureau"], eligibility_id=eligibility.pk, note="放款")


def test_escrow_is_refused_before_a_final_result_and_for_other_categories(personas, orgs, designer_org, pilot):
    with pytest.raises(DomainError):
        services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)
    conclude(pilot, personas, status="panel_concluded")
    with pytest.raises(DomainError):
        services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)
    public = make_pilot(personas, orgs, designer_org, name="公建试点", category="government-public")
    conclude(public, personas)
    with pytest.raises(DomainError):
        services.assess_escrow(actor=personas["bureau"], project_id=public.pk)
    assert not EscrowEligibility.objects.exists()
