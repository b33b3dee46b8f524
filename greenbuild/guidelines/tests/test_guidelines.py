"""The technical guideline as data: the first edition, the selectors, new editions."""

import pytest

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.guidelines import services
from greenbuild.guidelines.models import Guideline, GuidelinePart
from greenbuild.guidelines.selectors import current_guideline, items_for_step, technology_items

pytestmark = pytest.mark.django_db


def test_the_first_edition_is_loaded_with_four_parts_and_the_suitable_technologies():
    guideline = current_guideline()
    assert guideline.code == "changzhou-2021-v1" and guideline.published
    assert {item.part for item in guideline.items.all()} == set(GuidelinePart.values)
    assert {item.requirement for item in guideline.items.filter(mandatory=True)} >= {
        "R7",
        "R8",
        "R9",
        "R10",
        "R11",
        "R12",
        "R13",
        "R14",
    }
    assert technology_items(guideline).count() == 11  # R21's list
    assert all(item.text_zh and item.text_en for item in guideline.items.all())


def test_items_for_a_step():
    codes = set(items_for_step("construction").values_list("code", flat=True))
    assert {"C-01", "C-03", "C-05", "P-07"} <= codes
    assert not any(code.startswith("T-") for code in codes)
    assert not items_for_step("no_such_step").exists()


def test_the_bureau_revises_the_guideline_as_a_new_edition(personas):
    first = current_guideline()
    copy = services.copy_edition(actor=personas["bureau"], guideline_id=first.pk, code="changzhou-2026-v2")
    assert not copy.published and copy.items.count() == first.items.count()
    assert current_guideline() == first  # not in force until published
    copy.items.filter(code="P-08").update(mandatory=True)
    copy.effective_date = first.effective_date.replace(year=2026)
    copy.save()
    services.publish_edition(actor=personas["bureau"], guideline_id=copy.pk)
    assert current_guideline() == copy
    assert first.items.get(code="P-08").mandatory is False  # the old edition keeps its meaning
    with pytest.raises(DomainError):
        services.publish_edition(actor=personas["bureau"], guideline_id=copy.pk)
    with pytest.raises(DomainError):
        services.copy_edition(actor=personas["bureau"], guideline_id=first.pk, code="changzhou-2026-v2")


def test_only_the_bureau_edits_the_guideline(personas):
    first = current_guideline()
    for who in ("alice_owner", "dan_district", "eve_expert"):
        with pytest.raises(ActionForbidden):
            services.copy_edition(actor=personas[who], guideline_id=first.pk, code="x-{}".format(who))
    assert Guideline.objects.count() == 1


def test_the_guideline_page_in_both_languages(client):
    zh = client.get("/guidelines/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "绿色策划" in zh and "铝模" in zh
    en = client.get("/en/guidelines/").content.decode()
    assert "Green planning" in en and "Aluminium formwork" in en


def test_the_english_guideline_page_capitalises_its_labels_and_hides_the_edition_slug(client):
    """UI-20: "item code", "effective date" in lower case, and the raw slug changzhou-2021-v1."""
    en = client.get("/en/guidelines/").content.decode()
    assert "Item code</th>" in en and "Lifecycle step</th>" in en and "Effective date " in en
    assert ">changzhou-2021-v1 ·" not in en and "item code</th>" not in en


def test_a_doubled_copy_as_a_new_edition_in_the_admin_is_refused_not_a_server_error(client, personas):
    """Two clicks in the same second asked for the same code: the refusal (DomainError) was not
    caught and the admin answered 500. Every code of the next seconds is taken here, so the action
    always meets the clash."""
    import datetime as dt

    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.urls import reverse
    from django.utils import timezone

    bureau = personas["bureau"]
    bureau.is_staff = bureau.is_superuser = True
    bureau.save(update_fields=["is_staff", "is_superuser"])
    source = Guideline.objects.get()
    now = timezone.localtime()
    for second in range(-2, 30):
        stamp = (now + dt.timedelta(seconds=second)).strftime("%Y%m%d%H%M%S")
        Guideline.objects.create(
            code="{}-{}".format(source.code[:24], stamp), title_zh="占位", effective_date=source.effective_date
        )
    before = Guideline.objects.count()
    client.force_login(bureau)
    changelist = reverse("admin:guidelines_guideline_changelist")
    response = client.post(changelist, {"action": "copy_as_new_edition", ACTION_CHECKBOX_NAME: [str(source.pk)]})
    assert response.status_code == 302
    assert Guideline.objects.count() == before
    assert "该版本代码已存在" in client.get(changelist).content.decode()
