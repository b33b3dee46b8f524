"""Every write of incentives and training.

Bonus records and escrow decisions rest on the completion evaluation: they read its result
through ``greenbuild.completion.selectors.completion_results`` (never a copy) and are refused
while the pilot has no final, passed result. They are made when the completion app sends
``completion_accepted`` (:func:`on_completion_accepted`) and by the bureau by hand
(:func:`award_bonuses`, :func:`assess_escrow`); both paths are the same services and idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import apply_changes, set_history_user
from greenbuild.core.permissions import CHANGE, VIEW
from greenbuild.core.workflow import apply_move
from greenbuild.incentives import rules_engine
from greenbuild.incentives.choices import (
    REAL_ESTATE_CATEGORY,
    Audience,
    EnterpriseRole,
    EscrowStatus,
    ResultLevel,
)
from greenbuild.incentives.models import (
    BonusRecord,
    BonusRule,
    BonusRulePoint,
    EscrowEligibility,
    EscrowTransition,
    TrainingAttendance,
    TrainingSession,
)
from greenbuild.incentives.permissions import can, is_bureau
from greenbuild.incentives.workflow import BONUS_WORKFLOW, ESCROW_WORKFLOW

logger = logging.getLogger(__name__)

SESSION_FIELDS = ("topic", "date", "place", "audiences", "organiser", "notes")


def _require_bureau(actor: Any) -> None:
    if not is_bureau(actor):
        raise ActionForbidden()


# --- the completion result, as the completion app states it --------------------------------------


@dataclass(frozen=True)
class CompletionBasis:
    """What incentives read of a pilot's completion evaluation."""

    final: bool  # the bureau's conclusion is recorded
    accepted: bool  # ... and it is acceptance
    verdict: str
    score: Decimal | None
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    ref: str = ""
    accepted_on: dt.date | None = None

    @property
    def passed(self) -> bool:
        """A pilot passes its completion evaluation when the bureau accepted it with its targets met."""
        return self.final and self.accepted and self.verdict == "met"


def completion_basis(project: Any) -> CompletionBasis | None:
    """The pilot's completion result of record (``completion.selectors.completion_results``), or
    None when the pilot has no evaluation (or the completion app is not installed)."""
    try:
        from greenbuild.completion.models import CompletionEvaluation
        from greenbuild.completion.selectors import completion_results
    except ImportError:  # pragma: no cover - the completion app is part of the platform
        return None
    result = completion_results([project]).get(project.pk)
    if result is None or result.evaluation_id is None:
        return None
    evaluation = CompletionEvaluation.objects.filter(pk=result.evaluation_id).first()
    decided = evaluation.decided_at if evaluation is not None else None
    verdict = result.verdict or ""
    text = _(
        "Completion evaluation no. {number} of {project}: {status}; verdict {verdict}, weighted score {score}."
    ).format(
        number=result.evaluation_id,
        project=project.name,
        status=evaluation.status_label if evaluation is not None else "—",
        verdict=result.verdict_label,
        score="—" if result.score is None else result.score,
    )
    data = {
        "evaluation_id": result.evaluation_id,
        "status": result.status,
        "verdict": verdict,
        "score": None if result.score is None else str(result.score),
        "is_final": result.is_final,
        "accepted": result.accepted,
        "scheme_version": result.scheme_version,
        "decided_at": decided.isoformat() if decided else None,
    }
    return CompletionBasis(
        final=result.is_final,
        accepted=result.accepted,
        verdict=verdict,
        score=result.score,
        text=text,
        data=data,
        ref="completion.CompletionEvaluation:{}".format(result.evaluation_id),
        accepted_on=timezone.localtime(decided).date() if decided else None,
    )


# --- the bonus rule -------------------------------------------------------------------------------


def rule_in_force(as_of: dt.date) -> BonusRule | None:
    """The version in force on ``as_of``: the latest one effective on or before it."""
    return BonusRule.objects.filter(effective_from__lte=as_of).order_by("-effective_from", "-pk").first()


