"""One result of record per scorecard (issue 16 item 7; SCO-01, SCO-02, SCO-03, SCO-07, SCO-08,
SCO-10): the scorecard's forms posted back as shown change nothing, the reviewed evaluation is the
official one everywhere, an owner's later change is a labelled pending revision, a claimant never
reviews, and the reviewer's page starts from the reviewer's own decisions."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import ActionForbidden
from greenbuild.reports.summary import render_standards_summary
from greenbuild.scoring import services
from greenbuild.scoring.choices import Basis, ClauseKind, Stage
from greenbuild.scoring.messages import explanation_lines, label
from greenbuild.scoring.models import ClauseClaim, Scorecard, ScoreRun
from greenbuild.scoring.selectors import result_of_record
from greenbuild.scoring.tests.conftest import HEADER, WORKED, accept_everything, claims_from

pytestmark = pytest.mark.django_db

#: every table 3.2.8 figure given, so the round trip covers each header field with a value
FULL_HEADER = {
    "building_type": "residential",
    "full_decoration": True,
    "star_requirements": {
        "envelope_improvement_pct": 20,  # as the demo files it: stored as "20", shown and posted back as such
        "load_reduction_pct": "15",
        "water_fixture_grade": 2,
        "sound_insulation": "high",
        "pollutant_reduction_pct": "20",
        "window_airtightness": True,
        "green_material_ratio_pct": "40",
    },
}


class FormFields(HTMLParser):
    """What a browser posts from one form, left as shown: every named control's current value."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
                return
            self.data[name] = a.get("value", "")
        elif tag == "select" and name and "disabled" not in a:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.data[self.select] = value
        elif tag == "textarea" and name and "disabled" not in a:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            self.data.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_as_shown(html: str, form_id: str = "scorecard-form") -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(html)
    assert parser.data, "form {} not found".format(form_id)
    return parser.data


def stored(scorecard: Scorecard) -> dict:
    scorecard = Scorecard.objects.get(pk=scorecard.pk)
    head = model_to_dict(scorecard, exclude=["id"])
    claims = {c.clause: model_to_dict(c, exclude=["id"]) for c in ClauseClaim.objects.filter(scorecard=scorecard)}
    return {"header": head, "claims": claims}


def noted_claims():
    claims = claims_from(WORKED)
    for n, clause in enumerate(claims):
        if n % 3 == 0:
            claims[clause]["note"] = "说明 {}".format(clause)
    return claims


@pytest.fixture
def filed(pilot, alice_owner):
    services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=FULL_HEADER, claims=noted_claims()
    )
    return Scorecard.objects.get(project=pilot)


# --- SCO-01 and item 8: the forms posted back as shown change nothing ------------------------------


@pytest.mark.parametrize("airtight", [True, False, None])
def test_the_scorecard_form_posted_back_as_shown_changes_no_stored_value(client, pilot, alice_owner, airtight):
    header = {**FULL_HEADER, "star_requirements": dict(FULL_HEADER["star_requirements"])}
    if airtight is None:
        del header["star_requirements"]["window_airtightness"]
    else:
        header["star_requirements"]["window_airtightness"] = airtight
    first = services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=header, claims=noted_claims()
    )
    scorecard = Scorecard.objects.get(project=pilot)
    before = stored(scorecard)
    client.force_login(alice_owner)
    url = reverse("scoring:scorecard-edit", args=[pilot.pk, "evaluation"])
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    data = form_as_shown(page)
    # every field of the form is on the page (evidence files apart, which a browser leaves empty)
    assert {"building_type", "window_airtightness", "water_fixture_grade", "sound_insulation"} <= set(data)
    assert data["window_airtightness"] == {True: "true", False: "false", None: "unknown"}[airtight]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(scorecard) == before
    # the result is unchanged, and no copy of the run is stored either
    assert list(ScoreRun.objects.filter(scorecard=scorecard).values_list("pk", flat=True)) == [first.pk]


