"""Every write of the scoring app: scorecards, claims, reviews, inputs, and score runs.

Bad input is refused before anything is stored: each service validates through the engine
(which names the offending field or clause) inside one transaction, so a refusal leaves nothing
half-written.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from greenbuild.accounts.models import User
from greenbuild.attachments import services as attachment_services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.history import set_history_user
from greenbuild.projects.models import Building, Project
from greenbuild.scoring import engines
from greenbuild.scoring.choices import Basis, ClauseKind, Engine, Stage
from greenbuild.scoring.figures import project_carbon_inputs, project_green_material_inputs, project_waste_inputs
from greenbuild.scoring.messages import translate
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
from greenbuild.scoring.permissions import can
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
    for name, value in header.items():
        setattr(scorecard, name, value)
    existing = {c.clause: c for c in scorecard.claims.all()} if scorecard.pk else {}
    rows: list[ClauseClaim] = []
    for clause, row in existing.items():
        if clause not in claims:  # the owner cleared it: it no longer counts, claimed or accepted
            field = "claimed_pass" if row.kind == ClauseKind.CONTROL else "claimed_points"
            _clear_decision_on_change(row, field, None, evidence=False)
            row.claimed_points = row.claimed_pass = row.accepted_points = row.accepted_pass = None
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
        _clear_decision_on_change(row, field, value, evidence=replaced)
        setattr(row, field, value)
        row.note = claim.get("note", row.note)
        if claim.get("evidence"):
            _attach_evidence(actor, project, row, claim["evidence"])
        rows.append(row)
    try:
        computation = engines.compute("gbt50378", scorecard_inputs(scorecard, rows))
    except StandardsInputError as error:
        raise _engine_error(error) from None
    set_history_user(scorecard, actor)
    scorecard.full_clean(exclude=["project"], validate_constraints=False)
    scorecard.save()
    for row in rows:
        row.scorecard = scorecard
        row.full_clean(exclude=["scorecard"], validate_constraints=False)
        set_history_user(row, actor)
        row.save()
    return _store_gbt50378_run(actor, scorecard, computation, Basis.CLAIMED)


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


def _clear_decision_on_change(row: ClauseClaim, field: str, value: Any, *, evidence: bool) -> None:
    """A changed claim or new evidence clears the reviewer's decision on that clause (issue 10
    item 2) and notes what changed, so the reviewer sees it. Works on the upload itself, whatever
    storage the evidence then goes to."""
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
    row.accepted_points = row.accepted_pass = None
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
    """A reviewer accepts points clause by clause; the scorecard is scored on the accepted figures."""
    project = _check(actor, "review", scorecard.project)
    # Read the scorecard again under the project lock: its header may have changed since the page.
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk, project=project)
    claims = list(scorecard.claims.select_for_update())
    unknown = sorted(set(decisions) - {c.clause for c in claims})
    if unknown:
        raise ValidationError({unknown[0]: _("This clause is not on the scorecard.")})
    for claim in claims:
        decision = decisions.get(claim.clause, {})  # a clause without a decision is not accepted
        if claim.kind == ClauseKind.CONTROL:
            claim.accepted_pass = decision.get("passed")
        else:
            claim.accepted_points = decision.get("points")
        claim.review_note = decision.get("note", claim.review_note)
        claim.changes_since_acceptance = []
    try:
        computation = engines.compute("gbt50378", scorecard_inputs(scorecard, claims, Basis.ACCEPTED))
    except StandardsInputError as error:
        raise _engine_error(error) from None
    for claim in claims:
        set_history_user(claim, actor)
        claim.save()
    return _store_gbt50378_run(actor, scorecard, computation, Basis.ACCEPTED)


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
    assessment.inputs = data
    set_history_user(assessment, actor)
    assessment.save()
    result = computation.result
    headline = "{} % · {}".format(result["assembly_rate_pct"], result["grade"])
    return _store_run(
        actor=actor,
        project=project,
        computation=computation,
        subject=building.name,
        headline=headline,
        building=building,
    )


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
    row = next((r for r in engines.carbon_materials() if r["key"] == record.carbon_material), None)
    if row is None:
        raise ValidationError({"carbon_material": _("This material is not in table D.0.1 of GB/T 51366.")})
    if record.unit != row["unit"]:
        raise ValidationError(
            {
                "unit": _(
                    "Table D.0.1 gives the factor of {material} per {unit}: enter the quantity in {unit}."
                ).format(material=row["title"], unit=row["unit"])
            }
        )


def _store_record(actor: User, record: Any, data: dict[str, Any]) -> Any:
    for name, value in data.items():
        setattr(record, name, value)
    record.full_clean()
    _check_carbon_unit(record)
    record._history_user = actor
    record.save()
    _check_engines_accept(record.project, record)
    return record


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
    record.delete()


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
