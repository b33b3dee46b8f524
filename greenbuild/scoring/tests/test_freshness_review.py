"""Review of issue 16 item 6 (SCO-05, SCO-06): who may write recomputed results, rule tables whose
category lists cannot be used, R10/R11 read from results that no longer stand, yes-or-no input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from greenbuild.api import services as api_services
from greenbuild.core.errors import DomainError
from greenbuild.jobs.models import Job
from greenbuild.scoring import services
from greenbuild.scoring.figures import pilot_checks
from greenbuild.scoring.models import MaterialLine, RuleTable, ScoreRun, WasteRecord
from greenbuild.scoring.tests import test_freshness as fresh
from greenbuild.standards.green_materials import DEFAULT_EDITION
from greenbuild.standards.rulesets import bundled_ruleset

pytestmark = pytest.mark.django_db

CONCRETE = fresh.CONCRETE
pilot = fresh.pilot  # the fixtures of the item's own tests
computed = fresh.computed


def test_a_reader_who_may_only_see_the_scores_cannot_have_runs_written_in_their_name(client, computed, personas):
    WasteRecord.objects.filter(project=computed).update(tonnes=Decimal(900))  # outdated
    runs = ScoreRun.objects.count()
    for reader in ("dan_district", "dept_reviewer"):
        client.force_login(personas[reader])
        page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
        assert 'id="results-outdated"' in page and 'id="recompute-results"' not in page
        assert client.post(reverse("scoring:recompute-results", args=[computed.pk])).status_code == 403
    assert not Job.objects.exists() and ScoreRun.objects.count() == runs

    from greenbuild.reports.services import store_standards_summary

    with pytest.raises(DomainError):  # no PDF from outdated figures, and no run in the reader's name
        store_standards_summary(actor=personas["dan_district"], project=computed)
    assert ScoreRun.objects.count() == runs

    client.force_login(personas["alice_owner"])  # the owner may; a second click leads to the same job
    first = client.post(reverse("scoring:recompute-results", args=[computed.pk]))
    second = client.post(reverse("scoring:recompute-results", args=[computed.pk]))
    assert Job.objects.count() == 1 and first["Location"] == second["Location"]

    from greenbuild.jobs.services import run_job

    run_job(Job.objects.get().pk)
    assert services.refresh_record_results(actor=personas["dan_district"], project=computed) == []
    response = client.post(reverse("scoring:recompute-results", args=[computed.pk]))  # nothing outdated
    assert response["Location"] == reverse("scoring:scores", args=[computed.pk]) and Job.objects.count() == 1


def _green_materials_table(**changes):
    data = copy.deepcopy(bundled_ruleset(DEFAULT_EDITION).data)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"item_types": [{"title": "x"}]},
        {"item_types": "abc"},
        {"item_types": [{"title": "怪", "group": "nogroup"}]},
        {"units": ["m2"]},
        {"units": [{"key": "x" * 30, "title": "x"}]},
    ],
)
def test_a_rule_table_whose_category_lists_cannot_be_used_is_refused_and_never_breaks_the_records_page(
    client, computed, personas, changes
):
    header = bundled_ruleset(DEFAULT_EDITION)
    data = _green_materials_table(**changes, version="9.1")
    data.update({k: getattr(header, k) for k in ("standard", "edition") if hasattr(header, k)})
    with pytest.raises(ValidationError):
        services.load_rule_table(actor=personas["bureau"], data=data, active=True)
    # One loaded before this check (or edited in the database) falls back to the bundled lists.
    table = services.load_rule_table(actor=personas["bureau"], data=_green_materials_table(version="9.2"), active=True)
    RuleTable.objects.filter(pk=table.pk).update(data={**table.data, **changes})
    client.force_login(personas["alice_owner"])
    assert client.get(reverse("scoring:records", args=[computed.pk])).status_code == 200
    line = MaterialLine.objects.get(project=computed)
    services.update_record(actor=personas["alice_owner"], record=line, data={"quantity": Decimal(8000)})


def test_r10_never_reads_a_result_whose_records_are_gone_and_labels_one_whose_records_changed(computed, alice_owner):
    WasteRecord.objects.filter(project=computed).update(tonnes=Decimal(4000))
    with translation.override("zh-hans"):
        reason = next(str(c.reason) for c in pilot_checks(computed) if c.requirement == "R10")
    assert "待重新计算" in reason
    for record in WasteRecord.objects.filter(project=computed):
        services.delete_record(actor=alice_owner, record=record)
    from greenbuild.lifecycle.selectors import side_by_side

    project = type(computed).objects.get(pk=computed.pk)  # as the next request reads it
    achieved = next(c for c in pilot_checks(project) if c.requirement == "R10")
    assert "83.33" not in str(achieved.reason), achieved.reason  # the figure of the deleted records
    row = next(r for r in side_by_side(project) if "R10" in str(r))  # the project page's panel
    assert "83.33" not in str(row)


@pytest.mark.parametrize(
    "value,stored",
    [("maybe", None), ("no", None), ([True], None), ("false", False), (False, False), (True, True), ("on", True)],
)
def test_certified_is_a_yes_or_a_no_never_any_text_read_as_yes(client, pilot, alice_owner, value, stored):
    _token, raw = api_services.create_token(actor=alice_owner, user=alice_owner, name="测试", scope="write")
    body = {**{k: str(v) for k, v in CONCRETE.items()}, "project": pilot.pk, "certified": value}
    response = client.post(
        "/api/v1/material-lines/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + raw,
    )
    if stored is None:
        assert response.status_code == 400 and "certified" in response.json()["errors"]
        assert not MaterialLine.objects.exists()
    else:
        assert response.status_code == 201, response.content
        assert MaterialLine.objects.get().certified is stored


def test_a_counted_unit_reads_as_a_word_of_the_readers_language_on_the_page_and_in_the_export(
    client, pilot, alice_owner
):
    import io

    from openpyxl import load_workbook

    door = {**CONCRETE, "name": "户门", "item_type": "门窗", "quantity": Decimal(120), "unit": "piece"}
    services.save_material_line(actor=alice_owner, project=pilot, data=door)
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:records", args=[pilot.pk])).content.decode()
        response = client.get(reverse("reports:records-xlsx", args=[pilot.pk]))
    assert "120 件" in page and "120 piece" not in page
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "件" in values and "piece" not in values
