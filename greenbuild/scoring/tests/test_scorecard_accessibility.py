"""The scorecard's controls have accessible names (issue 19 item 1, finding UI-01): each clause
row's value, note and evidence controls are named by the clause cell and their column header, and
a refused entry is tied to its field (aria-invalid, aria-describedby to the message)."""

from __future__ import annotations

import pytest
import tinyhtml5
from django.urls import reverse
from django.utils import translation

from greenbuild.scoring import services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.models import Scorecard
from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from

pytestmark = pytest.mark.django_db

NS = "{http://www.w3.org/1999/xhtml}"
CONTROLS = ("input", "select", "textarea")


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def accessible_names(html: str, form_id: str) -> dict[str, str]:
    """Name (simplified accname: aria-labelledby, aria-label, label[for], wrapping label, title)
    of every visible control of the form, by its name attribute."""
    root = tinyhtml5.parse(html)
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    parents = {child: parent for parent in root.iter() for child in parent}
    labels: dict[str, list[str]] = {}
    for label in root.iter(NS + "label"):
        if label.get("for"):
            labels.setdefault(label.get("for"), []).append(_text(label))
    form = by_id[form_id]
    names = {}
    for element in form.iter():
        if element.tag.removeprefix(NS) not in CONTROLS or element.get("type") in ("hidden", "submit", "button"):
            continue
        name = ""
        if element.get("aria-labelledby"):
            name = " ".join(_text(by_id[i]) for i in element.get("aria-labelledby").split() if i in by_id)
        name = name or (element.get("aria-label") or "").strip()
        name = name or " ".join(labels.get(element.get("id"), []))
        ancestor = parents.get(element)
        while not name and ancestor is not None:
            if ancestor.tag == NS + "label":
                name = _text(ancestor)
            ancestor = parents.get(ancestor)
        names[element.get("name")] = name or (element.get("title") or "").strip()
    return names


def described_by(html: str, name: str) -> tuple[str | None, list[str]]:
    """aria-invalid and the texts aria-describedby points to, of the control called ``name``."""
    root = tinyhtml5.parse(html)
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    element = next(el for el in root.iter() if el.get("name") == name and el.tag.removeprefix(NS) in CONTROLS)
    ids = (element.get("aria-describedby") or "").split()
    return element.get("aria-invalid"), [_text(by_id[i]) for i in ids if i in by_id]


def test_every_control_of_the_owners_scorecard_is_named_by_its_clause_and_column(client, pilot, alice_owner):
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:scorecard-edit", args=[pilot.pk, "pre_evaluation"])).content.decode()
    names = accessible_names(page, "scorecard-form")
    assert len(names) > 300  # every clause's value, evidence and note, and the header figures
    assert not [name for name, label in names.items() if not label]
    assert names["c_4_1_1"] == "4.1.1 申报"
    assert names["n_4_1_1"] == "4.1.1 说明"
    assert names["e_4_1_1"] == "4.1.1 证明材料"
    assert names["c_9_2_1"].startswith("9.2.1 ")


def test_every_control_of_the_reviewers_scorecard_is_named(client, pilot, alice_owner, ted_evaluator):
    services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    assert Scorecard.objects.filter(project=pilot).exists()
    client.force_login(ted_evaluator)
    with translation.override("en"):
        page = client.get(reverse("scoring:scorecard-review", args=[pilot.pk, "evaluation"])).content.decode()
    names = accessible_names(page, "scorecard-form")
    assert not [name for name, label in names.items() if not label]
    assert names["a_4_2_1"] == "4.2.1 Accepted"
    assert names["rn_4_2_1"] == "4.2.1 Reviewer's note"
    assert names["ac_4_2_1"] == "Accept the claimed value"


def test_a_refused_clause_is_marked_invalid_and_described_by_its_message(client, pilot, alice_owner):
    client.force_login(alice_owner)
    data = {"building_type": "residential", "c_4_2_1": "abc"}
    with translation.override("zh-hans"):
        page = client.post(reverse("scoring:scorecard-edit", args=[pilot.pk, "evaluation"]), data).content.decode()
    invalid, descriptions = described_by(page, "c_4_2_1")
    assert invalid == "true"
    assert descriptions and "数" in descriptions[0]  # "请输入一个数字。" (Django's message)
    assert described_by(page, "c_4_2_2") == (None, [])
