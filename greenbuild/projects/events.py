"""What the projects app tells people, and what it puts in their inbox (待办).

Registered in ``ProjectsConfig.ready()`` through ``greenbuild.notifications.registry``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import district_ids, is_bureau_admin, organisation_ids
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb
from greenbuild.projects import hooks
from greenbuild.projects.choices import ProjectStatus as S


def _status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code


def _render_transition(event: Any) -> str:
    p = event.params
    actor = str(event.actor) if event.actor_id else p.get("actor_name", "")
    return _("{project}: {from_status} → {to_status} ({actor})").format(
        project=p.get("project_name", ""),
        from_status=_status_label(p.get("from_status", "")),
        to_status=_status_label(p.get("to_status", "")),
        actor=actor,
    )


def _project_url(event: Any) -> str | None:
    return reverse("projects:project-detail", args=[event.project_id]) if event.project_id else None


def readers_of_project(users: list[Any], event: Any, action: str = "view_internal") -> list[Any]:
    """The users among ``users`` whom the projects gate lets ``action`` the event's project.

    The candidates' memberships are already loaded; the project's participants are read once
    for the whole batch, so the number of queries does not grow with the number of readers.
    """
    from greenbuild.projects.permissions import can

    project = event.project
    if project is None:
        return users
    project._gb_participant_orgs = set(project.participants.values_list("organisation_id", flat=True))
    try:
        return [user for user in users if can(user, action, project)]
    finally:
        del project._gb_participant_orgs


def notify_project_transition(transition_id: int) -> int:
    """Tell the owner's applicants, the district's officials and the bureau about a move.

    Called on commit by the application workflow. Only people who may see the project's internal
    pages are told (the projects gate decides), and never the actor. Returns the number told.
    """
    from greenbuild.notifications.services import emit
    from greenbuild.projects.models import ProjectTransition

    transition = ProjectTransition.objects.select_related("project", "actor").get(pk=transition_id)
    event = emit(
        "project.transition",
        actor=transition.actor,
        project=transition.project,
        target=transition,
        params={
            "project_name": transition.project.name,
            "from_status": transition.from_status,
            "to_status": transition.to_status,
            "actor_name": str(transition.actor),
            "comment": transition.comment,
        },
    )
    return event.notifications.count()


def _transition_audience(event: Any) -> Q:
    project = event.project
    return (
        Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=project.owner_id)
        | Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=project.district_id)
        | Q(memberships__role=Role.BUREAU_ADMIN)
    )


def _render_withdrawal_refused(event: Any) -> str:
    return _("{project}: the bureau refused the request to withdraw the pilot").format(
        project=event.params.get("project_name", "")
    )


def _withdrawal_refused_audience(event: Any) -> Q:
    """The requester and the district's officials (UI-11)."""
    project = event.project
    return Q(pk=event.params.get("requested_by")) | Q(
        memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=project.district_id
    )


def notify_withdrawal_refused(transition_id: int) -> int:
    """Tell the requester and the district that the bureau refused a withdrawal request, with the
    bureau's comment (called on commit by the withdrawal workflow). Returns the number told."""
    from greenbuild.notifications.services import emit
    from greenbuild.projects.models import WithdrawalTransition

    transition = WithdrawalTransition.objects.select_related("request__project", "actor").get(pk=transition_id)
    request = transition.request
    event = emit(
        "project.withdrawal_refused",
        actor=transition.actor,
        project=request.project,
        target=request,
        params={
            "project_name": request.project.name,
            "requested_by": request.requested_by_id,
            "comment": transition.comment,
        },
    )
    return event.notifications.count()


def _render_scorecard_reviewed(event: Any) -> str:
    from greenbuild.projects.choices import StarLevel

    level = event.params.get("level")
    project = event.params.get("project_name", "")
    if level in StarLevel.values:
        return _("{project}: the claims were reviewed; star level of record: {level}").format(
            project=project, level=StarLevel(level).label
        )
    return _("{project}: the claims were reviewed").format(project=project)


def _scorecard_reviewed_url(event: Any) -> str | None:
    return event.params.get("url") or _project_url(event)


def _owner_audience(event: Any) -> Q:
    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=event.project.owner_id)


def notify_scorecard_reviewed(*, actor: Any, project: Any, level: str | None, url: str) -> int:
    """Tell the owner's applicants that a reviewer decided on their claims, with the star level of
    record it gives (UI-11). The scoring app calls it on commit of ``review_scorecard``."""
    from greenbuild.notifications.services import emit

    event = emit(
        "project.scorecard_reviewed",
        actor=actor,
        project=project,
        params={"project_name": project.name, "level": level, "url": url},
    )
    return event.notifications.count()


# --- the inbox ---------------------------------------------------------------------------------


