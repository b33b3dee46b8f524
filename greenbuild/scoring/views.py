"""Scoring pages. Thin: fetch through the gate, call a service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.attachments.views import download as download_attachment
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import get_child_or_404
from greenbuild.scoring import engines, services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.figures import latest_building_runs, pilot_checks
from greenbuild.scoring.forms import (
    EVIDENCE_FILES_PER_SAVE,
    NOT_GIVEN,
    BuildingAssessmentForm,
    EnergyRecordForm,
    MaterialLineForm,
    ScorecardForm,
    WasteRecordForm,
    default_building_type,
    describe_changes,
)
from greenbuild.scoring.freshness import may_recompute, outdated_results, recomputing
from greenbuild.scoring.messages import run_headline
from greenbuild.scoring.models import ClauseClaim, Scorecard
from greenbuild.scoring.permissions import can, can_review_scorecard, get_scored_project_for_user
from greenbuild.scoring.selectors import claim_histories, current_runs, result_of_record


@login_required  # SEC-17: the scores are never public; signed out, sign in first (any id)
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's standards page: every figure with its explanation, and R7–R14."""
    project = get_scored_project_for_user(request.user, pk)
    # The buildings once for the page: its table, the R7–R14 checks and the side-by-side table.
    prefetch_related_objects([project], "buildings")
    latest = current_runs(project)
    filed = {s.stage: s for s in project.scorecards.all()}
    building_runs = latest_building_runs(project)
    buildings = [(b, building_runs.get(b.pk)) for b in project.buildings.all()]
    record = result_of_record(project)
    outdated = outdated_results(latest)
    context = {
        "project": project,
        "star": record.official,
        "record": record,
        "stages": [
            (stage, filed.get(stage), filed.get(stage) is not None and can_review_scorecard(request.user, filed[stage]))
            for stage in Stage
        ],
        "buildings": buildings,
        "outdated": outdated,
        "recomputing": bool(outdated) and recomputing(project),
        "can_recompute": bool(outdated) and may_recompute(request.user, project),
        "waste": latest.get("waste"),
        "materials": latest.get("green-materials"),
        "carbon": latest.get("carbon"),
        "checks": pilot_checks(project, latest, building_runs),
        "runs": project.score_runs.select_related("actor")[:20],
        "can_claim": can(request.user, "claim", project),
        "can_review": can(request.user, "review", project),
    }
    return render(request, "scoring/scores.html", context)


def _scorecard_page(request: HttpRequest, pk: int, stage: str, mode: str) -> HttpResponse:
    if stage not in Stage.values:
        raise Http404
    project = get_scored_project_for_user(request.user, pk, "claim" if mode == "claim" else "review")
    scorecard = Scorecard.objects.filter(project=project, stage=stage).first()
    if mode == "review" and scorecard is None:
        raise Http404
    if mode == "review" and not can_review_scorecard(request.user, scorecard):  # SCO-07
        raise ActionForbidden(_("You filed claims on this scorecard: another account must review them."))
    edition = scorecard.edition if scorecard else engines.default_edition("gbt50378")
    claims = {c.clause: c for c in scorecard.claims.select_related("evidence")} if scorecard else {}
    initial: dict[str, object] = {"building_type": default_building_type(project)}
    if scorecard:
        initial = {
            "building_type": scorecard.building_type,
            "full_decoration": scorecard.full_decoration,
            **scorecard.star_requirements,
        }
    form = ScorecardForm(
        request.POST or None,
        request.FILES or None,
        catalogue=engines.clause_catalogue(edition),
        mode=mode,
        claims=claims,
        stage=stage,
        initial=initial,
    )
    if request.method == "POST" and mode == "claim" and "all_control_met" in request.POST:
        # Without the page's script: show the form again, unsaved, with every control item met.
        form.is_valid()
        form.stash_evidence(actor=request.user, project=project)  # the chosen files stay chosen
        chosen = {row["clause"]: row["pending"] for row in form.rows}
        form = ScorecardForm(
            catalogue=engines.clause_catalogue(edition),
            mode=mode,
            claims=claims,
            stage=stage,
            initial=form.with_every_control_item_met(),
        )
        for row in form.rows:
            row["pending"] = chosen.get(row["clause"])
        messages.info(request, _("Every control item is marked as met: check them, then save."))
        return _render_scorecard(request, project, form, stage, mode, scorecard)
    if request.method == "POST" and mode == "review" and "fill_claimed" in request.POST:
        # Show the review again, unsaved, with the claims filled in where nothing is accepted yet.
        form.is_valid()
        form = ScorecardForm(
            catalogue=engines.clause_catalogue(edition),
            mode=mode,
            claims=claims,
            stage=stage,
            initial=form.with_claims_where_undecided(),
        )
        messages.info(request, _("The claimed values are filled in where nothing was accepted: check them, then save."))
        return _render_scorecard(request, project, form, stage, mode, scorecard)
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and mode == "claim":
        form.stash_evidence(actor=request.user, project=project)  # chosen files survive a refusal
    if valid and not form.errors:
        try:
            if mode == "claim":
                run = services.save_scorecard(
                    actor=request.user, project=project, stage=stage, header=form.header(), claims=form.claims()
                )
            else:
                run = services.review_scorecard(actor=request.user, scorecard=scorecard, decisions=form.claims())
        except ValidationError as error:
            form.add_engine_error(error)
        else:
            messages.success(request, _("Scorecard saved and scored: {headline}.").format(headline=run_headline(run)))
            return redirect("scoring:scores", pk=project.pk)
    return _render_scorecard(request, project, form, stage, mode, scorecard)


