"""Every write of the scoring app: scorecards, claims, reviews, inputs, and score runs.

Bad input is refused before anything is stored: each service validates through the engine
(which names the offending field or clause) inside one transaction, so a refusal leaves nothing
half-written.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from greenbuild.accounts.models import User
from greenbuild.attachments import services as attachment_services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.history import apply_changes, set_history_user
from greenbuild.projects.models import Building, Project
from greenbuild.scoring import engines
from greenbuild.scoring.choices import Basis, ClauseKind, Engine, Stage
from greenbuild.scoring.figures import project_carbon_inputs, project_green_material_inputs, project_waste_inputs
from greenbuild.scoring.messages import field_label, translate
from greenbuild.scoring.models import (
    BuildingAssessment,
    ClauseClaim,
    EnergyRecord,
    MaterialLine,
    RuleTable,
    Scorecard,
    ScoreRun,
    WasteRecord,
)
from greenbuild.scoring.permissions import can, is_claimant
from greenbuild.standards.types import StandardsInputError


def jsonable(value: Any) -> Any:
    """Decimals as exact strings (the engines read numeric strings exactly), recursively."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _check(actor: User, action: str, project: Project) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not can(actor, action, locked):
        raise ActionForbidden()
    return locked


def _engine_error(error: StandardsInputError) -> ValidationError:
    return ValidationError({error.field: translate(error.field, error.message)})


def _review_error(error: StandardsInputError) -> ValidationError:
    """An engine refusal of the accepted figures, worded for the reviewer (认定, not 申报: SCO-10)."""
    coded = getattr(error.message, "message", None)
    code = getattr(coded, "code", None)
    if code == "gbt50378.claim.above_maximum":
        params = coded.params  # type: ignore[union-attr]
        text = _("accepted {points} points, more than the clause maximum of {maximum}").format(
            points=params.get("claimed"), maximum=params.get("maximum")
        )
    elif code == "gbt50378.claim.negative":
        text = _("accepted points must not be negative")
    else:
        return _engine_error(error)
    return ValidationError({error.field: _("{field}: {message}").format(field=field_label(error.field), message=text)})


def _store_run(
    *, actor: User, project: Project, computation: engines.Computation, subject: str, headline: str, **links: Any
) -> ScoreRun:
    return ScoreRun.objects.create(
        project=project,
        engine=computation.engine,
        edition=computation.edition,
        ruleset_version=computation.ruleset_version,
        rule_table=computation.rule_table,
        engine_version=computation.engine_version,
        inputs=jsonable(computation.inputs),
        result=computation.result,
        subject=subject[:120],
        headline=headline[:200],
        actor=actor,
        **links,
    )


# --- GB/T 50378 scorecards -------------------------------------------------------------------


def scorecard_inputs(scorecard: Scorecard, claims: list[ClauseClaim], basis: str = Basis.CLAIMED) -> dict[str, Any]:
    """The engine's input contract built from a scorecard and its claims (or accepted points)."""
    accepted = basis == Basis.ACCEPTED
    control: dict[str, bool] = {}
    scored: dict[str, Any] = {}
    bonus: dict[str, Any] = {}
    for claim in claims:
        if claim.kind == ClauseKind.CONTROL:
            value = claim.accepted_pass if accepted else claim.claimed_pass
            if value is not None:
                control[claim.clause] = value
        else:
            points = claim.accepted_points if accepted else claim.claimed_points
            if points is not None:
                (scored if claim.kind == ClauseKind.SCORED else bonus)[claim.clause] = jsonable(points)
    return {
        "edition": scorecard.edition,
        "stage": scorecard.stage,
        "building_type": scorecard.building_type,
        "control_items": control,
        "scored_items": scored,
        "bonus_items": bonus,
        "full_decoration": scorecard.full_decoration,
        "star_requirements": scorecard.star_requirements,
    }