@transaction.atomic
def create_bonus_rule(
    *,
    actor: Any,
    version: str,
    title: str,
    effective_from: dt.date,
    points: dict[tuple[str, str], Any],
    source: str = "",
    excellent_score: Decimal | None = None,
) -> BonusRule:
    """A new version of the rule. Versions are never edited once written: write the next one."""
    _require_bureau(actor)
    if BonusRule.objects.filter(version=version).exists():
        raise DomainError(_("Version {version} exists already.").format(version=version), field="version")
    rows = []
    for (role, level), value in points.items():
        if role not in EnterpriseRole.values or level not in ResultLevel.values:
            raise DomainError(_("Unknown role or result level: {role}, {level}.").format(role=role, level=level))
        amount = Decimal(str(value))
        if not Decimal(0) <= amount <= Decimal(100):
            raise DomainError(_("Points lie between 0 and 100."), field="points")
        rows.append((role, level, amount))
    if not rows:
        raise DomainError(_("Give the points of at least one role."), field="points")
    rule = BonusRule(
        version=version,
        title=title,
        effective_from=effective_from,
        source=source,
        excellent_score=excellent_score,
        created_by=actor,
    )
    set_history_user(rule, actor)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # the same form posted twice at once: the other request wrote it
        raise DomainError(_("Version {version} exists already.").format(version=version), field="version") from None
    BonusRulePoint.objects.bulk_create(
        [BonusRulePoint(rule=rule, role=role, level=level, points=amount) for role, level, amount in rows]
    )
    record_event(EventKind.WORKFLOW_MOVE, actor=actor, target=rule, action="bonus_rule_created", version=version)
    return rule


# --- bonus records --------------------------------------------------------------------------------


def enterprises_of(project: Any) -> list[tuple[Any, str]]:
    """The pilot's participating enterprises and their roles: the owner, then the participants."""
    result = [(project.owner, EnterpriseRole.OWNER.value)]
    for participant in project.participants.select_related("organisation").order_by("role", "pk"):
        if participant.role in EnterpriseRole.values:
            result.append((participant.organisation, participant.role))
    return result


@transaction.atomic
def award_bonuses(*, actor: Any, project_id: int) -> list[BonusRecord]:
    """The bonus records of a pilot that passed its completion evaluation (the bureau, or the
    completion app's signal). Reads the completion result; refused when it is not final or not
    passed, or when no rule is in force. Enterprises that hold a record for the role already
    (active or revoked) get no second one. Returns the new records."""
    from greenbuild.projects.models import Project

    _require_bureau(actor)
    project = Project.objects.select_for_update(of=("self",)).select_related("owner").filter(pk=project_id).first()
    if project is None:
        raise DomainError(_("No such pilot."))
    basis = completion_basis(project)
    if basis is None or not basis.final:
        raise DomainError(_("The pilot has no accepted completion evaluation: no bonus can be recorded."))
    as_of = basis.accepted_on or timezone.localdate()
    rule = rule_in_force(as_of)
    if rule is None:
        raise DomainError(_("No bonus rule is in force on {date}.").format(date=as_of.isoformat()))
    level = rules_engine.result_level(verdict=basis.verdict, score=basis.score, excellent_score=rule.excellent_score)
    if level is None or not basis.passed:
        raise DomainError(_("The pilot did not pass its completion evaluation: no bonus is recorded."))
    return _record_bonuses(actor=actor, project=project, rule=rule, level=level, basis=basis)


def _record_bonuses(
    *, actor: Any, project: Any, rule: BonusRule, level: str, basis: CompletionBasis
) -> list[BonusRecord]:
    enterprises = enterprises_of(project)
    by_id = {organisation.pk: organisation for organisation, _role in enterprises}
    existing = set(BonusRecord.objects.filter(project=project).values_list("organisation_id", "role"))
    created = []
    for award in rules_engine.awards(rule.table(), [(o.pk, role) for o, role in enterprises], level):
        if (award.organisation_id, award.role) in existing:
            continue
        record = BonusRecord(
            project=project,
            organisation=by_id[award.organisation_id],
            role=award.role,
            level=award.level,
            points=award.points,
            rule=rule,
            basis=basis.text,
            evaluation_ref=basis.ref,
            created_by=actor,
        )
        set_history_user(record, actor)
        record.save()
        created.append(record)
    if created:
        record_event(
            EventKind.WORKFLOW_MOVE,
            actor=actor,
            target=project,
            action="bonuses_awarded",
            records=[r.pk for r in created],
        )
        ids = [r.pk for r in created]
        transaction.on_commit(lambda: _notify_awarded(ids, actor.pk))
    return created


def _notify_awarded(ids: list[int], actor_id: int) -> None:
    from greenbuild.incentives.events import notify_bonus_awarded

    for pk in ids:
        notify_bonus_awarded(pk, actor_id)


def revoke_bonus(*, actor: Any, record_id: int, reason: str) -> Any:
    """Revoke a bonus record with a reason; the record stays (never deleted)."""
    return apply_move(workflow=BONUS_WORKFLOW, actor=actor, obj_or_pk=record_id, action="revoke", comment=reason)


