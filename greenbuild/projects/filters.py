import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project
from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial


class ProjectFilterSet(django_filters.FilterSet):
    """One filter set for the project list (and, later, the API)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    district_id = django_filters.ModelMultipleChoiceFilter(
        field_name="district", queryset=District.objects.all(), label=_("district")
    )
    category_id = django_filters.ModelMultipleChoiceFilter(
        field_name="category", queryset=ProjectCategory.objects.all(), label=_("category")
    )
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    structure_material_id = django_filters.ModelChoiceFilter(
        field_name="structure_material", queryset=StructureMaterial.objects.all(), label=_("structure material")
    )
    use_id = django_filters.ModelChoiceFilter(field_name="use", queryset=BuildingUse.objects.all(), label=_("use"))

    class Meta:
        model = Project
        fields = ["q", "district_id", "category_id", "status", "structure_material_id", "use_id"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(name__icontains=value) | Q(address__icontains=value) | Q(approval_code__icontains=value)
        )