@transaction.atomic
def save_scorecard(
    *, actor: User, project: Project, stage: str, header: dict[str, Any], claims: dict[str, dict[str, Any]]
) -> ScoreRun:
    """The owner files or revises a scorecard clause by clause, then it is scored on the claims.

    ``claims`` maps a clause to ``{"kind", "points" | "passed", "note", "evidence"}``, the evidence
    being a pending attachment the actor stored (``attachments.services.store_attachment``). The whole
    scorecard is validated by the engine first; any refusal stores nothing.
    """
    project = _check(actor, "claim", project)
    scorecard = Scorecard.objects.select_for_update().filter(project=project, stage=stage).first()
    if scorecard is None:
        scorecard = Scorecard(project=project, stage=Stage(stage))
    if isinstance(header.get("star_requirements"), dict):
        header = {**header, "star_requirements": _canonical_figures(header["star_requirements"])}
    header_before = {name: getattr(scorecard, name) for name in header}
    for name, value in header.items():
        setattr(scorecard, name, value)
    existing = {c.clause: c for c in scorecard.claims.all()} if scorecard.pk else {}
    before = {clause: _claim_state(row) for clause, row in existing.items()}
    rows: list[ClauseClaim] = []
    for clause, row in existing.items():
        if clause not in claims:  # the owner cleared it: the claim no longer counts; a decision stands
            field = "claimed_pass" if row.kind == ClauseKind.CONTROL else "claimed_points"
            _note_change_since_review(row, field, None, evidence=False)
            row.claimed_points = row.claimed_pass = None
            rows.append(row)
    for clause, claim in claims.items():
        row = existing.get(clause) or ClauseClaim(scorecard=scorecard, clause=clause, kind=claim["kind"])
        field, value = (
            ("claimed_pass", claim.get("passed"))
            if claim["kind"] == ClauseKind.CONTROL
            else ("claimed_points", claim.get("points"))
        )
        new_evidence = claim.get("evidence")
        replaced = bool(new_evidence) and getattr(new_evidence, "pk", None) != getattr(row, "evidence_id", None)
        _note_change_since_review(row, field, value, evidence=replaced)
        setattr(row, field, value)
        row.note = claim.get("note", row.note)
        if claim.get("evidence"):
            _attach_evidence(actor, project, row, claim["evidence"])
        rows.append(row)
    try:
        computation = engines.compute("gbt50378", scorecard_inputs(scorecard, rows))
    except StandardsInputError as error:
        raise _engine_error(error) from None
    unchanged = (
        scorecard.pk is not None
        and header_before == {name: getattr(scorecard, name) for name in header}
        and all(row.pk is not None and before.get(row.clause) == _claim_state(row) for row in rows)
    )
    if unchanged and (same := _same_run(scorecard, Basis.CLAIMED, computation)) is not None:
        return same  # posted back as it was shown: nothing is stored (issue 16 item 8)
    set_history_user(scorecard, actor)
    scorecard.full_clean(exclude=["project"], validate_constraints=False)
    scorecard.save()
    for row in rows:
        row.scorecard = scorecard
        row.full_clean(exclude=["scorecard"], validate_constraints=False)
        set_history_user(row, actor)
        row.save()
    return _store_gbt50378_run(actor, scorecard, computation, Basis.CLAIMED)


def _canonical_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """Table 3.2.8 percentages stored one way, as exact numeric strings ("20", "12.5"), whatever
    path sent them (20, 20.0, Decimal("20")): the form shows and posts back what is stored, so an
    unchanged save changes nothing (issue 16 item 8)."""
    out = {}
    for name, value in figures.items():
        if name.endswith("_pct") and isinstance(value, int | float | Decimal | str) and not isinstance(value, bool):
            try:
                number = Decimal(str(value))
            except (ArithmeticError, ValueError):
                number = None
            if number is not None and number.is_finite():
                value = jsonable(number)
        out[name] = value
    return out


def _decision_state(row: ClauseClaim) -> tuple[Any, ...]:
    return (row.accepted_points, row.accepted_pass, row.review_note)


