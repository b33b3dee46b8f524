"""The guidelines API: editions and their items, read-only (administrators edit in the admin)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import mixins, serializers

from greenbuild.api.base import GatedViewSet
from greenbuild.api.filters import API_FILTER_BACKENDS
from greenbuild.guidelines.models import Guideline, GuidelineItem
from greenbuild.guidelines.permissions import GUIDELINE_GATE


class GuidelineSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="标题（按请求语言） · title in the request's language")

    class Meta:
        model = Guideline
        fields = ["id", "code", "title", "title_zh", "title_en", "effective_date", "published", "based_on"]


class GuidelineItemSerializer(serializers.ModelSerializer):
    part_label = serializers.CharField(source="get_part_display", read_only=True, help_text="篇章名称 · part, in words")
    step_label = serializers.CharField(read_only=True, help_text="建设环节名称 · lifecycle step, in words")

    class Meta:
        model = GuidelineItem
        fields = [
            "id",
            "guideline",
            "part",
            "part_label",
            "code",
            "text_zh",
            "text_en",
            "step",
            "step_label",
            "evidence_zh",
            "evidence_en",
            "mandatory",
            "requirement",
            "is_technology",
            "sort_order",
        ]


class GuidelineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Editions of the technical guideline (技术导则): published ones for everyone, drafts for the bureau."""

    serializer_class = GuidelineSerializer
    queryset = Guideline.objects.order_by("-effective_date", "-pk")

    def get_queryset(self) -> QuerySet[Guideline]:
        return GUIDELINE_GATE.for_user(self.request.user, queryset=Guideline.objects.order_by("-effective_date", "-pk"))


class GuidelineItemFilterSet(filters.FilterSet):
    class Meta:
        model = GuidelineItem
        fields = ["guideline", "part", "step", "mandatory", "is_technology", "requirement"]


class GuidelineItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Items of the readable editions (导则条目), filterable by edition, part and lifecycle step."""

    serializer_class = GuidelineItemSerializer
    filterset_class = GuidelineItemFilterSet
    filter_backends = API_FILTER_BACKENDS
    queryset = GuidelineItem.objects.order_by("guideline", "sort_order", "code")

    def get_queryset(self) -> QuerySet[GuidelineItem]:
        editions: Any = GUIDELINE_GATE.for_user(self.request.user).values("pk")
        return GuidelineItem.objects.filter(guideline__in=editions).order_by("guideline", "sort_order", "code")