def test_a_saved_window_airtightness_is_shown_and_kept_when_another_field_changes(client, filed, alice_owner):
    """SCO-01 as reported: 是 saved, the page reopened, another field changed and saved."""
    client.force_login(alice_owner)
    url = reverse("scoring:scorecard-edit", args=[filed.project_id, "evaluation"])
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    select = page[page.index('name="window_airtightness"') :][:600]
    assert '<option value="true" selected>是</option>' in select
    data = form_as_shown(page)
    data["c_4_2_1"] = "9"
    assert client.post(url, data).status_code == 302
    filed.refresh_from_db()
    assert filed.star_requirements["window_airtightness"] is True
    assert filed.claims.get(clause="4.2.1").claimed_points == Decimal(9)


def test_the_review_form_posted_back_as_shown_keeps_every_decision_and_the_result(client, filed, ted_evaluator):
    decisions = accept_everything()
    decisions["4.2.1"] = {"points": Decimal(3), "note": "依据不足"}
    decisions["4.1.2"] = {"passed": False, "note": "未提供检测报告"}
    decisions.pop("9.2.1")  # not accepted: stays blank
    first = services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=decisions)
    before = stored(filed)
    client.force_login(ted_evaluator)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    data = form_as_shown(client.get(url).content.decode())
    assert not any(name.startswith("ac_") for name in data)  # accepting the claim is never a default
    assert client.post(url, data).status_code == 302
    assert stored(filed) == before
    assert list(ScoreRun.objects.filter(scorecard=filed, basis=Basis.ACCEPTED).values_list("pk", flat=True)) == [
        first.pk
    ]
    assert result_of_record(filed.project).official == first


# --- SCO-03: the review form starts from the reviewer's decisions ---------------------------------


def test_after_a_claim_changes_the_review_form_keeps_the_reviewers_value_and_offers_the_claim_explicitly(
    client, filed, alice_owner, ted_evaluator
):
    decisions = accept_everything()
    decisions["4.2.1"] = {"points": Decimal(3)}
    services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=decisions)
    claims = noted_claims()
    claims["4.2.1"]["points"] = Decimal(6)  # 10 -> 6
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=FULL_HEADER, claims=claims
    )
    claim = ClauseClaim.objects.get(scorecard=filed, clause="4.2.1")
    assert (claim.claimed_points, claim.accepted_points) == (Decimal(6), Decimal(3))  # the decision stands

    client.force_login(ted_evaluator)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    row = page[page.index('<tr data-clause="4.2.1"') :][:4000]
    assert 'name="a_4_2_1" value="3.00"' in row  # the reviewer's value, not the new claim
    assert "按申报值认定" in row and 'name="ac_4_2_1"' in row
    assert "评审后已更改：申报分值" in row and "验收" not in row
    data = form_as_shown(page)
    assert data["a_4_2_1"] == "3.00"
    # Saving as shown stores nothing: the decision stays 3 and the change stays pending.
    official = result_of_record(filed.project).official
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.accepted_points == Decimal(3) and claim.changes_since_acceptance
    assert result_of_record(filed.project).official == official and result_of_record(filed.project).pending
    # Ticking 按申报值认定 accepts the claimed 6.
    data["ac_4_2_1"] = "on"
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.accepted_points, claim.changes_since_acceptance) == (Decimal(6), [])


def test_a_never_accepted_clause_starts_blank_in_the_review_form(client, filed, ted_evaluator):
    client.force_login(ted_evaluator)
    page = client.get(reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])).content.decode()
    data = form_as_shown(page)
    assert data["a_4_2_1"] == "" and data["a_4_1_1"] == ""


def test_the_reviewers_figure_above_the_maximum_says_accepted_not_claimed(client, filed, ted_evaluator):
    """SCO-10."""
    services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=accept_everything())
    client.force_login(ted_evaluator)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    data = form_as_shown(client.get(url).content.decode())
    data["a_4_2_1"] = "20"
    with translation.override("zh-hans"):
        page = client.post(url, data).content.decode()
    summary = page[page.index('id="error-summary"') :][:1500]
    assert "认定 20 分，超过该条满分" in summary and "申报 20 分" not in summary, summary


# --- SCO-07: whoever claims does not review --------------------------------------------------------


