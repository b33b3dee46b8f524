"""Item 12: every message code the engines can emit renders in zh-Hans and in English, and the
standards pages speak one language. Item 22: the carbon refusal of D12 reaches the user in Chinese."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.scoring import messages, services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.models import ScoreRun
from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from
from greenbuild.standards import carbon, gbt50378, gbt51129, green_materials, waste
from greenbuild.standards.messages import CODE_KINDS, REGISTRY
from greenbuild.standards.pilot_checks import PilotFigures, check_pilot
from greenbuild.standards.tests.golden import GOLDEN_DIR, golden_outputs
from greenbuild.standards.types import StandardsInputError

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")

RUNS = {
    "gbt50378": lambda data: gbt50378.result_to_dict(gbt50378.evaluate(gbt50378.parse_inputs(data))),
    "gbt51129": lambda data: gbt51129.result_to_dict(gbt51129.evaluate(gbt51129.parse_inputs(data))),
    "waste": lambda data: waste.result_to_dict(waste.evaluate(waste.parse_inputs(data))),
    "green_materials": lambda data: green_materials.result_to_dict(
        green_materials.evaluate(green_materials.parse_inputs(data))
    ),
    "carbon": lambda data: carbon.result_to_dict(carbon.evaluate(carbon.parse_inputs(data))),
}


def assert_chinese(text: str, what: str) -> None:
    assert CJK.search(text), "{}: no Chinese in {!r}".format(what, text)
    assert not SNAKE.search(text), "{}: snake_case word in {!r}".format(what, text)


def assert_english(text: str, what: str) -> None:
    assert not CJK.search(text), "{}: Chinese in {!r}".format(what, text)


def _sample(kind: str) -> Any:
    """A parameter value of ``kind``: a real code for code kinds (the first of its labels)."""
    if kind in CODE_KINDS:
        labels = messages.LABELS[kind]
        return next(iter(labels)) if labels else None
    if kind == "message":
        return {"code": "gbt50378.condition.total", "params": {"total": "69.95", "minimum": "70"}}
    if kind == "messages":
        return [{"code": "gbt50378.condition.total", "params": {"total": "69.95", "minimum": "70"}}]
    if kind == "title":
        return "标题"  # rule-table titles are Chinese: an English template must leave them out
    return "4.1.1"


def test_every_code_of_the_registry_has_a_template():
    assert messages.codes_without_template() == []
    assert len(REGISTRY) > 150


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_code_renders_in_chinese_and_english(code):
    spec = REGISTRY[code]
    message = {"code": code, "params": {name: _sample(kind) for name, kind in spec.params.items()}}
    with translation.override("zh-hans"):
        assert_chinese(messages.render(message), code)
    with translation.override("en"):
        assert_english(messages.render(message), code)


def _messages_in(value: Any) -> Iterator[dict[str, Any]]:
    """Every ``{"code", "params"}`` in an engine output, nested ones and title codes included."""
    if isinstance(value, dict):
        if value.get("code") in REGISTRY:
            yield {"code": value["code"], "params": value.get("params", {})}
        if value.get("title_code") in REGISTRY:
            yield {"code": value["title_code"], "params": value.get("title_params", {})}
        for item in value.values():
            yield from _messages_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _messages_in(item)


def _without_user_text(message: dict[str, Any]) -> dict[str, Any]:
    """The message with what the user typed (units, item types: any language) replaced by ASCII."""
    spec = REGISTRY[message["code"]]
    params = {name: ("u" if spec.params.get(name) == "user" else value) for name, value in message["params"].items()}
    for name, kind in spec.params.items():
        if kind == "message" and params.get(name):
            params[name] = _without_user_text(params[name])
        if kind == "messages":
            params[name] = [_without_user_text(item) for item in params.get(name) or []]
    return {"code": message["code"], "params": params}


def _golden_messages() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for engine, run in RUNS.items():
        for output in golden_outputs(engine, run):
            if isinstance(output, StandardsInputError):
                found.append(_without_user_text({"code": output.code, "params": dict(output.params)}))
            else:
                found.extend(_without_user_text(message) for message in _messages_in(output))
                found.extend({"clause": finding["clause"]} for finding in output.get("findings", []))
    figure_sets = [
        PilotFigures(),
        PilotFigures(star_level="basic", standardised_design=True, is_prefabricated=False, bim_stages=frozenset()),
        PilotFigures(
            star_level="three_star",
            is_prefabricated=True,
            waste_target_t_per_10k_m2=250,
            waste_intensity_t_per_10k_m2=130,
            green_material_share_pct=40,
            previous_green_material_share_pct=50,
            bim_stages=frozenset({"design", "production", "construction"}),
            smart_site=True,
            intelligent_equipment=False,
            epc=False,
            whole_process_consulting=False,
        ),
    ]
    for figures in figure_sets:
        found.extend(check.message.to_dict() for check in check_pilot(figures) if check.message)
    return found


def test_every_message_of_every_golden_case_renders_in_chinese_and_english():
    found = _golden_messages()
    codes = {message.get("code") for message in found}
    assert {"gbt50378.explain.blocked_by", "gbt51129.grade.band", "carbon.input.mass_contradicts"} <= codes
    for message in found:
        if "clause" in message:  # the clause column of the findings table
            with translation.override("zh-hans"):
                assert not SNAKE.search(messages.clause_label(message["clause"])), message
            with translation.override("en"):
                assert_english(messages.clause_label(message["clause"]), message["clause"])
            continue
        with translation.override("zh-hans"):
            assert_chinese(messages.render(message), message["code"])
        with translation.override("en"):
            assert_english(messages.render(message), message["code"])


def test_the_contradicting_mass_is_refused_in_chinese_naming_the_line():
    case = json.loads((GOLDEN_DIR / "carbon" / "06_mass_t_contradicting_quantity_refused.json").read_text())
    with pytest.raises(StandardsInputError) as refused:
        carbon.evaluate(carbon.parse_inputs(case["input"]))
    with translation.override("zh-hans"):
        text = messages.translate(refused.value.field, refused.value.message)
    assert text.startswith("材料清单（第 1 行） · 质量（t）：")
    assert "245 t" in text and "240 t" in text and "D12" in text
    assert_chinese(text, "refusal")
    with translation.override("en"):
        assert messages.translate_error(refused.value).startswith("material line (line 1) · mass (t): ")


def test_the_first_versions_translate_signature_still_works():
    with translation.override("zh-hans"):
        assert (
            messages.translate("scored_items[4.2.1]", "claimed 12 points, above the maximum 10 (D1)")
            == "评分项 4.2.1：申报 12 分，超过该条满分 10 分"
        )
        coded = messages.translate("scored_items[4.2.1]", "x", code="gbt50378.claim.unknown_clause", params={})
        assert coded == "评分项 4.2.1：本版本标准中没有该条文"


def test_labels_edition_names_and_yes_no():
    with translation.override("zh-hans"):
        assert messages.label("level", "one_star") == "一星级"
        assert messages.label("grade", "none") == "无等级"
        assert messages.label("yes_no", None) == "未填写"
        assert (
            messages.edition_name("MOHURD-2020-construction-waste", "2026.1")
            == "住建部 2020 施工现场建筑垃圾减量化指导手册 · 版本 2026.1"
        )
    with translation.override("en"):
        assert messages.label("level", "two_star") == "two stars"
        assert (
            messages.edition_name("GB/T 50378-2019（2024年版）", "2026.1")
            == "GB/T 50378-2019 (2024 edition) Assessment standard for green building · version 2026.1"
        )


def test_old_findings_without_codes_fall_back_to_their_stored_text():
    old = {"clause": "4.2.1", "title": "安全", "reason": "claimed 5 of 10 points", "confidence": "M"}
    assert messages.finding_reason(old) == "claimed 5 of 10 points"
    assert messages.finding_title(old) == "安全"
    assert messages.explanation_lines({"explanation": "line one\nline two"}) == ["line one", "line two"]
    assert messages.explanation_lines({}) == []


# --- the pages -----------------------------------------------------------------------------------

ENGLISH_LEAKS = ("is blocked by", "not claimed", "star level", "yes", ">no<", ">none<", "MOHURD-2020", " v2026")
CHINESE_LEAKS = ("一星级", "二星级", "基本级", "不达标", "万㎡", "未填写", "住建部", "是</td>", "否</td>")


def _visible(html: str) -> str:
    """The page's main text, without tags, scripts, attributes and the input snapshot."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<details.*?</details>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.django_db