def _claim_state(row: ClauseClaim) -> tuple[Any, ...]:
    return (
        row.claimed_points,
        row.claimed_pass,
        row.note,
        row.evidence_id,
        row.accepted_points,
        row.accepted_pass,
        row.review_note,
        list(row.changes_since_acceptance),
    )


def _same_run(scorecard: Scorecard, basis: str, computation: engines.Computation) -> ScoreRun | None:
    """The scorecard's latest run on ``basis`` when it was computed from the same inputs with the
    same rules: a save that changes nothing returns it instead of storing a copy."""
    latest = scorecard.runs.filter(basis=basis).order_by("-at", "-pk").first()
    if latest is None:
        return None
    same = (
        latest.inputs == jsonable(computation.inputs)
        and latest.edition == computation.edition
        and latest.ruleset_version == computation.ruleset_version
        and latest.engine_version == computation.engine_version
    )
    return latest if same else None


def _attach_evidence(actor: User, project: Project, row: ClauseClaim, attachment: Attachment) -> None:
    """Bind the owner's pending evidence file to ``row``; the file it replaces keeps its row as a
    record but leaves storage once the save commits. ``row.evidence_id`` changes with the file."""
    try:
        if row.evidence_id and row.evidence_id != attachment.pk and row.evidence is not None:
            new = attachment_services.replace_attachment(actor=actor, attachment=row.evidence, replacement=attachment)
        else:
            new = attachment_services.bind_attachment(
                actor=actor, attachment=attachment, project=project, kind=AttachmentKind.EVIDENCE
            )
    except ValidationError as error:
        raise ValidationError({"evidence[{}]".format(row.clause): error.messages}) from None
    row.evidence = new


def _note_change_since_review(row: ClauseClaim, field: str, value: Any, *, evidence: bool) -> None:
    """A changed claim or new evidence after the reviewer's decision is noted on the clause, so the
    reviewer sees what changed (issue 10 item 2). The decision itself stands: a reviewer's accepted
    value is never replaced by a changed claim, and the reviewed run stays the result of record
    until the next review (issue 16 item 7, SCO-03). Works on the upload itself, whatever storage
    the evidence then goes to."""
    if row.pk is None:
        return
    changes = []
    old = getattr(row, field)
    if old != value:
        changes.append({"field": field, "from": jsonable(old), "to": jsonable(value)})
    if evidence:
        changes.append({"field": "evidence"})
    decided = row.accepted_points is not None or row.accepted_pass is not None
    if not changes or not (decided or row.changes_since_acceptance):
        return
    merged = {change["field"]: dict(change) for change in row.changes_since_acceptance}
    for change in changes:
        if change["field"] in merged and "from" in change:  # keep the value the reviewer saw
            change["from"] = merged[change["field"]]["from"]
        merged[change["field"]] = change
    row.changes_since_acceptance = list(merged.values())


def _store_gbt50378_run(actor: User, scorecard: Scorecard, computation: engines.Computation, basis: str) -> ScoreRun:
    result = computation.result
    total = result.get("total_score")
    headline = "{} · {}".format(result.get("level_title") or result.get("level"), total if total is not None else "—")
    subject = "{} ({})".format(scorecard.get_stage_display(), Basis(basis).label)
    return _store_run(
        actor=actor,
        project=scorecard.project,
        computation=computation,
        subject=subject,
        headline=headline,
        scorecard=scorecard,
        basis=basis,
    )