def test_the_bureau_account_that_edited_claims_cannot_review_them_on_any_path(client, pilot, bureau, ted_evaluator):
    services.save_scorecard(
        actor=bureau, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    scorecard = Scorecard.objects.get(project=pilot)
    with pytest.raises(ActionForbidden):
        services.review_scorecard(actor=bureau, scorecard=scorecard, decisions=accept_everything())
    client.force_login(bureau)
    scores = client.get(reverse("scoring:scores", args=[pilot.pk])).content.decode()
    assert reverse("scoring:scorecard-review", args=[pilot.pk, "evaluation"]) not in scores
    url = reverse("scoring:scorecard-review", args=[pilot.pk, "evaluation"])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    api = client.post(
        "/api/v1/projects/{}/scorecards/evaluation/review/".format(pilot.pk),
        {"decisions": {}},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not ScoreRun.objects.filter(basis=Basis.ACCEPTED).exists()
    # Another reviewer may.
    services.review_scorecard(actor=ted_evaluator, scorecard=scorecard, decisions=accept_everything())
    client.force_login(ted_evaluator)
    scores = client.get(reverse("scoring:scores", args=[pilot.pk])).content.decode()
    assert url in scores


# --- item 7 and SCO-02: one result of record, everywhere --------------------------------------------


def _pdf_text(project) -> str:
    data = render_standards_summary(project)
    return subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_official_result_is_the_same_on_the_page_the_pdf_the_open_data_and_the_api(
    client, filed, alice_owner, ted_evaluator, settings
):
    settings.STORAGES = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    project = filed.project
    # The reviewer accepts far less than claimed (no bonus, several items at 0): below two stars.
    decisions = accept_everything()
    for clause in ("9.2.1", "9.2.6", "9.2.7", "4.2.6", "4.2.2", "7.2.1", "8.2.1", "6.2.1"):
        if clause in decisions:
            decisions[clause] = {"points": Decimal(0)}
    official = services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=decisions)
    # The owner then changes a claim (10 -> 9): a pending revision, never the official result.
    claims = noted_claims()
    claims["4.2.1"]["points"] = Decimal(9)
    pending = services.save_scorecard(
        actor=alice_owner, project=project, stage=Stage.EVALUATION, header=FULL_HEADER, claims=claims
    )
    record = result_of_record(project)
    assert record.official == official and record.pending == pending
    level, pending_level = official.result["level"], pending.result["level"]
    assert pending_level == "two_star" and level in ("basic", "one_star"), official.result["total_score"]
    assert (record.r7.status, record.pending_r7.status) == ("fail", "pass")
    with translation.override("zh-hans"):
        level_zh, pending_zh = label("level", level), label("level", pending_level)

    with translation.override("zh-hans"):
        client.force_login(alice_owner)
        page = client.get(reverse("scoring:scores", args=[project.pk])).content.decode()
        official_box = page[page.index('id="official-result"') : page.index('id="pending-result"')]
        pending_box = page[page.index('id="pending-result"') :][:1500]
        assert level_zh in official_box and "评审认定结果（正式）" in official_box
        assert pending_zh not in official_box
        assert pending_zh in pending_box and "申报（未评审）" in pending_box
        r7_row = page[page.index('data-requirement="R7"') :][:1500]
        assert "不满足" in r7_row.split("data-pending-r7")[0]  # the official verdict
        assert "申报（未评审）：满足" in r7_row  # the pending one, labelled

        text = " ".join(_pdf_text(project).split())
        star_part = text[text.index("绿色建筑等级") :] if "绿色建筑等级" in text else text
        assert level_zh in star_part and "评审认定结果（正式）" in star_part
        assert "申报（未评审）：{}".format(pending_zh) in text
        r7_line = text[text.index("R7") : text.index("R8")]
        assert "不满足" in r7_line and "申报（未评审）：满足" in r7_line

        # the pilot fixture is a confirmed pilot: it is in the open data
        open_row = next(r for r in client.get("/api/v1/open/pilots.json").json() if r["id"] == project.pk)
        assert (open_row["achieved_star_level"], open_row["achieved_star_level_label"]) == (level, level_zh)
        assert (open_row["pending_star_level"], open_row["pending_star_level_label"]) == (pending_level, pending_zh)
        assert (open_row["r7"], open_row["r7_label"]) == ("fail", "不满足")
        csv_text = client.get("/api/v1/open/pilots.csv").content.decode("utf-8-sig")
        csv_row = next(line for line in csv_text.splitlines() if line.startswith("{},".format(project.pk)))
        assert level_zh in csv_row and pending_zh in csv_row and "不满足" in csv_row

    api = client.get("/api/v1/projects/{}/star-level/".format(project.pk)).json()
    assert api["official"]["level"] == level and api["official"]["provisional"] is False
    assert api["official"]["run"] == official.pk
    assert api["r7"]["status"] == record.r7.status
    assert api["pending"]["level"] == pending_level and api["pending"]["provisional"] is True
    assert api["pending_r7"]["status"] == "pass"


def test_an_unchanged_resave_after_the_review_is_no_pending_revision(filed, alice_owner, ted_evaluator):
    official = services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=accept_everything())
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=FULL_HEADER, claims=noted_claims()
    )
    record = result_of_record(filed.project)
    assert record.official == official and record.pending is None


