"""Scorecard evidence on attachments: chosen files survive a refused save (issue 10 item 15),
replaced files leave storage (item 6), downloads keep the original name."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.attachments.models import Attachment
from greenbuild.attachments.storage import attachment_storage
from greenbuild.attachments.tests.conftest import EXE, PDF, upload
from greenbuild.scoring.models import ClauseClaim

GOLDEN = Path(__file__).resolve().parents[2] / "standards" / "tests" / "golden"
WORKED = json.loads((GOLDEN / "gbt50378" / "25_worked_example_80_5.json").read_text(encoding="utf-8"))["input"]
BASE = {
    "building_type": "residential",
    "full_decoration": "on",
    **{"c_" + c.replace(".", "_"): "true" for c in WORKED["control_items"]},
}


@pytest.fixture
def edit_url(pilot):
    with translation.override("zh-hans"):
        return reverse("scoring:scorecard-edit", args=[pilot.pk, "evaluation"])


def pending_id(page, key):
    match = re.search(r'name="p_{}" value="(\d+)"'.format(key), page)
    return match.group(1) if match else None


def test_a_refused_save_keeps_the_chosen_files_and_the_next_save_binds_them(client, alice_owner, edit_url):
    client.force_login(alice_owner)
    response = client.post(edit_url, {**BASE, "c_4_2_1": "很多", "e_4_2_5": upload("绿色施工方案.pdf", PDF)})
    page = response.content.decode()
    assert response.status_code == 200 and not ClauseClaim.objects.exists()
    assert "已选择：绿色施工方案.pdf（保存后生效）" in page
    chosen = Attachment.objects.get()
    assert chosen.pending and chosen.uploaded_by == alice_owner and pending_id(page, "4_2_5") == str(chosen.pk)

    response = client.post(edit_url, {**BASE, "c_4_2_1": "10", "p_4_2_5": str(chosen.pk)})  # no file sent again
    assert response.status_code == 302
    claim = ClauseClaim.objects.get(clause="4.2.5")
    chosen.refresh_from_db()
    assert claim.evidence == chosen and not chosen.pending
    page = client.get(edit_url).content.decode()
    assert "绿色施工方案.pdf" in page and reverse("attachments:download", args=[chosen.pk]) in page


def test_a_disguised_file_is_refused_on_its_row_in_chinese_and_nothing_is_stored(client, alice_owner, edit_url):
    client.force_login(alice_owner)
    response = client.post(edit_url, {**BASE, "e_4_2_5": upload("检测报告.pdf", EXE)})
    assert response.status_code == 200
    assert "“检测报告.pdf”的内容与扩展名不符（应为 PDF 文档）。" in response.content.decode()
    assert not Attachment.objects.exists() and not ClauseClaim.objects.exists()


def test_someone_elses_pending_file_cannot_be_claimed_by_its_id(client, personas, alice_owner, pilot, edit_url):
    from greenbuild.attachments.services import store_attachment

    bureau_file = store_attachment(
        actor=personas["bureau"], project=pilot, kind="evidence", uploaded_file=upload("局.pdf", PDF), pending=True
    )
    client.force_login(alice_owner)
    assert client.post(edit_url, {**BASE, "n_4_2_5": "见附件", "p_4_2_5": str(bureau_file.pk)}).status_code == 302
    assert ClauseClaim.objects.get(clause="4.2.5").evidence is None
    bureau_file.refresh_from_db()
    assert bureau_file.pending


def test_replacing_evidence_removes_the_old_file_from_storage_and_changes_the_claims_evidence_id(
    client, alice_owner, edit_url, django_capture_on_commit_callbacks
):
    client.force_login(alice_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, {**BASE, "e_4_2_5": upload("第1版.pdf", PDF)})
    first = ClauseClaim.objects.get(clause="4.2.5").evidence
    stored = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url, {**BASE, "e_4_2_5": upload("第2版.pdf", PDF + b"%v2")}).status_code == 302
    claim = ClauseClaim.objects.get(clause="4.2.5")
    first.refresh_from_db()
    assert claim.evidence_id != first.pk and claim.evidence.original_name == "第2版.pdf"
    assert first.replaced_by == claim.evidence and not attachment_storage.exists(stored)
    assert [h.evidence_id for h in claim.history.order_by("history_id")] == [first.pk, claim.evidence_id]


def test_the_old_evidence_address_serves_the_file_under_its_original_name(
    client, alice_owner, pilot, edit_url, personas
):
    client.force_login(alice_owner)
    client.post(edit_url, {**BASE, "e_4_2_5": upload("绿色施工方案.pdf", PDF)})
    claim = ClauseClaim.objects.get(clause="4.2.5")
    old_url = reverse("scoring:evidence", args=[pilot.pk, claim.pk])
    response = client.get(old_url)
    assert response.status_code == 200 and "filename*=UTF-8''%E7%BB%BF" in response["Content-Disposition"]
    client.force_login(personas["olivia_other_owner"])
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("attachments:download", args=[claim.evidence_id])).status_code == 404


def test_one_chosen_file_is_bound_to_one_row_only(client, alice_owner, edit_url):
    client.force_login(alice_owner)
    page = client.post(edit_url, {**BASE, "c_4_2_1": "很多", "e_4_2_5": upload("方案.pdf", PDF)}).content.decode()
    chosen = pending_id(page, "4_2_5")
    response = client.post(edit_url, {**BASE, "p_4_2_5": chosen, "p_4_2_6": chosen, "n_4_2_6": "同上"})
    assert response.status_code == 302
    assert ClauseClaim.objects.get(clause="4.2.5").evidence_id == int(chosen)
    assert ClauseClaim.objects.get(clause="4.2.6").evidence is None


def test_a_bound_file_cannot_be_bound_again(alice_owner, pilot):
    from django.core.exceptions import ValidationError

    from greenbuild.attachments.services import bind_attachment, store_attachment

    bound = store_attachment(actor=alice_owner, project=pilot, kind="evidence", uploaded_file=upload("a.pdf", PDF))
    with pytest.raises(ValidationError):
        bind_attachment(actor=alice_owner, attachment=bound, project=pilot, kind="evidence")


def test_marking_every_control_item_met_without_the_script_keeps_the_chosen_files(client, alice_owner, edit_url):
    client.force_login(alice_owner)
    response = client.post(
        edit_url, {"building_type": "residential", "all_control_met": "1", "e_4_2_5": upload("方案.pdf", PDF)}
    )
    page = response.content.decode()
    chosen = Attachment.objects.get()
    assert "已选择：方案.pdf（保存后生效）" in page and pending_id(page, "4_2_5") == str(chosen.pk)