def _render_scorecard(
    request: HttpRequest, project: Any, form: ScorecardForm, stage: str, mode: str, scorecard: Scorecard | None
) -> HttpResponse:
    if mode == "review":  # what changed since the reviewer's decision, with the clause's history
        changed = [row["claim"].pk for row in form.rows if row["claim"] and row["claim"].changes_since_acceptance]
        history = claim_histories(changed)
        for row in form.rows:
            claim = row["claim"]
            row["changes"] = describe_changes(claim.changes_since_acceptance) if claim else ""
            row["history"] = list(reversed(history.get(claim.pk, []))) if claim else []
    context = {
        "project": project,
        "form": form,
        "stage": Stage(stage),
        "mode": mode,
        "scorecard": scorecard,
        "filed_header": _filed_header(scorecard) if mode == "review" and scorecard else [],
    }
    return render(request, "scoring/scorecard_form.html", context)


def _filed_header(scorecard: Scorecard) -> list[tuple[str, str]]:
    """The owner's building type and table 3.2.8 figures, as the reviewer reads them ("未填写")."""
    fields = ScorecardForm.base_fields
    shown = [
        (capfirst(fields["building_type"].label), str(scorecard.get_building_type_display())),
        (capfirst(fields["full_decoration"].label), str(_("Yes") if scorecard.full_decoration else _("No"))),
    ]
    for name in ScorecardForm.STAR_FIELDS:
        value = scorecard.star_requirements.get(name)
        field = fields[name]
        choices = dict(getattr(field, "choices", None) or getattr(field.widget, "choices", None) or [])
        if value is None or value == "":
            text = str(NOT_GIVEN)
        elif isinstance(value, bool):
            text = str(_("Yes") if value else _("No"))
        else:
            text = str(choices.get(str(value), value))
        shown.append((capfirst(field.label), text))
    return shown


