"""One filter set for the project list (and, later, the API).

Every filter value comes from the address bar, so anything may arrive: a value that is not a
plausible id (text, a negative number, one too large for the database, ``?district_id=999…9``)
is a filter error shown above the list, never a database error (issue 10 item 10).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Value, When
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from greenbuild.core.fields import policy_for, search_q
from greenbuild.core.permissions import parse_id
from greenbuild.lists.sorting import Column, ListSort
from greenbuild.programmes.models import Programme
from greenbuild.projects.choices import ProjectStatus, WithdrawalStatus
from greenbuild.projects.models import Project, WithdrawalRequest
from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial


class IdChoiceField(fields.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(fields.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = [v for v in value if v not in self.empty_values]  # "All districts" sends an empty value
        return super().clean(value)

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class IdFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class IdMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdMultipleChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Used on the project's own foreign keys: no join, so no duplicate rows to remove, and a
        # SELECT DISTINCT over every column would sort the whole result (issue 10 item 20).
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


#: Statuses the list filters by together: the overview links a district's applications under review.
STATUS_GROUPS = {"in_review": (ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED)}
STATUS_CHOICES = [
    ("in_review", _("Under review")),
    *ProjectStatus.choices,
]


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    programme = IdFilter(field_name="programme", queryset=Programme.objects.all(), label=_("programme"))
    district_id = IdMultipleFilter(field_name="district", queryset=District.objects.all(), label=_("district"))
    category_id = IdMultipleFilter(
        field_name="category", queryset=ProjectCategory.objects.all(), label=_("category"), method="filter_category"
    )
    status = django_filters.MultipleChoiceFilter(choices=STATUS_CHOICES, label=_("status"), method="filter_status")
    structure_material_id = IdFilter(
        field_name="structure_material", queryset=StructureMaterial.objects.all(), label=_("structure material")
    )
    use_id = IdFilter(field_name="use", queryset=BuildingUse.objects.all(), label=_("use"))
    withdrawal = django_filters.ChoiceFilter(
        choices=[("pending", _("Withdrawal requests: awaiting decision"))],
        label=_("withdrawal request"),
        method="filter_withdrawal",
        empty_label=_("Withdrawal requests: any"),
    )

    class Meta:
        model = Project
        fields = ["q", "programme", "district_id", "category_id", "status", "structure_material_id", "use_id"]

    def filter_category(self, queryset, name, value):  # type: ignore[no-untyped-def]
        """A category group (房屋建筑) includes its sub-categories (REG-03)."""
        if not value:
            return queryset
        return queryset.filter(Q(category__in=value) | Q(category__parent__in=value))

    def filter_status(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if not value:
            return queryset
        statuses = {status for v in value for status in STATUS_GROUPS.get(v, (v,))}
        return queryset.filter(status__in=statuses)

    def filter_withdrawal(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # Only the requests the reader may see (the withdrawal requests' own gate): the public
        # and other companies learn nothing from this filter (REG-02, REG-08).
        user = getattr(self.request, "user", None)
        visible = WithdrawalRequest.objects.for_user(user) if user is not None else WithdrawalRequest.objects.none()
        pending = visible.filter(project=OuterRef("pk"), status=WithdrawalStatus.PENDING)
        return queryset.filter(Exists(pending)) if value == "pending" else queryset

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # The field policy (projects/fields.py) decides: the approval code is internal, so it finds
        # only the projects the reader sees inside (a seated expert or the public learns nothing).
        user = getattr(self.request, "user", None)
        return queryset.filter(search_q(Project, user, value, SEARCH_LOOKUPS))


#: What ``?q=`` matches; ``search_q`` limits each lookup to the rows where the reader sees the field.
SEARCH_LOOKUPS = (
    "name__icontains",
    "address__icontains",
    "approval_code__icontains",
    "owner__name__icontains",  # 建设单位 (REG-09)
)


#: The list's sortable columns (``?sort=``), shared by the page and its export. 更新 (the last
#: change) is internal: only a reader who sees it on every listed row may sort by it (core.fields).
PROJECT_SORT = ListSort(
    Column("name", _("Project name"), ("name",)),
    Column("programme", _("Programme"), ("programme__code",)),
    Column("district", _("District"), ("district__sort_order", "district__code")),
    Column("category", _("Category"), ("category__sort_order", "category__code")),
    Column("owner", _("Owner"), ("owner__name",)),
    Column("status", _("Status"), ("status",)),
    Column("updated", _("Updated"), ("updated_at",)),
)


def sorted_projects(request: Any, queryset: Any, query: QueryDict) -> Any:
    """``(rows, sort)``: the address bar's column order when it asks for one the reader may use,
    else :func:`visible_order`."""
    sort = PROJECT_SORT.apply(request, queryset, query=query)
    rows = sort.queryset if sort.value else visible_order(queryset, request.user)
    return rows, sort


def visible_order(queryset: Any, user: Any) -> Any:
    """The list's order: the newest change first when the reader sees the last change of every
    listed project, else the newest project first (the order must not reveal a hidden field).

    Decided inside the list's own query (no query more): a reader who sees inside every project
    keeps the model's order (and its index); for others the last change counts only when no listed
    row hides it."""
    scope = policy_for(Project).scope(user)
    if scope == Q():
        return queryset
    hidden_somewhere = Exists(queryset.exclude(scope).order_by().values("pk"))
    last_change = Case(When(hidden_somewhere, then=Value(None)), default=F("updated_at"), output_field=DateTimeField())
    return queryset.order_by(last_change.desc(nulls_last=True), "-pk")


def list_filters(request: Any) -> QueryDict:
    """The project list's filters: the address bar's, on the current programme unless it names
    one (``?programme=`` with no value lists every programme; REG-04). The export reads the same."""
    data: QueryDict = request.GET.copy()
    if "programme" not in data:
        current = current_programme_id()
        data["programme"] = "" if current is None else str(current)
    return data


def current_programme_id(as_of: Any = None) -> int | None:
    """``programmes.selectors.current_programme``'s answer in one query: the programme running on
    ``as_of`` (a phase contains the day), the one marked current first; else the one marked current."""
    from django.utils import timezone

    from greenbuild.programmes.models import Phase

    day = as_of or timezone.localdate()
    running = Exists(Phase.objects.filter(programme=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day))
    return (
        Programme.objects.annotate(running=running)
        .order_by("-running", "-is_current", "pk")
        .values_list("pk", flat=True)
        .first()
    )