@transaction.atomic
def review_scorecard(*, actor: User, scorecard: Scorecard, decisions: dict[str, dict[str, Any]]) -> ScoreRun:
    """A reviewer accepts points clause by clause; the scorecard is scored on the accepted figures.

    ``decisions`` maps a clause to ``{"points" | "passed", "note"}``, or ``{"accept_claimed": True}``
    to accept the claimed value as it stands (按申报值认定); a clause left out is not accepted.
    Whoever filed or changed the scorecard's claims may not review them (SCO-07).
    """
    project = _check(actor, "review", scorecard.project)
    # Read the scorecard again under the project lock: its header may have changed since the page.
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk, project=project)
    if is_claimant(actor, scorecard):
        raise ActionForbidden(_("You filed claims on this scorecard: another account must review them."))
    claims = list(scorecard.claims.select_for_update())
    before = {claim.pk: _decision_state(claim) for claim in claims}
    unknown = sorted(set(decisions) - {c.clause for c in claims})
    if unknown:
        raise ValidationError({unknown[0]: _("This clause is not on the scorecard.")})
    for claim in claims:
        decision = decisions.get(claim.clause, {})  # a clause without a decision is not accepted
        as_claimed = bool(decision.get("accept_claimed"))
        if claim.kind == ClauseKind.CONTROL:
            claim.accepted_pass = claim.claimed_pass if as_claimed else decision.get("passed")
        else:
            claim.accepted_points = claim.claimed_points if as_claimed else decision.get("points")
        claim.review_note = decision.get("note", claim.review_note)
        claim.changes_since_acceptance = []
    try:
        computation = engines.compute("gbt50378", scorecard_inputs(scorecard, claims, Basis.ACCEPTED))
    except StandardsInputError as error:
        raise _review_error(error) from None
    if all(before[claim.pk] == _decision_state(claim) for claim in claims):
        same = _same_run(scorecard, Basis.ACCEPTED, computation)
        if same is not None:
            # The review posted back as it was shown: nothing is stored (issue 16 item 8), and a
            # change since the review stays pending; the reviewer keeps a decision with a note.
            return same
    for claim in claims:
        set_history_user(claim, actor)
        claim.save()
    run = _store_gbt50378_run(actor, scorecard, computation, Basis.ACCEPTED)
    _tell_owner_of_review(actor, project, run)  # UI-11
    return run


def _tell_owner_of_review(actor: User, project: Project, run: ScoreRun) -> None:
    from django.urls import reverse

    from greenbuild.projects.events import notify_scorecard_reviewed

    level, url = run.result.get("level"), reverse("scoring:scores", args=[project.pk])
    transaction.on_commit(lambda: notify_scorecard_reviewed(actor=actor, project=project, level=level, url=url))


# --- GB/T 51129 per building -------------------------------------------------------------------


@transaction.atomic
def assess_building(*, actor: User, building: Building, inputs: dict[str, Any]) -> ScoreRun:
    """Store a building's GB/T 51129 inputs and compute its assembly rate."""
    project = _check(actor, "claim", building.project)
    data = {**jsonable(inputs), "building": building.name}
    try:
        computation = engines.compute("gbt51129", data)
    except StandardsInputError as error:
        raise _engine_error(error) from None
    assessment = BuildingAssessment.objects.filter(building=building).first() or BuildingAssessment(building=building)
    if assessment.pk is not None and _same_inputs(assessment.inputs, data):
        unchanged = ScoreRun.objects.filter(building=building, engine=computation.engine).first()
        if unchanged is not None:
            return unchanged  # posted back as shown: nothing to write (issue 16 item 8)
    assessment.inputs = data
    set_history_user(assessment, actor)
    assessment.save()
    result = computation.result
    headline = "{} % · {}".format(result["assembly_rate_pct"], result["grade"])
    run = _store_run(
        actor=actor,
        project=project,
        computation=computation,
        subject=building.name,
        headline=headline,
        building=building,
    )
    # Whether the buildings are prefabricated sets the waste target (D11): that result follows.
    _recompute_record_results(actor, project, ("waste",))
    return run


# --- waste, green materials and carbon (project-wide) ------------------------------------------


#: engine -> (headline template, result key) for the project-wide engines.
PROJECT_HEADLINES = {
    "waste": ("{} t/万㎡", "intensity_t_per_10k_m2"),
    "green-materials": ("{} %", "green_material_ratio_pct"),
    "carbon": ("{} kgCO₂e/m²", "total_kgco2e_per_m2"),
}