@login_required
@accepts_uploads(AttachmentKind.EVIDENCE, files=EVIDENCE_FILES_PER_SAVE)
def scorecard_edit(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    return _scorecard_page(request, pk, stage, "claim")


@login_required
def scorecard_review(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    return _scorecard_page(request, pk, stage, "review")


@login_required
def building_assess(request: HttpRequest, pk: int, building_pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk, "claim")
    building = get_child_or_404(project, "buildings", building_pk)
    existing = getattr(building, "assessment", None)
    items = engines.building_items()
    initial = existing.inputs if existing else {"structure": "concrete"}
    form = BuildingAssessmentForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.assess_building(actor=request.user, building=building, inputs=form.inputs())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Assembly rate computed: {headline}.").format(headline=run_headline(run)))
            return redirect("scoring:scores", pk=project.pk)
    return render(request, "scoring/building_form.html", {"project": project, "building": building, "form": form})


RECORD_FORMS = {"waste": WasteRecordForm, "material": MaterialLineForm, "energy": EnergyRecordForm}


def _project_record(project: Any, kind: str, record_pk: int) -> Any:
    if kind not in RECORD_FORMS:
        raise Http404
    model = services.RECORD_KINDS[kind][0]
    return get_child_or_404(project, model.objects.filter(project=project), record_pk)


@login_required
def records(request: HttpRequest, pk: int, kind: str | None = None, record_pk: int | None = None) -> HttpResponse:
    """Waste records, the bill of materials and site energy: each list with its add form, and
    one record's form in place of the add form while it is corrected."""
    project = get_scored_project_for_user(request.user, pk, "claim")
    if kind is not None and kind not in RECORD_FORMS:
        raise Http404
    editing = _project_record(project, kind, record_pk) if kind and record_pk is not None else None
    forms = {name: form_class(prefix=name) for name, form_class in RECORD_FORMS.items()}
    if editing is not None:
        forms[kind] = RECORD_FORMS[kind](instance=editing, prefix=kind)  # type: ignore[index]
    if request.method == "POST":
        kind = kind or request.POST.get("kind")
        if kind not in RECORD_FORMS:
            raise Http404
        form = forms[kind] = RECORD_FORMS[kind](request.POST, instance=editing, prefix=kind)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form._meta.fields}
            try:
                if editing is None:
                    services.add_record(actor=request.user, project=project, kind=kind, data=data)
                else:
                    services.update_record(actor=request.user, record=editing, data=data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Record saved."))
                return redirect("scoring:records", pk=project.pk)
    context = {
        "project": project,
        "forms": forms,
        "editing": editing,
        "editing_kind": kind if editing is not None else None,
        "waste_records": project.waste_records.all(),
        "material_lines": _with_carbon_titles(project.material_lines.all()),
        "energy_records": project.energy_records.all(),
    }
    return render(request, "scoring/records.html", context)


def _with_carbon_titles(lines: Any) -> list[Any]:
    from greenbuild.scoring.messages import unit_symbol

    titles = {
        row["key"]: "{} ({})".format(row["title"], unit_symbol(row["unit"])) for row in engines.carbon_materials()
    }
    # A line left from before the appendix A list (SCO-06) is marked until a category is chosen.
    categories = {row["title"]: row["group"] for row in engines.material_item_types()}
    units = {row["key"] for row in engines.material_units()}
    lines = list(lines)
    for line in lines:
        line.carbon_title = titles.get(line.carbon_material, line.carbon_material)
        line.not_listed = categories.get(line.item_type) != line.group or line.unit not in units
    return lines


@login_required
@require_POST
def record_delete(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk, "claim")
    services.delete_record(actor=request.user, record=_project_record(project, kind, record_pk))
    messages.success(request, _("Record deleted."))
    return redirect("scoring:records", pk=project.pk)


@login_required
@require_POST
def run_engines(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk, "claim")
    try:
        runs = services.run_project_engines(actor=request.user, project=project)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if runs:
            # One separator and the language's own colon (UI-14); the headline in the reader's language.
            messages.success(
                request,
                pgettext("reasons separator", "; ").join(
                    _("{engine}: {headline}").format(engine=r.get_engine_display(), headline=run_headline(r))
                    for r in runs
                ),
            )
        else:
            messages.info(request, _("Nothing to compute yet: add waste records or the bill of materials first."))
    return redirect("scoring:scores", pk=project.pk)


@login_required
@require_POST
def recompute_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute the outdated figures in the background (whoever enters the records or reviews the
    scores: a reader who may only see them gets 403 and writes nothing); its page shows the
    progress. A second click while one runs leads to that one; nothing outdated starts nothing."""
    from greenbuild.jobs.choices import JobStatus
    from greenbuild.jobs.models import Job
    from greenbuild.jobs.services import start_job
    from greenbuild.scoring.freshness import changed_engines, may_recompute
    from greenbuild.scoring.tasks import RECOMPUTE_RESULTS

    project = get_scored_project_for_user(request.user, pk)
    if not may_recompute(request.user, project):
        raise ActionForbidden(_("Only whoever enters the records or reviews the scores can have them recomputed."))
    running = (
        Job.objects.filter(kind=RECOMPUTE_RESULTS, project=project, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .order_by("pk")
        .first()
    )
    if running is not None and running.actor_id == request.user.pk:
        return redirect("jobs:job-detail", pk=running.pk)
    if running is not None:  # someone else's: its page is theirs
        messages.info(request, _("The figures are being recomputed."))
        return redirect("scoring:scores", pk=project.pk)
    if not changed_engines(project):
        messages.info(request, _("The figures are up to date with the records: nothing to recompute."))
        return redirect("scoring:scores", pk=project.pk)
    job = start_job(RECOMPUTE_RESULTS, actor=request.user, project=project)
    return redirect("jobs:job-detail", pk=job.pk)


@login_required  # SEC-17
def score_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """One stored computation: what went in, what came out, with which rules."""
    project = get_scored_project_for_user(request.user, pk)
    run = get_child_or_404(project, project.score_runs.select_related("actor", "rule_table"), run_pk)
    context = {
        "project": project,
        "run": run,
        "inputs_json": json.dumps(run.inputs, ensure_ascii=False, indent=2),
        "findings": run.result.get("findings", []),
        "explanation": run.result.get("explanation", ""),
    }
    return render(request, "scoring/score_run.html", context)


@login_required  # SEC-17
def evidence(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The old evidence address: through the scoring gate, then served as the attachment's download
    (which checks the attachments gate too)."""
    project = get_scored_project_for_user(request.user, pk)
    claim = get_child_or_404(
        project, ClauseClaim.objects.filter(scorecard__project=project, evidence__isnull=False), claim_pk
    )
    return download_attachment(request, claim.evidence_id)