def _waiting(queryset: Any) -> Any:
    """Annotate each project with when it entered its current status (one subquery)."""
    from greenbuild.projects.models import ProjectTransition

    entered = (
        ProjectTransition.objects.filter(project=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return queryset.annotate(waiting_since=Subquery(entered)).select_related("programme", "category")


def _quota_deadlines(projects: list[Any]) -> dict[tuple[int, int], Any]:
    """(programme, category) → the quota deadline by which pilots must be confirmed (one query)."""
    from greenbuild.programmes.models import QuotaRule

    programmes = {p.programme_id for p in projects}
    if not programmes:
        return {}
    rules = QuotaRule.objects.filter(programme_id__in=programmes).values_list("programme_id", "category_id", "deadline")
    return {(programme, category): deadline for programme, category, deadline in rules}


def _items(kind: str, label: str, queryset: Any, *, with_due: bool = True) -> Iterator[InboxItem]:
    """Inbox items for ``queryset``'s projects: due ``INBOX_DUE_DAYS[kind]`` after they arrived,
    and never after the programme's quota deadline for their category."""
    from greenbuild.notifications.services import due_after

    projects = list(_waiting(queryset).order_by("pk")[:200])
    deadlines = _quota_deadlines(projects) if with_due else {}
    for project in projects:
        since = project.waiting_since or project.created_at
        cap = deadlines.get((project.programme_id, project.category_id))
        yield InboxItem(
            kind=kind,
            label=label,
            title=project.name,
            url=reverse("projects:project-detail", args=[project.pk]),
            since=since,
            due=due_after(since, kind, cap=cap) if with_due else None,
            project_id=project.pk,
        )


def applications_to_recommend(user: Any) -> Iterator[InboxItem]:
    """District officials: submitted applications of their districts, to recommend or return."""
    from greenbuild.projects.models import Project

    districts = district_ids(user)
    if not districts:
        return iter(())
    qs = Project.objects.for_user(user, "view_internal").filter(status=S.SUBMITTED, district_id__in=districts)
    return _items("projects.to_recommend", _("Recommend or return"), qs)


def applications_to_select(user: Any) -> Iterator[InboxItem]:
    """The bureau: recommended applications to accept as candidates or reject, candidates to confirm."""
    from greenbuild.projects.models import Project

    if not is_bureau_admin(user):
        return iter(())
    recommended = Project.objects.filter(status=S.RECOMMENDED)
    # Only candidates the bureau can confirm now: their plan passed a concluded review (UI-09).
    candidates = hooks.confirmable(Project.objects.filter(status=S.CANDIDATE))
    return iter(
        [
            *_items("projects.to_accept", _("Accept as candidate or reject"), recommended),
            *_items("projects.to_confirm", _("Confirm as pilot"), candidates),
        ]
    )


def applications_to_revise(user: Any) -> Iterator[InboxItem]:
    """Owner applicants: returned applications to revise, and drafts not yet submitted."""
    from greenbuild.projects.models import Project

    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    if not owners:
        return iter(())
    returned = Project.objects.filter(owner_id__in=owners, status=S.RETURNED)
    drafts = Project.objects.filter(owner_id__in=owners, status=S.DRAFT)
    return iter(
        [
            *_items("projects.to_revise", _("Revise and submit again"), returned),
            *_items("projects.to_submit", _("Complete and submit the application"), drafts, with_due=False),
        ]
    )


def withdrawals_to_decide(user: Any) -> Iterator[InboxItem]:
    """The bureau: owners' requests to withdraw a confirmed pilot (issue 10 item 23)."""
    from greenbuild.notifications.services import due_after
    from greenbuild.projects.selectors import pending_withdrawal_requests

    if not is_bureau_admin(user):
        return iter(())
    kind = "projects.withdrawal_to_decide"
    return iter(
        [
            InboxItem(
                kind=kind,
                label=_("Decide on the request to withdraw"),
                title=request.project.name,
                url=reverse("projects:project-detail", args=[request.project_id]),
                since=request.requested_at,
                due=due_after(request.requested_at, kind),
                project_id=request.project_id,
            )
            for request in pending_withdrawal_requests(user)[:200]
        ]
    )


def register() -> None:
    register_verb(
        Verb(
            code="project.transition",
            render=_render_transition,
            url=_project_url,
            audience=_transition_audience,
            readers=readers_of_project,
        )
    )
    register_verb(
        Verb(
            code="project.withdrawal_refused",
            render=_render_withdrawal_refused,
            url=_project_url,
            audience=_withdrawal_refused_audience,
            readers=readers_of_project,
        )
    )
    register_verb(
        Verb(
            code="project.scorecard_reviewed",
            render=_render_scorecard_reviewed,
            url=_scorecard_reviewed_url,
            audience=_owner_audience,
            readers=readers_of_project,
        )
    )
    register_inbox_provider("projects.to_recommend", applications_to_recommend)
    register_inbox_provider("projects.to_select", applications_to_select)
    register_inbox_provider("projects.to_revise", applications_to_revise)
    register_inbox_provider("projects.withdrawal_to_decide", withdrawals_to_decide)
