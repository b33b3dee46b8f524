"""Every write to a green construction plan (style.md §4): through the plan workflow engine.

The reviews app calls ``begin_review``, ``request_clarification`` and ``conclude_plan`` (each
refused unless the plan's review round drives it); the owner ``save_plan_draft``, ``submit_plan``,
``answer_clarification`` and ``submit_revision``; the verifier ``verify_revision``. A conclusion
``passed``, or an accepted revision of a ``passed_with_revisions``, sends ``signals.plan_passed``
once the transaction commits (the lifecycle app locks the baseline from that version).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import parse_id
from greenbuild.core.workflow import apply_move
from greenbuild.plans import data as plan_data
from greenbuild.plans.choices import OUTCOMES, BimStage, PlanStatus, RevisionStatus, Verifier
from greenbuild.plans.models import FrozenVersionError, GreenPlan, PlanRevision, PlanVersion
from greenbuild.plans.permissions import can, can_start_plan
from greenbuild.plans.workflow import (
    CONCLUSION_MOVES,
    PLAN_WORKFLOW,
    concluding_round,
    pending_checks,
    round_blockers,
)

MAX_TEXT = 5000
MAX_WASTE = Decimal("100000")
MAX_CARBON = Decimal("100000")


def _locked_plan(plan_id: Any) -> GreenPlan:
    number = parse_id(plan_id)
    plan: GreenPlan | None = (
        GreenPlan.objects.select_for_update(of=("self",))
        .select_related("project", "guideline")
        .filter(pk=number)
        .first()
        if number
        else None
    )
    if plan is None:
        raise DomainError(gettext("No such plan."))
    return plan


@transaction.atomic
def start_plan(*, actor: Any, project: Any) -> GreenPlan:
    """The project's plan, created empty against the guideline in force if there is none yet."""
    from greenbuild.guidelines.selectors import current_guideline

    existing: GreenPlan | None = GreenPlan.objects.filter(project=project).first()
    if existing is not None:
        return existing
    if not can_start_plan(actor, project):
        raise ActionForbidden()
    guideline = current_guideline()
    if guideline is None:
        raise DomainError(gettext("No technical guideline is published yet."))
    plan = GreenPlan(project=project, guideline=guideline, draft=draft_from_application(project))
    set_history_user(plan, actor)
    plan.save()
    return plan


def draft_from_application(project: Any) -> dict[str, Any]:
    """An empty plan whose targets start from what the application declared (star level, waste
    and green-material targets, each building's assembly rate, BIM stages), for the owner to
    confirm or change."""
    from greenbuild.projects.choices import StarLevel

    draft = plan_data.empty()
    targets = draft["targets"]
    star = getattr(project, "target_star_level", "") or ""
    if star in StarLevel.values and star != StarLevel.NONE and project.category.is_building:
        targets["star_level"] = star
    targets["waste_t_per_10k_m2"] = plan_data.as_text(getattr(project, "waste_target_t_per_10k_m2", None))
    targets["green_material_pct"] = plan_data.as_text(getattr(project, "green_material_target_pct", None))
    targets["assembly_rate_pct_by_building"] = {
        str(pk): plan_data.as_text(rate)
        for pk, rate in project.buildings.order_by("pk").values_list("pk", "target_assembly_rate_pct")
        if rate is not None
    }
    draft["bim_plan"]["stages"] = [
        stage
        for stage, declared in (
            (BimStage.DESIGN, getattr(project, "bim_design", False)),
            (BimStage.PRODUCTION, getattr(project, "bim_production", False)),
            (BimStage.CONSTRUCTION, getattr(project, "bim_construction", False)),
        )
        if declared
    ]
    return draft