def test_claims_never_reviewed_are_provisional_and_not_the_result_of_record(client, filed, alice_owner):
    record = result_of_record(filed.project)
    assert record.official is None and record.level is None and record.r7.status == "unknown"
    assert record.pending is not None and record.pending_r7.status == "pass"
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:scores", args=[filed.project_id])).content.decode()
    assert "尚无评审认定结果" in page and "暂定：建设单位的申报，尚未评审。" in page


# --- SCO-08: Q points and claimed points kept apart ------------------------------------------------


def test_the_explanation_says_how_far_q_is_short_and_what_that_means_in_claimed_points():
    condition = {"code": "gbt50378.condition.total", "params": {"total": "76", "minimum": "85"}}
    line = {
        "code": "gbt50378.explain.blocker_points",
        "params": {"condition": condition, "clause": "3.2.8", "points": "90"},
    }
    result = {"explanation_messages": [line]}
    with translation.override("zh-hans"):
        text = explanation_lines(result)[0]
        assert text.endswith("［3.2.8］：还差 9 分（Q），相当于申报 90 分") and "还差 90 分" not in text
    with translation.override("en"):
        text = explanation_lines(result)[0]
        assert "9 more points of Q, equivalent to claiming 90 more points" in text and "90 more points of Q" not in text


def test_a_changed_claim_keeps_the_decision_and_the_kind_is_noted(filed, alice_owner, ted_evaluator):
    services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=accept_everything())
    claims = noted_claims()
    del claims["7.2.1"]  # the owner clears a clause
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=FULL_HEADER, claims=claims
    )
    cleared = ClauseClaim.objects.get(scorecard=filed, clause="7.2.1")
    assert cleared.kind == ClauseKind.SCORED
    assert cleared.claimed_points is None and cleared.accepted_points is not None
    assert cleared.changes_since_acceptance[0]["field"] == "claimed_points"


def test_the_review_api_accepts_the_claimed_value_only_when_asked(client, filed, ted_evaluator):
    client.force_login(ted_evaluator)
    decisions = {c: {"accept_claimed": True} for c in claims_from(WORKED)}
    decisions["4.2.1"] = {"points": "3", "accept_claimed": False}
    decisions["4.2.2"] = {}  # no decision: not accepted
    response = client.post(
        "/api/v1/projects/{}/scorecards/evaluation/review/".format(filed.project_id),
        {"decisions": decisions},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    accepted = dict(ClauseClaim.objects.filter(scorecard=filed).values_list("clause", "accepted_points"))
    assert (accepted["4.2.1"], accepted["4.2.2"], accepted["4.2.3"]) == (Decimal(3), None, Decimal(10))
    star = client.get("/api/v1/projects/{}/star-level/".format(filed.project_id)).json()
    assert star["official"]["run"] == response.json()["id"] and star["pending"] is None


def test_the_reviewer_fills_in_the_claims_where_nothing_is_accepted_explicitly_and_nothing_is_saved(
    client, filed, ted_evaluator
):
    decisions = accept_everything()
    decisions["4.2.1"] = {"points": Decimal(3)}
    del decisions["4.2.2"]
    services.review_scorecard(actor=ted_evaluator, scorecard=filed, decisions=decisions)
    runs = ScoreRun.objects.count()
    client.force_login(ted_evaluator)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    data = form_as_shown(client.get(url).content.decode())
    assert data["a_4_2_2"] == ""
    page = client.post(url, {**data, "fill_claimed": "1"}).content.decode()
    filled = form_as_shown(page)
    assert (filled["a_4_2_1"], filled["a_4_2_2"]) == ("3.00", "15.00")  # the reviewer's 3 stays
    assert ScoreRun.objects.count() == runs
