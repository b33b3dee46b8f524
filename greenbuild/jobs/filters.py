"""The filters of the task centre (我的任务与导出) and of the jobs API: state and kind of job."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.models import Job
from greenbuild.jobs.registry import kinds


def kind_choices() -> list[tuple[str, str]]:
    """The registered kinds of job, by their label (read when the form is built: apps register late)."""
    return sorted(((name, str(kind.label)) for name, kind in kinds().items()), key=lambda item: item[1])


class JobFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=JobStatus.choices, label=_("Status"), help_text="状态 · status of the job", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), help_text="任务类型 · kind of job", empty_label=_("All"))

    class Meta:
        model = Job
        fields = ["status", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()


class ApiJobFilterSet(JobFilterSet):
    # true or false, and nothing else: any other word is a 400, never ignored as a BooleanFilter
    # does (``?mine=yes`` listed every job the bureau follows, as ``?active=maybe`` once did)
    mine = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_mine",
        help_text="仅本人发起的任务（任务与导出中心）：true 或 false · only the jobs the caller started (the task "
        "centre): true or false",
    )

    class Meta(JobFilterSet.Meta):
        fields = ["status", "kind", "mine"]

    def filter_mine(self, queryset: Any, name: str, value: str) -> Any:
        if not value:
            return queryset
        user = self.request.user if self.request is not None else None
        mine = {"actor_id": getattr(user, "pk", None)}
        return queryset.filter(**mine) if value == "true" else queryset.exclude(**mine)