def clean_plan_data(plan: GreenPlan, raw: Any) -> dict[str, Any]:
    """``raw`` checked against the plan's project and guideline, in the shape of ``plans.data``;
    :class:`DomainError` naming the field for the first thing wrong."""
    from greenbuild.guidelines.selectors import measure_items, technology_items
    from greenbuild.projects.choices import StarLevel
    from greenbuild.reference.models import OrganisationMode

    if not isinstance(raw, dict):
        raise DomainError(gettext("The plan must be an object."), field="data")
    unknown = sorted(set(raw) - set(plan_data.EMPTY))
    if unknown:
        raise DomainError(gettext("Unknown field: {name}.").format(name=unknown[0]), field=unknown[0])
    data = plan_data.normalised(raw)
    for section in ("targets", "bim_plan", "smart_site_plan", "measures"):
        if not isinstance(data[section], dict):
            raise DomainError(gettext("This must be an object."), field=section)
    extra = sorted(set(data["targets"]) - set(plan_data.TARGET_KEYS))
    if extra:
        raise DomainError(gettext("Unknown field: {name}.").format(name=extra[0]), field="targets." + extra[0])
    targets = data["targets"]
    star = "" if targets["star_level"] is None else targets["star_level"]  # null: not given, as ""
    if not isinstance(star, str) or star not in ("", *StarLevel.values):
        raise DomainError(gettext("Choose a star level from the list."), field="targets.star_level")

    def number(key: str, low: Decimal, high: Decimal, label: str) -> str | None:
        value = targets.get(key)
        if value in (None, ""):
            return None
        parsed = _plan_number(value)
        if parsed is None or not parsed.is_finite():
            raise DomainError(gettext("Enter a number."), field="targets." + key)
        if not low <= parsed <= high:
            raise DomainError(
                gettext("{label} must be between {low} and {high}.").format(label=label, low=low, high=high),
                field="targets." + key,
            )
        return plan_data.as_text(parsed)

    rates_raw = targets.get("assembly_rate_pct_by_building")
    rates_raw = {} if rates_raw is None else rates_raw
    if not isinstance(rates_raw, dict):
        raise DomainError(gettext("This must be an object."), field="targets.assembly_rate_pct_by_building")
    building_ids = {str(pk) for pk in plan.project.buildings.values_list("pk", flat=True)}
    rates: dict[str, str] = {}
    for building, value in rates_raw.items():
        if str(building) not in building_ids:
            raise DomainError(
                gettext("No such single building in this project."), field="targets.assembly_rate_pct_by_building"
            )
        if value in (None, ""):
            continue
        parsed = _plan_number(value)
        if parsed is None or not parsed.is_finite() or not Decimal(0) <= parsed <= Decimal(100):
            raise DomainError(
                gettext("An assembly rate is a percentage between 0 and 100."),
                field="targets.assembly_rate_pct_by_building",
            )
        rates[str(building)] = plan_data.as_text(parsed) or "0"
    cleaned_targets = {
        "star_level": star,
        "assembly_rate_pct_by_building": rates,
        "waste_t_per_10k_m2": number("waste_t_per_10k_m2", Decimal(0), MAX_WASTE, gettext("The waste target")),
        "green_material_pct": number(
            "green_material_pct", Decimal(0), Decimal(100), gettext("The green-material share")
        ),
        "carbon_kgco2e_per_m2": number("carbon_kgco2e_per_m2", Decimal(0), MAX_CARBON, gettext("The carbon intensity")),
    }

    def text(value: object, field: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise DomainError(gettext("Enter text."), field=field)
        if len(value) > MAX_TEXT:  # as sent, as the schema's maxLength counts (before the strip)
            raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field=field)
        return value.strip()

    codes = set(measure_items(plan.guideline).values_list("code", flat=True))
    measures = {}
    for code, value in data["measures"].items():
        if code not in codes:
            raise DomainError(gettext("No such guideline item: {code}.").format(code=code), field="measures")
        written = text(value, "measures." + code)
        if written:
            measures[code] = written
    technologies = data["technologies"]
    allowed = set(technology_items(plan.guideline).values_list("code", flat=True))
    if not isinstance(technologies, list) or any(not isinstance(t, str) or t not in allowed for t in technologies):
        raise DomainError(gettext("Choose technologies from the guideline's list."), field="technologies")
    stages = data["bim_plan"].get("stages")
    stages = [] if stages is None else stages
    if not isinstance(stages, list) or any(s not in BimStage.values for s in stages):
        raise DomainError(gettext("Choose BIM stages from the list."), field="bim_plan.stages")
    mode = "" if data["organisation_mode"] is None else data["organisation_mode"]
    if not isinstance(mode, str):
        raise DomainError(gettext("Choose an organisation mode from the list."), field="organisation_mode")
    if mode and not OrganisationMode.objects.filter(code=mode, active=True).exists():
        raise DomainError(gettext("Choose an organisation mode from the list."), field="organisation_mode")
    return {
        "targets": cleaned_targets,
        "measures": measures,
        "technologies": sorted(set(technologies)),
        "bim_plan": {
            "stages": [s for s in BimStage.values if s in stages],
            "text": text(data["bim_plan"].get("text"), "bim_plan.text"),
        },
        "smart_site_plan": {
            "smart_site": text(data["smart_site_plan"].get("smart_site"), "smart_site_plan.smart_site"),
            "equipment": text(data["smart_site_plan"].get("equipment"), "smart_site_plan.equipment"),
        },
        "organisation_mode": mode,
    }


