"""Reviews (issue 10 items 13 and 2, issue 16 item 7): a reviewer's page saves, and evidence or a
claim changed after the reviewer's decision is noted for the reviewer, who sees what changed, while
the decision and the reviewed result of record stand until the next review."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from greenbuild.scoring import services
from greenbuild.scoring.choices import Basis, ClauseKind, Stage
from greenbuild.scoring.models import ClauseClaim, Scorecard, ScoreRun
from greenbuild.scoring.selectors import result_of_record
from greenbuild.scoring.tests.conftest import HEADER, WORKED, accept_everything, claims_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(pilot, alice_owner):
    services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    return Scorecard.objects.get(project=pilot)


def review_post(scorecard, **changes):
    """What the review page posts when the reviewer accepts every claim except ``changes``."""
    data = {}
    for claim in scorecard.claims.all():
        key = claim.clause.replace(".", "_")
        if claim.kind == ClauseKind.CONTROL:
            data["a_" + key] = "" if claim.claimed_pass is None else ("true" if claim.claimed_pass else "false")
        else:
            data["a_" + key] = "" if claim.claimed_points is None else str(claim.claimed_points)
    data.update(changes)
    return data


@pytest.mark.parametrize("reviewer", ["ted_evaluator", "bureau"])
def test_a_reviewer_saves_a_review_from_the_page_and_it_is_scored_on_the_accepted_basis(
    client, filed, personas, reviewer
):
    client.force_login(personas[reviewer])
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    page = client.get(url).content.decode()
    assert 'name="building_type"' not in page  # the owner's header is shown, not asked again
    response = client.post(url, review_post(filed, a_9_2_1="0", rn_9_2_1="无能耗模拟报告"))
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ScoreRun.objects.get(basis=Basis.ACCEPTED)
    assert run.actor == personas[reviewer]
    assert run.result["total_score"] == 77.5  # 80.5 less the 30 bonus points of 9.2.1
    claim = filed.claims.get(clause="9.2.1")
    assert (claim.claimed_points, claim.accepted_points, claim.review_note) == (
        Decimal(30),
        Decimal(0),
        "无能耗模拟报告",
    )


def test_a_reviewers_bad_figure_is_shown_on_its_row_and_stores_nothing(client, filed, ted_evaluator):
    client.force_login(ted_evaluator)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    with translation.override("zh-hans"):
        response = client.post(url, review_post(filed, a_4_2_1="99"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#id_a_4_2_1"' in page
    assert not ScoreRun.objects.filter(basis=Basis.ACCEPTED).exists()


def accept(filed, reviewer):
    return services.review_scorecard(actor=reviewer, scorecard=filed, decisions=accept_everything())


def test_new_evidence_after_acceptance_is_noted_and_the_accepted_run_stands(client, filed, alice_owner, bureau):
    accept(filed, bureau)
    official = result_of_record(filed.project).official
    assert official is not None
    client.force_login(alice_owner)
    url = reverse("scoring:scorecard-edit", args=[filed.project_id, "evaluation"])
    data = {"building_type": "residential", "full_decoration": "on"}
    for clause, claim in claims_from(WORKED).items():
        key = "c_" + clause.replace(".", "_")
        data[key] = ("true" if claim["passed"] else "false") if claim["kind"] == ClauseKind.CONTROL else claim["points"]
    data.update({k: str(v) for k, v in WORKED["star_requirements"].items() if v not in (None, True)})
    data["window_airtightness"] = "true"
    pdf = SimpleUploadedFile("新的检测报告.pdf", b"%PDF-1.7\n%new\n", content_type="application/pdf")
    response = client.post(url, {**data, "e_4_1_1": pdf})
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = ClauseClaim.objects.get(scorecard=filed, clause="4.1.1")
    assert changed.accepted_pass is True  # the decision stands (SCO-03)
    assert changed.changes_since_acceptance == [{"field": "evidence"}]
    untouched = ClauseClaim.objects.get(scorecard=filed, clause="4.1.2")
    assert untouched.accepted_pass is True and untouched.changes_since_acceptance == []
    # The accepted run stays the result of record until the reviewer decides on the change.
    assert result_of_record(filed.project).official == official
    # The owner sees which clauses await the reviewer again.
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    row = page[page.index('<tr data-clause="4.1.1"') :][:3000]
    assert "已更改，待重新审核" in row
    assert "认定 满足" in page[page.index('<tr data-clause="4.1.2"') :][:3000]


def test_a_changed_claim_keeps_the_decision_and_the_reviewer_sees_what_changed(client, filed, alice_owner, bureau):
    accept(filed, bureau)
    claims = claims_from(WORKED)
    claims["4.2.2"]["points"] = Decimal(8)  # 15 -> 8
    claims["4.2.2"]["evidence"] = None
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=HEADER, claims=claims
    )
    claims["4.2.2"]["points"] = Decimal(10)  # then 8 -> 10: the reviewer saw 15
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=HEADER, claims=claims
    )
    claim = ClauseClaim.objects.get(scorecard=filed, clause="4.2.2")
    assert claim.accepted_points == Decimal(15)  # the reviewer's decision stands (SCO-03)
    assert claim.changes_since_acceptance == [{"field": "claimed_points", "from": "15", "to": "10"}]
    assert ClauseClaim.objects.get(scorecard=filed, clause="4.2.1").accepted_points == Decimal(10)

    client.force_login(bureau)
    url = reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    assert "评审后已更改：申报分值 15→10" in page
    assert "data-history" in page  # with the clause's history
    with translation.override("en"):
        page = client.get(reverse("scoring:scorecard-review", args=[filed.project_id, "evaluation"])).content.decode()
    assert "Changed since the review: claimed points 15→10" in page

    # Reviewing again accepts the new figure and clears the note of changes.
    accept_now = accept_everything()
    accept_now["4.2.2"] = {"points": Decimal(10)}
    services.review_scorecard(actor=bureau, scorecard=filed, decisions=accept_now)
    claim.refresh_from_db()
    assert (claim.accepted_points, claim.changes_since_acceptance) == (Decimal(10), [])
    record = result_of_record(filed.project)
    assert record.official.basis == Basis.ACCEPTED and record.pending is None


def test_an_unchanged_resave_keeps_every_acceptance(filed, alice_owner, bureau):
    accept(filed, bureau)
    services.save_scorecard(
        actor=alice_owner, project=filed.project, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    assert not ClauseClaim.objects.filter(scorecard=filed, accepted_pass__isnull=True, kind=ClauseKind.CONTROL).exists()
    assert not ClauseClaim.objects.exclude(changes_since_acceptance=[]).exists()