# --- escrow release -------------------------------------------------------------------------------


def is_real_estate(project: Any) -> bool:
    category = project.category
    return category.code == REAL_ESTATE_CATEGORY or (
        category.parent_id is not None and category.parent.code == REAL_ESTATE_CATEGORY
    )


@transaction.atomic
def assess_escrow(*, actor: Any, project_id: int) -> EscrowEligibility:
    """Decide whether a real-estate pilot's escrowed funds may be released, from its completion
    result (final and passed: eligible; final and not passed: not eligible), recording the basis.
    Refused for other categories, without a final result, and once the release is recorded."""
    from greenbuild.projects.models import Project

    _require_bureau(actor)
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("category__parent").filter(pk=project_id).first()
    )
    if project is None:
        raise DomainError(_("No such pilot."))
    if not is_real_estate(project):
        raise DomainError(_("Only real-estate pilots hold escrowed funds."))
    basis = completion_basis(project)
    if basis is None or not basis.final:
        raise DomainError(_("The pilot has no accepted completion evaluation: eligibility cannot be decided yet."))
    status = EscrowStatus.ELIGIBLE if basis.passed else EscrowStatus.INELIGIBLE
    eligibility = EscrowEligibility.objects.select_for_update().filter(project=project).first()
    if eligibility is not None and eligibility.status == EscrowStatus.RELEASED:
        raise DomainError(_("The release is recorded already: the decision stands."))
    previous = eligibility.status if eligibility is not None else ""
    if eligibility is None:
        eligibility = EscrowEligibility(project=project)
    if previous == status and eligibility.basis_data == basis.data:
        return eligibility  # nothing changed: no row written
    eligibility.status = status
    eligibility.basis = basis.text
    eligibility.basis_data = basis.data
    eligibility.decided_by = actor
    eligibility.decided_at = timezone.now()
    set_history_user(eligibility, actor)
    eligibility.save()
    transition = EscrowTransition.objects.create(
        eligibility=eligibility, from_status=previous, to_status=status, actor=actor, comment=basis.text
    )
    transaction.on_commit(lambda: _notify_escrow(transition.pk))
    return eligibility


def _notify_escrow(transition_id: int) -> None:
    from greenbuild.incentives.events import notify_escrow_decided

    notify_escrow_decided(transition_id)


def release_escrow(*, actor: Any, eligibility_id: int, note: str) -> Any:
    """The bureau records the release of an eligible pilot's escrowed funds (reference in the note)."""
    return apply_move(workflow=ESCROW_WORKFLOW, actor=actor, obj_or_pk=eligibility_id, action="release", comment=note)


# --- the completion app's signal ------------------------------------------------------------------


def on_completion_accepted(sender: Any, *, evaluation: Any, actor: Any, **kwargs: Any) -> None:
    """``completion_accepted``: record the pilot's bonuses and, for a real-estate pilot, decide
    its escrow release. A refusal (no rule in force, not passed) is logged, never raised into the
    acceptance: the bureau can run the services by hand later."""
    project_id = getattr(evaluation, "project_id", None)
    if project_id is None:
        return
    for run in (award_bonuses, assess_escrow):
        try:
            with transaction.atomic():
                run(actor=actor, project_id=project_id)
        except (DomainError, ActionForbidden) as refusal:
            logger.info("incentives: %s for project %s refused: %s", run.__name__, project_id, refusal)


# --- training -------------------------------------------------------------------------------------


def _check_session(data: dict[str, Any]) -> None:
    audiences = data.get("audiences")
    if audiences is not None and (not audiences or any(a not in Audience.values for a in audiences)):
        raise DomainError(_("Choose at least one audience."), field="audiences")


@transaction.atomic
def create_session(*, actor: Any, data: dict[str, Any]) -> TrainingSession:
    _require_bureau(actor)
    _check_session(data)
    session = TrainingSession(created_by=actor, **{k: data[k] for k in SESSION_FIELDS if k in data})
    set_history_user(session, actor)
    session.save()
    return session


@transaction.atomic
def update_session(*, actor: Any, session_id: int, data: dict[str, Any]) -> TrainingSession:
    session: TrainingSession | None = TrainingSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None or not can(actor, VIEW, session):
        raise DomainError(_("No such training session."))
    if not can(actor, CHANGE, session):
        raise ActionForbidden()
    _check_session(data)
    if data.get("audiences") is not None:
        dropped = set(session.attendance.values_list("audience", flat=True)) - set(data["audiences"])
        if dropped:
            raise DomainError(
                _("People of these audiences attended the session already; keep them: {audiences}.").format(
                    audiences="、".join(sorted(str(Audience(a).label) for a in dropped if a in Audience.values))
                ),
                field="audiences",
            )
    changed = apply_changes(session, {k: data[k] for k in SESSION_FIELDS if k in data})
    if changed:
        set_history_user(session, actor)
        session.save()
    return session