def _plan_number(value: Any) -> Decimal | None:
    """A plan number as the ``PlanData`` schema takes it: a JSON number (never a boolean) or decimal
    text (``plans.data.DECIMAL_TEXT``: no sign, exponent, spaces or other digits); else None."""
    if isinstance(value, bool) or (isinstance(value, str) and not re.fullmatch(plan_data.DECIMAL_TEXT, value)):
        return None
    if not isinstance(value, (str, int, float)):
        return None
    return plan_data.decimal_or_none(value)


@transaction.atomic
def save_plan_draft(*, actor: Any, plan_id: Any, data: Any) -> GreenPlan:
    """Save the owner's working draft (while draft, sent back for revision or in clarification)."""
    plan = _locked_plan(plan_id)
    if not can(actor, "view", plan):
        raise DomainError(gettext("No such plan."))
    if not can(actor, "change", plan):
        if can(actor, "submit", plan):
            raise DomainError(
                gettext("The plan cannot be changed now: it is “{status}”.").format(status=plan.status_label)
            )
        raise ActionForbidden()
    draft = clean_plan_data(plan, data)
    if draft == plan.draft:
        return plan  # posted back as shown: nothing to write (issue 16 item 8)
    plan.draft = draft
    set_history_user(plan, actor)
    plan.save(update_fields=["draft", "updated_at"])
    return plan


