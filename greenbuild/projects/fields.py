"""The projects app's field policy (``core.fields``, issue 17 item 1, SEC-02): what each reader
sees of a pilot project.

* the public (and a signed-in reader with no relation to the project) and the experts seated on
  its review (insiders, ``register_project_reader``) read the public face: name, place, kind,
  floor areas, schedule, owner and the declared green targets;
* the readers of the project's internal sections (``view_internal``: the bureau, the owner, the
  district, the department reviewers, the participants) also read its investment, investment
  nature, approval-system code, creator and internal timestamps (first submission, creation,
  last change) and the moves they may make.

Pages, exports, open data, the API, search and ordering all read this one declaration.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from greenbuild.core.fields import Audience, FieldPolicy, register_field_policy
from greenbuild.core.permissions import VIEW_INTERNAL

#: What only the project's internal readers see (model fields and API names).
INTERNAL = frozenset(
    {
        "investment_nature",
        "investment_wan_yuan",
        "approval_code",
        "created_by",
        "submitted_at",
        "created_at",
        "updated_at",
        "available_actions",
    }
)


def project_audience(user: Any, project: Any) -> Audience:
    from greenbuild.projects.permissions import can, is_extra_reader

    if can(user, VIEW_INTERNAL, project):
        return Audience.INTERNAL
    if is_extra_reader(user, project):
        return Audience.INSIDER
    return Audience.PUBLIC


def project_internal_scope(user: Any) -> Q:
    from greenbuild.accounts.roles import is_bureau_admin
    from greenbuild.projects.models import Project

    if is_bureau_admin(user):
        return Q()  # every project: lists keep their plain order and index
    return Q(pk__in=Project.objects.for_user(user, VIEW_INTERNAL).values("pk"))


PROJECT_FIELDS = register_field_policy(
    FieldPolicy(
        model="projects.Project",
        internal=INTERNAL,
        audience=project_audience,
        internal_scope=project_internal_scope,
        aliases={"investment_nature_name": "investment_nature", "investment_nature_id": "investment_nature"},
    )
)