def _organisation_named(name: str) -> Any:
    from greenbuild.accounts.models import Organisation

    return Organisation.objects.filter(name=name.strip()).first()


def _attendance_row(session: TrainingSession, row: dict[str, Any], actor: Any, *, imported: bool) -> TrainingAttendance:
    organisation = row.get("organisation")
    name = (row.get("organisation_name") or (organisation.name if organisation else "")).strip()
    if organisation is None and name:
        organisation = _organisation_named(name)
    if row.get("audience") not in session.audiences:
        raise DomainError(_("The session is not for this audience."), field="audience")
    attendance = TrainingAttendance(
        session=session,
        person_name=row["person_name"].strip(),
        position=(row.get("position") or "").strip(),
        organisation=organisation,
        organisation_name=name,
        audience=row["audience"],
        imported=imported,
        created_by=actor,
    )
    set_history_user(attendance, actor)
    return attendance


def _locked_session(actor: Any, session_id: int) -> TrainingSession:
    session: TrainingSession | None = TrainingSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None or not can(actor, VIEW, session):
        raise DomainError(_("No such training session."))
    if not can(actor, CHANGE, session):
        raise ActionForbidden()
    return session


@transaction.atomic
def record_attendance(*, actor: Any, session_id: int, data: dict[str, Any]) -> TrainingAttendance:
    """One attendee, entered by the bureau."""
    session = _locked_session(actor, session_id)
    if not (data.get("organisation_name") or data.get("organisation")):
        raise DomainError(_("Name the enterprise."), field="organisation_name")
    attendance = _attendance_row(session, data, actor, imported=False)
    if TrainingAttendance.objects.filter(
        session=session, person_name=attendance.person_name, organisation_name=attendance.organisation_name
    ).exists():
        raise DomainError(_("This person of this enterprise is recorded already."), field="person_name")
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:  # recorded by another request at the same moment
        raise DomainError(_("This person of this enterprise is recorded already."), field="person_name") from None
    return attendance


@dataclass
class ImportOutcome:
    created: int = 0
    errors: list[list[Any]] = field(default_factory=list)  # [row, column, message]
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refused


def import_attendance(*, actor: Any, session_id: int, uploaded_file: Any) -> ImportOutcome:
    """Import a sheet of attendees (imports/base.py): every row is checked first, then all are
    written in one transaction, or none; the outcome lists each refused row's problems."""
    from greenbuild.imports.base import ImportRefused, validate
    from greenbuild.imports.services import read_upload
    from greenbuild.incentives.importers import AttendanceImporter

    with transaction.atomic():
        session = _locked_session(actor, session_id)
    try:
        data = read_upload(uploaded_file)
    except ValidationError as error:
        return ImportOutcome(refused=" ".join(error.messages))
    importer = AttendanceImporter(session)
    try:
        result = validate(importer, data)
    except ImportRefused as refused:
        return ImportOutcome(refused=refused.message)
    if result.errors:
        return ImportOutcome(errors=[e.as_list() for e in result.errors])
    try:
        with transaction.atomic():
            session = _locked_session(actor, session_id)
            # the rows were checked before the session was locked: check the duplicates again under
            # the lock (the same file posted twice at once, or an attendee entered meanwhile)
            importer.session = session
            late = importer.check_rows(result.rows)
            if late:
                return ImportOutcome(errors=[e.as_list() for e in late])
            created = importer.write([values for _n, values in result.rows], actor=actor, options={})
            record_event(EventKind.IMPORT, actor=actor, target=session, importer="training_attendance", created=created)
    except DomainError as error:
        return ImportOutcome(errors=[[0, "", str(error.message)]])
    except IntegrityError:  # a row written by another request between the check and the write
        return ImportOutcome(refused=_("Some of these attendees were recorded meanwhile: nothing was imported."))
    return ImportOutcome(created=created)


def write_imported_attendance(*, actor: Any, session: TrainingSession, rows: list[dict[str, Any]]) -> int:
    """The importer's write (inside the caller's transaction)."""
    objects = [_attendance_row(session, row, actor, imported=True) for row in rows]
    for attendance in objects:
        attendance.save()
    return len(objects)