@transaction.atomic
def attach_plan_file(*, actor: Any, plan_id: Any, uploaded_file: Any) -> Any:
    """Store a file of kind ``plan`` and add it to the draft (frozen with the next version)."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment

    plan = _locked_plan(plan_id)
    if not can(actor, "attach", plan):
        raise ActionForbidden()
    attachment = store_attachment(
        actor=actor, project=plan.project, kind=AttachmentKind.PLAN, uploaded_file=uploaded_file
    )
    plan.draft_attachments.add(attachment)
    set_history_user(plan, actor)
    plan.save(update_fields=["updated_at"])
    return attachment


@transaction.atomic
def remove_plan_file(*, actor: Any, plan_id: Any, attachment_id: Any) -> None:
    """Take a file off the draft. A file no submitted version holds is deleted (gone from every
    list and download, its stored file removed; the history keeps who removed what, SEC-03);
    frozen versions keep theirs."""
    from greenbuild.attachments.services import delete_attachment

    plan = _locked_plan(plan_id)
    if not can(actor, "attach", plan):
        raise ActionForbidden()
    attachment = plan.draft_attachments.filter(pk=parse_id(attachment_id)).first()  # type: ignore[misc]  # stubs refuse pk=None; Django matches no row
    if attachment is None:
        raise DomainError(gettext("No such file on this plan."))
    plan.draft_attachments.remove(attachment)
    set_history_user(plan, actor)
    plan.save(update_fields=["updated_at"])
    if not PlanVersion.attachments.through.objects.filter(attachment_id=attachment.pk).exists():
        delete_attachment(actor=actor, attachment=attachment)


def submit_plan(*, actor: Any, plan_id: Any, comment: str = "") -> Any:
    """Submit for expert review: the self-check must pass; the draft is frozen as a new version."""
    return apply_move(workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action="submit", comment=comment)


def begin_review(*, actor: Any, plan_id: Any, review_round: Any = None) -> Any:
    """submitted → in_review (the reviews app, when the panel is drawn)."""
    return apply_move(workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action="begin_review")


def request_clarification(*, actor: Any, plan_id: Any, question: str) -> Any:
    """in_review → clarification: the question goes to the owner."""
    return apply_move(
        workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action="request_clarification", comment=question
    )


@transaction.atomic
def answer_clarification(*, actor: Any, plan_id: Any, answer: str, data: Any = None) -> Any:
    """clarification → in_review: the owner answers, with the revised plan ``data`` (None: the
    saved draft); a new version is frozen and goes back into the same review."""
    if data is not None:
        save_plan_draft(actor=actor, plan_id=plan_id, data=data)
    return apply_move(
        workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action="answer_clarification", comment=answer
    )


@transaction.atomic
def conclude_plan(
    *,
    actor: Any,
    plan_id: Any,
    outcome: str,
    review_round: Any = None,
    reasons: str = "",
    requirements: Any = None,
    revision_deadline: dt.date | None = None,
) -> Any:
    """in_review → passed | passed_with_revisions | revise | failed: made only by the conclusion
    of the plan's review round (``reviews.services.conclude_round`` calls it with ``review_round``,
    still scoring, every seated expert submitted, while it records the round's conclusion:
    ``workflow.concluding_round``); refused otherwise, on every path, even to a caller that holds a
    fully scored round.

    修改后通过 needs ``requirements`` (a list) and a ``revision_deadline``: a :class:`PlanRevision`
    asks the owner for the revised version. A pass sends ``plan_passed`` after the commit; a pass
    with revisions sends it only once the revision is verified (:func:`verify_revision`)."""
    if outcome not in OUTCOMES:
        raise DomainError(gettext("Choose a conclusion from the list."), field="outcome")
    plan = _locked_plan(plan_id)
    concluding = concluding_round.get()
    if review_round is None or concluding is None or getattr(concluding, "pk", None) != review_round.pk:
        # the plan's conclusion is the round's: only ``reviews.services.conclude_round`` records it
        raise DomainError(gettext("A plan is concluded only by the conclusion of its expert review round."))
    blocked = round_blockers(plan, review_round)
    if blocked:
        raise DomainError(blocked[0])
    cleaned: list[str] = []
    deadline: dt.date | None = None
    if outcome == PlanStatus.PASSED_WITH_REVISIONS:
        cleaned = clean_requirements(requirements)
        deadline = clean_deadline(revision_deadline)
    transition = apply_move(
        workflow=PLAN_WORKFLOW,
        actor=actor,
        obj_or_pk=plan.pk,
        action=CONCLUSION_MOVES[cast(PlanStatus, outcome)],
        comment=reasons,
    )
    if deadline is not None:
        revision = PlanRevision(
            plan=plan,
            review_round=review_round,
            reviewed_version_id=cast(int, plan.current_version_id),  # the round reviewed it (round_blockers)
            requirements=cleaned,
            deadline=deadline,
            verifier=revision_verifier(review_round),
        )
        set_history_user(revision, actor)
        revision.save()
    if outcome == PlanStatus.PASSED:
        transaction.on_commit(lambda: _send_passed(plan.pk, review_round, actor))
    return transition


MAX_REQUIREMENTS = 50
#: a 修改后通过 revision is due within this many days of the conclusion (never open-ended)
MAX_REVISION_DAYS = 365


def clean_requirements(raw: Any) -> list[str]:
    """The revision requirements of a 修改后通过: a list of short texts (a text: one per line)."""
    if isinstance(raw, str):
        raw = raw.splitlines()
    if raw is None:
        raw = []
    if not isinstance(raw, list | tuple) or any(not isinstance(item, str) for item in raw):
        raise DomainError(gettext("List the revision requirements, one per line."), field="requirements")
    items = [item.strip().lstrip("-•·*").strip() for item in raw]
    items = [item for item in items if item]
    if not items:
        raise DomainError(
            gettext("A pass with revisions lists what must be revised, one requirement per line."),
            field="requirements",
        )
    if len(items) > MAX_REQUIREMENTS or any(len(item) > 1000 for item in items):
        raise DomainError(
            gettext("At most {n} requirements of at most 1000 characters each.").format(n=MAX_REQUIREMENTS),
            field="requirements",
        )
    return items


def clean_deadline(raw: Any) -> dt.date:
    """The revision deadline: a date, not in the past."""
    from django.utils import timezone

    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raw = None
    if not isinstance(raw, dt.date) or isinstance(raw, dt.datetime):  # a date, never a moment
        raise DomainError(gettext("Set the deadline of the revision."), field="revision_deadline")
    if raw < timezone.localdate():
        raise DomainError(gettext("The deadline cannot be in the past."), field="revision_deadline")
    if raw > timezone.localdate() + dt.timedelta(days=MAX_REVISION_DAYS):
        raise DomainError(
            gettext("The deadline is at most {days} days away.").format(days=MAX_REVISION_DAYS),
            field="revision_deadline",
        )
    return raw


def revision_verifier(review_round: Any) -> str:
    """Who verifies a revision (复核): the round's scheme says so when it has a ``revision_verifier``
    field; else the setting ``GREENBUILD_REVISION_VERIFIER`` ("leader" by default, or "bureau")."""
    from django.conf import settings

    scheme = getattr(review_round, "scheme", None)
    chosen = getattr(scheme, "revision_verifier", "") or getattr(settings, "GREENBUILD_REVISION_VERIFIER", "")
    return chosen if chosen in Verifier.values else Verifier.LEADER


@transaction.atomic
def submit_revision(*, actor: Any, plan_id: Any, comment: str = "") -> Any:
    """修改后通过: the owner submits the revised draft (a new frozen version) for verification."""
    return apply_move(workflow=PLAN_WORKFLOW, actor=actor, obj_or_pk=plan_id, action="submit_revision", comment=comment)


@transaction.atomic
def verify_revision(*, actor: Any, plan_id: Any, accept: bool, checks: Any = None, comment: str = "") -> Any:
    """复核: the verifier checks the revised version against each listed requirement (``checks``,
    one boolean per requirement; required to accept: an acceptance says each requirement is met). Accepted (every requirement met), the plan passes with that
    version and ``plan_passed`` is sent after the commit (the baseline is locked from it);
    refused (reasons required), the plan goes back to the owner."""
    plan = _locked_plan(plan_id)
    revision = plan.revisions.select_for_update().filter(status=RevisionStatus.SUBMITTED).first()
    if revision is None:
        if not can(actor, "view", plan):
            raise DomainError(gettext("No such plan."))
        raise DomainError(gettext("No revision is waiting for verification."))
    if not isinstance(accept, bool):
        raise DomainError(gettext("Accept or refuse the revision."), field="accept")
    if checks is None and not accept:
        checks = [False] * len(revision.requirements)  # a refusal may give its reasons only
    if (
        not isinstance(checks, list | tuple)
        or len(checks) != len(revision.requirements)
        or any(not isinstance(check, bool) for check in checks)  # "no" is not a verdict, nor True
    ):
        raise DomainError(gettext("Say for every requirement whether it is met."), field="checks")
    token = pending_checks.set(list(checks))
    try:
        transition = apply_move(
            workflow=PLAN_WORKFLOW,
            actor=actor,
            obj_or_pk=plan.pk,
            action="accept_revision" if accept else "refuse_revision",
            comment=comment,
        )
    finally:
        pending_checks.reset(token)
    if accept:
        review_round = revision.review_round
        transaction.on_commit(lambda: _send_passed(plan.pk, review_round, actor))
    return transition


def _send_passed(plan_id: int, review_round: Any, actor: Any) -> None:
    from greenbuild.plans.signals import plan_passed

    plan = GreenPlan.objects.select_related("project", "current_version").get(pk=plan_id)
    plan_passed.send(sender=GreenPlan, plan=plan, version=plan.current_version, review_round=review_round, actor=actor)


def edit_version(*, actor: Any, version_id: Any, data: Any) -> PlanVersion:
    """A submitted version is frozen: always refused (the owner edits the draft instead)."""
    raise FrozenVersionError(gettext("A submitted plan version is frozen and cannot be changed."))