def _run_project_engine(actor: User, project: Project, engine: str, inputs: dict[str, Any]) -> ScoreRun:
    try:
        computation = engines.compute(engine, inputs)
    except StandardsInputError as error:
        raise _engine_error(error) from None
    result = computation.result
    template, key = PROJECT_HEADLINES[engine]
    headline = template.format(result.get(key))
    return _store_run(actor=actor, project=project, computation=computation, subject=str(project), headline=headline)


#: record kind -> (model, the project-wide engines its records feed)
RECORD_KINDS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "waste": (WasteRecord, ("waste",)),
    "material": (MaterialLine, ("green-materials", "carbon")),
    "energy": (EnergyRecord, ("carbon",)),
}

#: An engine's name for a record field -> the model's field.
_ENGINE_FIELDS = {"category": "group", "material": "carbon_material", "carrier": "carrier"}


def _kind_of(record: Any) -> str:
    return next(kind for kind, (model, _engines) in RECORD_KINDS.items() if isinstance(record, model))


def _engine_records(project: Project, engine: str, kind: str) -> tuple[str, list[Any]]:
    """The engine's list name and the records in the order ``figures`` feeds them to it."""
    if engine == "waste":
        return "records", list(project.waste_records.all())
    if engine == "green-materials":
        return "items", list(project.material_lines.all())
    if kind == "energy":
        return "construction_energy", list(project.energy_records.all())
    return "materials", [line for line in project.material_lines.all() if line.carbon_material]


def _check_engines_accept(project: Project, record: Any) -> None:
    """Refuse a record that would later stop the calculation (issue 10 item 14): the engines it
    feeds are run on the project's records with this one, and a refusal that names this record is
    put on its field. A refusal about another record or the project is left to the calculation."""
    kind = _kind_of(record)
    builders = {
        "waste": project_waste_inputs,
        "green-materials": project_green_material_inputs,
        "carbon": project_carbon_inputs,
    }
    for engine in RECORD_KINDS[kind][1]:
        inputs = builders[engine](project)
        if inputs is None:
            continue
        try:
            engines.compute(engine, inputs)
        except StandardsInputError as error:
            name, records = _engine_records(project, engine, kind)
            # A refusal of the project as a whole names no field: it is the calculation's to show.
            match = re.match(r"^{}\[(\d+)\](?:\.(\w+))?".format(re.escape(name)), error.field or "")
            if not match or int(match.group(1)) >= len(records) or records[int(match.group(1))].pk != record.pk:
                continue
            field = _ENGINE_FIELDS.get(match.group(2) or "", match.group(2) or "")
            message = _engine_error(error).messages[0]
            target = field if field in {f.name for f in record._meta.fields} else "__all__"
            raise ValidationError({target: message}) from None


def _locked_record(actor: User, record: Any) -> Any:
    project = _check(actor, "claim", record.project)
    return type(record).objects.select_for_update().get(pk=record.pk, project=project)


def _check_carbon_unit(record: Any) -> None:
    """A line with a table D.0.1 factor is measured in that factor's unit (else A1–A3 is wrong)."""
    if not isinstance(record, MaterialLine) or not record.carbon_material:
        return
    from greenbuild.scoring.messages import unit_symbol

    row = next((r for r in engines.carbon_materials() if r["key"] == record.carbon_material), None)
    if row is None:
        raise ValidationError({"carbon_material": _("This material is not in table D.0.1 of GB/T 51366.")})
    if record.unit != row["unit"]:
        raise ValidationError(
            {
                "unit": _(
                    "Table D.0.1 gives the factor of {material} per {unit}: enter the quantity in {unit}."
                ).format(material=row["title"], unit=unit_symbol(row["unit"]))
            }
        )


