"""Scoring pages. Thin: fetch through the gate, call a service, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.forms import apply_service_error
from greenbuild.scoring import engines, services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.figures import latest_building_runs, latest_runs, pilot_checks, star_level_run
from greenbuild.scoring.forms import (
    BuildingAssessmentForm,
    EnergyRecordForm,
    MaterialLineForm,
    ScorecardForm,
    WasteRecordForm,
)
from greenbuild.scoring.models import ClauseClaim, Scorecard
from greenbuild.scoring.permissions import can, get_scored_project_for_user


def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's standards page: every figure with its explanation, and R7–R14."""
    project = get_scored_project_for_user(request.user, pk)
    latest = latest_runs(project)
    filed = {s.stage: s for s in project.scorecards.all()}
    building_runs = latest_building_runs(project)
    buildings = [(b, building_runs.get(b.pk)) for b in project.buildings.all()]
    context = {
        "project": project,
        "star": star_level_run(latest),
        "stages": [(stage, filed.get(stage)) for stage in Stage],
        "buildings": buildings,
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
    edition = scorecard.edition if scorecard else engines.default_edition("gbt50378")
    claims = {c.clause: c for c in scorecard.claims.all()} if scorecard else {}
    initial = {}
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
    if request.method == "POST" and form.is_valid():
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
            messages.success(request, _("Scorecard saved and scored: {headline}.").format(headline=run.headline))
            return redirect("scoring:scores", pk=project.pk)
    context = {"project": project, "form": form, "stage": Stage(stage), "mode": mode, "scorecard": scorecard}
    return render(request, "scoring/scorecard_form.html", context)


@login_required
def scorecard_edit(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    return _scorecard_page(request, pk, stage, "claim")


@login_required
def scorecard_review(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    return _scorecard_page(request, pk, stage, "review")


@login_required
def building_assess(request: HttpRequest, pk: int, building_pk: int) -> HttpResponse:
    project = get_scored_project_for_user(request.user, pk, "claim")
    building = project.buildings.filter(pk=building_pk).first()
    if building is None:
        raise Http404
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
            messages.success(request, _("Assembly rate computed: {headline}.").format(headline=run.headline))
            return redirect("scoring:scores", pk=project.pk)
    return render(request, "scoring/building_form.html", {"project": project, "building": building, "form": form})


@login_required
def records(request: HttpRequest, pk: int) -> HttpResponse:
    """Waste records, the bill of materials and site energy, each with its add form."""
    project = get_scored_project_for_user(request.user, pk, "claim")
    forms = {
        "waste": WasteRecordForm(prefix="waste"),
        "material": MaterialLineForm(prefix="material"),
        "energy": EnergyRecordForm(prefix="energy"),
    }
    if request.method == "POST":
        kind = request.POST.get("kind")
        service = {
            "waste": services.record_waste,
            "material": services.save_material_line,
            "energy": services.record_energy,
        }.get(kind)
        if service is None:
            raise Http404
        form_class = {"waste": WasteRecordForm, "material": MaterialLineForm, "energy": EnergyRecordForm}[kind]
        form = forms[kind] = form_class(request.POST, prefix=kind)
        if form.is_valid():
            try:
                service(actor=request.user, project=project, data=form.cleaned_data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Record saved."))
                return redirect("scoring:records", pk=project.pk)
    context = {
        "project": project,
        "forms": forms,
        "waste_records": project.waste_records.all(),
        "material_lines": project.material_lines.all(),
        "energy_records": project.energy_records.all(),
    }
    return render(request, "scoring/records.html", context)


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
            messages.success(request, "；".join("{}: {}".format(r.get_engine_display(), r.headline) for r in runs))
        else:
            messages.info(request, _("Nothing to compute yet: add waste records or the bill of materials first."))
    return redirect("scoring:scores", pk=project.pk)


def score_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """One stored computation: what went in, what came out, with which rules."""
    project = get_scored_project_for_user(request.user, pk)
    run = project.score_runs.select_related("actor", "rule_table").filter(pk=run_pk).first()
    if run is None:
        raise Http404
    context = {
        "project": project,
        "run": run,
        "inputs_json": json.dumps(run.inputs, ensure_ascii=False, indent=2),
        "findings": run.result.get("findings", []),
        "explanation": run.result.get("explanation", ""),
    }
    return render(request, "scoring/score_run.html", context)


def evidence(request: HttpRequest, pk: int, claim_pk: int) -> FileResponse:
    """An evidence file, through the gate (media files are never served directly)."""
    project = get_scored_project_for_user(request.user, pk)
    claim = ClauseClaim.objects.filter(pk=claim_pk, scorecard__project=project).exclude(evidence="").first()
    if claim is None:
        raise Http404
    return FileResponse(claim.evidence.open("rb"), as_attachment=True, filename=claim.evidence.name.rsplit("/", 1)[-1])