def test_the_standards_pages_speak_one_language(client, pilot, alice_owner, bureau):
    run = services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    worse = copy.deepcopy(WORKED)
    worse["star_requirements"] = {}
    services.save_scorecard(
        actor=alice_owner,
        project=pilot,
        stage=Stage.PRE_EVALUATION,
        header={**HEADER, "star_requirements": {}},
        claims={c: v for c, v in claims_from(worse).items() if c not in ("6.2.10", "6.2.11", "6.2.12", "6.2.13")},
    )
    client.force_login(bureau)
    pages = [reverse("scoring:scores", args=[pilot.pk]), reverse("scoring:score-run", args=[pilot.pk, run.pk])]
    for path in pages:
        with translation.override("zh-hans"):
            zh = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert zh.status_code == 200
        text = _visible(zh.content.decode())
        assert "标记说明" in text  # the C/P/M/D legend
        for leak in ENGLISH_LEAKS:
            assert leak not in text, (path, leak)
        words = {w for w in SNAKE.findall(text)}
        assert not words, (path, words)
        en = client.get("/en" + path)
        assert en.status_code == 200
        text = _visible(en.content.decode())
        assert "What the tags mean" in text
        for leak in CHINESE_LEAKS:
            assert leak not in text, (path, leak)


@pytest.mark.django_db
def test_a_run_stored_before_message_codes_still_renders(client, pilot, alice_owner, bureau):
    run = services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    old = copy.deepcopy(run.result)
    old.pop("explanation_messages")
    for finding in old["findings"]:
        for key in ("code", "params", "title_code", "title_params"):
            finding.pop(key, None)
    ScoreRun.objects.filter(pk=run.pk).update(result=old)
    client.force_login(bureau)
    response = client.get(reverse("scoring:score-run", args=[pilot.pk, run.pk]))
    assert response.status_code == 200
    assert old["findings"][0]["reason"] in response.content.decode()
    assert client.get(reverse("scoring:scores", args=[pilot.pk])).status_code == 200