def _same_inputs(stored: Any, new: Any) -> bool:
    """Two engine input snapshots that differ only in how a number is written (``40`` stored by
    the demo or an import, ``"40"`` or ``"40.0"`` from a form) are the same inputs."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        try:
            return Decimal(str(value)).normalize()
        except (InvalidOperation, ValueError):
            return value

    return bool(plain(stored) == plain(new))


def _store_record(actor: User, record: Any, data: dict[str, Any]) -> Any:
    if not apply_changes(record, data) and record.pk is not None:
        return record  # posted back as shown: nothing to write (issue 16 item 8)
    record.full_clean()
    _check_carbon_unit(record)
    record._history_user = actor
    record.save()
    _check_engines_accept(record.project, record)
    _recompute_record_results(actor, record.project, RECORD_KINDS[_kind_of(record)][1])
    return record


def _recompute_record_results(actor: User, project: Project, engine_names: tuple[str, ...]) -> list[ScoreRun]:
    """Recompute, in the request, the results of ``engine_names`` whose records changed since
    their latest run (issue 16 item 6): they are cheap (a few hundred records at most); a result
    never computed is left to the first calculation. A result the engine cannot compute now (a
    refusal about the project, not the record) stays outdated, and the standards page says so,
    until the records are corrected or it is recomputed by hand."""
    from greenbuild.scoring.figures import latest_runs
    from greenbuild.scoring.freshness import forget_records, record_engine_inputs

    forget_records(project)
    inputs = record_engine_inputs(project)
    latest = latest_runs(project)
    runs = []
    for engine in engine_names:
        now, run = inputs[engine], latest.get(engine)
        if now is None or run is None or run.inputs == now:
            continue  # nothing to compute from (the old result is withdrawn), never computed, or current
        try:
            runs.append(_run_project_engine(actor, project, engine, now))
        except ValidationError:
            continue
    forget_records(project)
    return runs


@transaction.atomic
def refresh_record_results(*, actor: User, project: Project) -> list[ScoreRun]:
    """Recompute the waste, green-material and carbon results whose records changed since they
    were computed, before anything is issued from them (the PDF summary). Nothing to recompute
    writes nothing, for whoever may see the scores; a recomputation is stored only for whoever
    enters the records or reviews the scores (``freshness.may_recompute``): a reader who may only
    see them gets ActionForbidden saying so. Raises ValidationError, naming the field, when a
    changed result cannot be computed."""
    from greenbuild.scoring.figures import latest_runs
    from greenbuild.scoring.freshness import RECORD_ENGINES, forget_records, may_recompute, record_engine_inputs

    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can(actor, "view", project):
        raise ActionForbidden()
    forget_records(project)
    latest = latest_runs(project)
    inputs = record_engine_inputs(project)
    changed = [
        (engine, now)
        for engine in RECORD_ENGINES
        if (now := inputs[engine]) is not None and engine in latest and latest[engine].inputs != now
    ]
    if changed and not may_recompute(actor, project):
        raise ActionForbidden(
            _(
                "The records changed since the figures were computed: whoever enters the records or"
                " reviews the scores must recompute them first."
            )
        )
    runs = [_run_project_engine(actor, project, engine, now) for engine, now in changed]
    forget_records(project)
    return runs


@transaction.atomic
def add_record(*, actor: User, project: Project, kind: str, data: dict[str, Any]) -> Any:
    """Validate and store one record of ``project``: ``kind`` is waste, material or energy."""
    project = _check(actor, "claim", project)
    return _store_record(actor, RECORD_KINDS[kind][0](project=project), data)


@transaction.atomic
def update_record(*, actor: User, record: Any, data: dict[str, Any]) -> Any:
    """Correct a waste record, bill-of-materials line or energy record; the history keeps the old values."""
    return _store_record(actor, _locked_record(actor, record), data)


@transaction.atomic
def delete_record(*, actor: User, record: Any) -> None:
    """Remove a record entered by mistake; the history keeps what it said and who removed it."""
    record = _locked_record(actor, record)
    record._history_user = actor
    kind = _kind_of(record)
    record.delete()
    _recompute_record_results(actor, record.project, RECORD_KINDS[kind][1])


def record_waste(*, actor: User, project: Project, data: dict[str, Any]) -> WasteRecord:
    return add_record(actor=actor, project=project, kind="waste", data=data)  # type: ignore[no-any-return]


def save_material_line(*, actor: User, project: Project, data: dict[str, Any]) -> MaterialLine:
    return add_record(actor=actor, project=project, kind="material", data=data)  # type: ignore[no-any-return]


def record_energy(*, actor: User, project: Project, data: dict[str, Any]) -> EnergyRecord:
    return add_record(actor=actor, project=project, kind="energy", data=data)  # type: ignore[no-any-return]


@transaction.atomic
def run_project_engines(*, actor: User, project: Project) -> list[ScoreRun]:
    """Compute waste intensity, green-material share and carbon from the project's records.

    An engine whose inputs are not there yet (no waste records, no bill of materials) is skipped;
    one that refuses its inputs raises with the field named, and nothing is stored.
    """
    project = _check(actor, "claim", project)
    runs = []
    for engine, inputs in (
        ("waste", project_waste_inputs(project)),
        ("green-materials", project_green_material_inputs(project)),
        ("carbon", project_carbon_inputs(project)),
    ):
        if inputs is not None:
            runs.append(_run_project_engine(actor, project, engine, inputs))
    return runs


# --- rule tables ---------------------------------------------------------------------------------


def check_rule_table(data: Any) -> Any:
    """Validate a rule table's header; returns the RuleSet. Raises ValidationError naming the field."""
    from greenbuild.standards.rulesets import ruleset_from_dict

    if not isinstance(data, dict):
        raise ValidationError({"data": _("A rule table is a JSON object.")})
    try:
        ruleset = ruleset_from_dict(data)
    except StandardsInputError as error:
        raise _engine_error(error) from None
    engine = data.get("engine")
    if not isinstance(engine, str) or engine not in Engine.values:
        raise ValidationError({"engine": _("The rule table must name its engine (gbt50378, gbt51129, …).")})
    try:  # the engine must be able to score with it, not just read its header
        engines.evaluate_with(engine, engines.smoke_input(engine, ruleset), ruleset)
    except (StandardsInputError, KeyError, TypeError, ValueError, IndexError) as error:
        raise ValidationError(
            {"data": _("The engine cannot score with this rule table: {error}").format(error=error)}
        ) from None
    if engine == Engine.GREEN_MATERIALS and ("item_types" in data or "units" in data):
        problem = engines.material_lists_problem(data)  # the records' category and unit lists (SCO-06)
        if problem:
            raise ValidationError(
                {"data": _("The engine cannot score with this rule table: {error}").format(error=problem)}
            )
    if (
        RuleTable.objects.filter(edition=ruleset.edition, version=ruleset.version).exists()
        or _bundled_version(ruleset.edition) == ruleset.version
    ):
        raise ValidationError({"version": _("This edition already has a rule table with this version.")})
    return ruleset


def _bundled_version(edition: str) -> str | None:
    from greenbuild.standards.rulesets import bundled_ruleset

    try:
        return bundled_ruleset(edition).version
    except StandardsInputError:
        return None


@transaction.atomic
def load_rule_table(*, actor: User, data: dict[str, Any], active: bool = True) -> RuleTable:
    """An administrator loads a corrected table as a new edition or version (no code change)."""
    if not can(actor, "manage_rules", None):
        raise ActionForbidden()
    ruleset = check_rule_table(data)
    table = RuleTable(
        engine=data["engine"],
        standard=ruleset.standard,
        edition=ruleset.edition,
        version=ruleset.version,
        effective_date=ruleset.effective_date,
        data=data,
        active=active,
        uploaded_by=actor,
    )
    set_history_user(table, actor)
    table.save()
    return table
