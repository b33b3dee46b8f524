"""A criteria scheme in use is frozen (issue 17 item 5, SEC-05).

Once a round uses a scheme, its sections, bands and rules refuse every change, in the models (so
no path can change them) and in the admin (read-only there, with “Copy as a new version”). The
finding's case: narrowing a section's range mid-round made ``expert_totals`` drop the submitted
experts' totals silently.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.reviews import services
from greenbuild.reviews.choices import Consolidation
from greenbuild.reviews.models import CriteriaScheme, CriteriaSection, FrozenSchemeError, ScoreBand

pytestmark = pytest.mark.django_db


def _rules(scheme):
    scheme.refresh_from_db()
    return (
        [(s.pk, s.weight, s.min_score, s.max_score, s.title_zh) for s in scheme.sections.all()],
        [b.as_rule() for b in scheme.bands.all()],
        scheme.consolidation,
        scheme.max_per_employer,
    )


@pytest.fixture
def admin_user(personas):
    user = personas["bureau"]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_section_weights_and_ranges_cannot_change_mid_round(all_submitted, scheme):
    review_round, seats = all_submitted
    totals = services.expert_totals(review_round)
    assert len(totals) == len(seats) and scheme.in_use
    before = _rules(scheme)
    section = scheme.sections.first()
    for field, value in (("weight", Decimal(5)), ("max_score", Decimal(6)), ("min_score", Decimal(7))):
        setattr(section, field, value)
        with pytest.raises(FrozenSchemeError):
            section.save()
        section.refresh_from_db()
    with pytest.raises(FrozenSchemeError):
        CriteriaSection(scheme=scheme, title_zh="新增", title_en="New", weight=Decimal(1)).save()
    with pytest.raises(FrozenSchemeError):
        section.delete()
    with pytest.raises(FrozenSchemeError):
        ScoreBand(scheme=scheme, min_score=Decimal(1), allows_failed=True).save()
    with pytest.raises(FrozenSchemeError):
        scheme.bands.first().delete()
    scheme.consolidation = Consolidation.MEAN if scheme.consolidation != Consolidation.MEAN else Consolidation.MEDIAN
    with pytest.raises(FrozenSchemeError):
        scheme.save()
    with pytest.raises(FrozenSchemeError):
        CriteriaScheme.objects.get(pk=scheme.pk).delete()
    assert _rules(scheme) == before
    assert services.expert_totals(review_round) == totals  # every expert's total still counted


def test_a_scheme_no_round_uses_stays_editable_and_only_active_switches_on_one_in_use(drawn, scheme):
    scheme.refresh_from_db()
    scheme.active = False
    scheme.save()  # no longer offered: allowed while in use
    copy = services.copy_scheme_as_new_version(actor=drawn[0].drawn_by, scheme_id=scheme.pk)
    section = copy.sections.first()
    section.weight = Decimal(3)
    section.save()
    copy.consolidation = Consolidation.MEAN
    copy.save()
    assert not copy.in_use


def test_a_new_version_copies_the_rules_and_takes_over_new_draws(all_submitted, scheme, personas):
    review_round, _seats = all_submitted
    totals = services.expert_totals(review_round)
    with pytest.raises(ActionForbidden):
        services.copy_scheme_as_new_version(actor=personas["alice_owner"], scheme_id=scheme.pk)
    copy = services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk)
    scheme.refresh_from_db()
    assert copy.name == "{}（第2版）".format(scheme.name) and copy.active and not scheme.active
    old_sections, old_bands, *old_rules = _rules(scheme)
    new_sections, new_bands, *new_rules = _rules(copy)
    assert [s[1:] for s in new_sections] == [s[1:] for s in old_sections] and new_bands == old_bands
    assert new_rules == old_rules
    assert {s[0] for s in new_sections}.isdisjoint({s[0] for s in old_sections})
    assert copy.based_on == scheme
    assert services.expert_totals(review_round) == totals
    assert CriteriaScheme.objects.filter(active=True).order_by("pk").first() == copy  # the next draw's default


def test_the_admin_shows_a_scheme_in_use_read_only_and_copies_it_as_a_new_version(
    client, admin_user, all_submitted, scheme
):
    review_round, _seats = all_submitted
    totals = services.expert_totals(review_round)
    before = _rules(scheme)
    client.force_login(admin_user)
    change = reverse("admin:reviews_criteriascheme_change", args=[scheme.pk])
    html = client.get(change).content.decode()
    assert not re.search(r'name="sections-\d+-weight"', html) and 'name="_save"' not in html
    assert "复制为新版本" in html  # the message points to the action
    section = scheme.sections.first()
    attack = {
        "name": scheme.name,
        "consolidation": scheme.consolidation,
        "max_per_employer": "1",
        "leader_selection": scheme.leader_selection,
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-0-id": str(section.pk),
        "sections-0-scheme": str(scheme.pk),
        "sections-0-title_zh": section.title_zh,
        "sections-0-title_en": section.title_en,
        "sections-0-weight": "9",
        "sections-0-min_score": "0",
        "sections-0-max_score": "5",
        "bands-TOTAL_FORMS": "0",
        "bands-INITIAL_FORMS": "0",
        "_save": "1",
    }
    assert client.post(change, attack).status_code == 403
    delete = reverse("admin:reviews_criteriascheme_delete", args=[scheme.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    history = scheme.history.order_by("history_id").first()  # none for the scheme the migration made
    revert_args = [scheme.pk, history.history_id if history else 1]
    revert = reverse("admin:reviews_criteriascheme_simple_history", args=revert_args)
    assert client.post(revert, attack).status_code == 403
    assert _rules(scheme) == before
    assert services.expert_totals(review_round) == totals

    changelist = reverse("admin:reviews_criteriascheme_changelist")
    response = client.post(changelist, {"action": "copy_as_new_version", ACTION_CHECKBOX_NAME: [str(scheme.pk)]})
    assert response.status_code == 302
    copy = CriteriaScheme.objects.get(name="{}（第2版）".format(scheme.name))
    html = client.get(reverse("admin:reviews_criteriascheme_change", args=[copy.pk])).content.decode()
    assert re.search(r'name="sections-\d+-weight"', html) and 'name="_save"' in html  # the copy is editable


def test_a_doubled_copy_makes_one_new_version_only(client, admin_user, all_submitted, scheme, personas):
    """A double click on “Copy as a new version” (or a second copy of the same scheme) made a
    second active version: the message named the last one, the next draw took the first."""
    client.force_login(admin_user)
    changelist = reverse("admin:reviews_criteriascheme_changelist")
    action = {"action": "copy_as_new_version", ACTION_CHECKBOX_NAME: [str(scheme.pk)]}
    assert client.post(changelist, action).status_code == 302
    response = client.post(changelist, action, follow=True)
    copy = CriteriaScheme.objects.get(name="{}（第2版）".format(scheme.name))
    assert list(CriteriaScheme.objects.filter(active=True)) == [copy]
    assert CriteriaScheme.objects.count() == 2
    errors = re.findall(r'<li class="error">(.*?)</li>', response.content.decode())
    assert len(errors) == 1 and copy.name in errors[0]  # the second click names the existing copy
    with pytest.raises(DomainError):
        services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=scheme.pk)
    # the new version itself can be copied (once)
    assert services.copy_scheme_as_new_version(actor=personas["bureau"], scheme_id=copy.pk).based_on == copy
