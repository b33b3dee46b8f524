"""The reviews app's API: the expert pool (bureau), rounds, seats and scores; moves as actions.

Every object comes through the app's gate (404 outside it, 403 visible but not allowed); writes
are checked by the same forms and made by the same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, clean_with_form, parse_pk, refuse_unknown_fields
from greenbuild.api.filters import IntegerIdFilter
from greenbuild.api.moves import with_moves
from greenbuild.plans.permissions import get_plan_for_user
from greenbuild.reviews import permissions, services
from greenbuild.reviews.api.serializers import (
    CriteriaSchemeSerializer,
    ExpertProfileSerializer,
    ExpertProfileWriteSerializer,
    ExpertScoreSerializer,
    ExpertScoresSerializer,
    LeaderChoiceSerializer,
    PanelDrawSerializer,
    PanelSeatSerializer,
    ReviewCommentSerializer,
    ReviewConcludeSerializer,
    ReviewRoundSerializer,
    SeatRespondSerializer,
)
from greenbuild.reviews.forms import DrawForm, ExpertProfileForm, RespondForm, opinion_initial
from greenbuild.reviews.models import CriteriaScheme, ExpertProfile, ExpertScore, PanelSeat, ReviewRound
from greenbuild.reviews.permissions import PROFILE_GATE, ROUND_GATE, SCHEME_GATE, SCORE_GATE, SEAT_GATE
from greenbuild.reviews.workflow import ROUND_WORKFLOW


def _body(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


class ExpertProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Expert profiles (专家库): the bureau reads and writes them; an expert reads their own."""

    serializer_class = ExpertProfileSerializer

    def get_queryset(self) -> QuerySet[ExpertProfile]:
        return PROFILE_GATE.for_user(self.request.user).select_related("user", "employer").order_by("user_id")

    def _write(self, request: Request, user_id: Any, partial_of: ExpertProfile | None) -> ExpertProfile:
        if not permissions.can_manage_pool(request.user):
            raise PermissionDenied()
        data = dict(_body(request))
        data.pop("user", None)
        if partial_of is not None:
            base = {
                "specialties": partial_of.specialties,
                "title": partial_of.title,
                "employer": partial_of.employer_id,
                "available": partial_of.available,
            }
            base.update(data)
            data = base
        cleaned = clean_with_form(ExpertProfileForm, data)
        return services.save_expert_profile(actor=request.user, user_id=user_id, data=cleaned)

    @extend_schema(request=ExpertProfileWriteSerializer, responses={201: ExpertProfileSerializer})
    def create(self, request: Request) -> Response:
        """Write the profile of a user holding the expert role (bureau)."""
        refuse_unknown_fields(request.data, ["user", *ExpertProfileForm.base_fields])
        profile = self._write(request, parse_pk(_body(request).get("user")), None)
        return Response(
            ExpertProfileSerializer(profile, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ExpertProfileWriteSerializer, responses={200: ExpertProfileSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        profile = self.get_object()
        refuse_unknown_fields(request.data, list(ExpertProfileForm.base_fields))
        profile = self._write(request, profile.user_id, profile)
        return Response(ExpertProfileSerializer(profile, context={"request": request}).data)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (``1``/``0``) or nothing: any other word is a 400 naming the parameter,
    never ignored as Django's ``NullBooleanField`` does (``?active=maybe`` listed every scheme)."""

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # the field reads the word (BooleanWidget drops it)
        super().__init__(*args, **kwargs)


class CriteriaSchemeFilterSet(filters.FilterSet):
    active = StrictBooleanFilter(help_text="启用（供新评审轮次选用） · offered for new rounds: true or false")
    based_on = IntegerIdFilter(field_name="based_on", help_text="复制自的评审标准编号 · copied from scheme id")

    class Meta:
        model = CriteriaScheme
        fields = ["active", "based_on", "consolidation", "leader_selection"]


class CriteriaSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Criteria schemes (评审标准): the sections experts score, their weights and ranges, the score
    bands, the consolidation rule and the panel rules; ``based_on`` and ``versions`` link a scheme's
    versions. A round's ``scheme_id`` and a draw's ``scheme`` are these ids. The bureau reads every
    scheme; a signed-in user those offered for new rounds (``active``) and those of the rounds they see."""

    serializer_class = CriteriaSchemeSerializer
    filterset_class = CriteriaSchemeFilterSet

    def get_queryset(self) -> QuerySet[CriteriaScheme]:
        used = ReviewRound.objects.filter(scheme_id=OuterRef("pk"))
        visible = SCHEME_GATE.for_user(self.request.user)
        return (
            visible.annotate(gb_in_use=Exists(used))
            .prefetch_related("sections", "bands", Prefetch("versions", queryset=visible.order_by("pk")))
            .order_by("pk")
        )


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Review rounds (评审轮次): the bureau draws; the leader asks for clarification and concludes."""

    serializer_class = ReviewRoundSerializer

    def get_queryset(self) -> QuerySet[ReviewRound]:
        return (
            ROUND_GATE.for_user(self.request.user)
            .select_related("plan__project", "plan_version", "scheme")
            .prefetch_related("seats__expert")
            .order_by("pk")
        )

    def _round(self, request: Request, pk: Any, action_name: str = "view") -> ReviewRound:
        return permissions.get_round_for_user(request.user, parse_pk(pk), action_name)

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=PanelDrawSerializer, responses={201: ReviewRoundSerializer})
    def create(self, request: Request) -> Response:
        """Draw a panel for a submitted plan (bureau): a random draw with a recorded seed."""
        refuse_unknown_fields(request.data, ["plan", *DrawForm.base_fields])
        body = dict(_body(request))
        plan = get_plan_for_user(request.user, parse_pk(body.pop("plan", None)))
        if not permissions.can_draw(request.user):
            raise PermissionDenied()
        body.setdefault("panel_size", 5)
        body.setdefault("scheme", CriteriaScheme.objects.filter(active=True).values_list("pk", flat=True).first())
        data = clean_with_form(DrawForm, body)
        review_round = services.draw_panel(
            actor=request.user,
            plan_id=plan.pk,
            panel_size=data["panel_size"],
            required_specialties=data["required_specialties"],
            scheme=data["scheme"],
            deadline=data["deadline"],
        )
        return Response(self._read(review_round.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReviewRoundSerializer})
    @action(detail=True, methods=["post"], url_path="actions/replace")
    def replace(self, request: Request, pk: str) -> Response:
        """Draw a replacement for a declined seat from the same seed stream (bureau)."""
        review_round = self._round(request, pk, "replace")
        services.draw_replacement(actor=request.user, round_id=review_round.pk)
        return Response(self._read(review_round.pk))

    @extend_schema(request=LeaderChoiceSerializer, responses={200: ReviewRoundSerializer})
    @action(detail=True, methods=["post"], url_path="actions/choose_leader")
    def choose_leader(self, request: Request, pk: str) -> Response:
        """Choose the panel leader among the accepted experts: the bureau appoints, or a seated expert
        votes (more than half of the panel elects), as the round's criteria scheme says."""
        review_round = self._round(request, pk)
        serializer = LeaderChoiceSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        seat_id = serializer.validated_data["seat"]
        if services.leader_selection(review_round) == "appointed":
            services.appoint_leader(actor=request.user, round_id=review_round.pk, seat_id=seat_id)
        else:
            services.vote_for_leader(actor=request.user, round_id=review_round.pk, seat_id=seat_id)
        return Response(self._read(review_round.pk))

    @extend_schema(request=ReviewCommentSerializer, responses={200: ReviewRoundSerializer})
    @with_moves(ROUND_WORKFLOW, ("request_clarification",))
    @action(detail=True, methods=["post"], url_path="actions/request_clarification")
    def request_clarification(self, request: Request, pk: str) -> Response:
        """Ask the owner for information (the leader or the bureau); ``comment`` is the question."""
        review_round = self._round(request, pk, "request_clarification")
        serializer = ReviewCommentSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        services.request_clarification(
            actor=request.user, round_id=review_round.pk, question=serializer.validated_data.get("comment", "")
        )
        return Response(self._read(review_round.pk))

    @extend_schema(request=ReviewConcludeSerializer, responses={200: ReviewRoundSerializer})
    @with_moves(ROUND_WORKFLOW, ("conclude",))
    @action(detail=True, methods=["post"], url_path="actions/conclude")
    def conclude(self, request: Request, pk: str) -> Response:
        """Record the conclusion (the leader, once every seated expert submitted); ``comment``: the reasons.

        The only way to conclude a plan. ``passed_with_revisions`` also needs ``requirements`` and
        ``revision_deadline``: the owner then submits the revision and the leader or the bureau
        verifies it (``/api/v1/plans/{id}/actions/submit_revision/`` and ``verify_revision``)."""
        review_round = self._round(request, pk, "conclude")
        serializer = ReviewConcludeSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        services.conclude_round(
            actor=request.user,
            round_id=review_round.pk,
            conclusion=serializer.validated_data["conclusion"],
            reasons=serializer.validated_data.get("comment", ""),
            requirements=serializer.validated_data.get("requirements"),
            revision_deadline=serializer.validated_data.get("revision_deadline"),
        )
        return Response(self._read(review_round.pk))


class SeatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Panel seats (专家席位): an expert's own; the bureau's all."""

    serializer_class = PanelSeatSerializer

    def get_queryset(self) -> QuerySet[PanelSeat]:
        return SEAT_GATE.for_user(self.request.user).select_related("expert", "opinion").order_by("pk")

    @extend_schema(request=SeatRespondSerializer, responses={200: PanelSeatSerializer})
    @action(detail=True, methods=["post"], url_path="actions/respond")
    def respond(self, request: Request, pk: str) -> Response:
        """Accept or decline, declaring any conflict of interest (the seat's expert)."""
        seat = self.get_object()
        data = clean_with_form(RespondForm, _body(request))
        services.respond_to_seat(
            actor=request.user,
            seat_id=seat.pk,
            accept=data["decision"] == "accept",
            conflict=data["conflict"],
            note=data["note"],
        )
        return Response(PanelSeatSerializer(PanelSeat.objects.get(pk=seat.pk)).data)

    @extend_schema(request=ExpertScoresSerializer, responses={200: ExpertScoreSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="actions/score")
    def score(self, request: Request, pk: str) -> Response:
        """Save the seat's section scores as a draft, or submit them (``submit``: final)."""
        seat = self.get_object()
        serializer = ExpertScoresSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = {}
        for entry in serializer.validated_data["scores"]:
            data["score_{}".format(entry["section"])] = entry["score"]
            data["comment_{}".format(entry["section"])] = entry.get("comment", "")
        # a field left out keeps what is saved (a draft of scores alone erases no opinion)
        body = _body(request)
        kept = opinion_initial(seat)
        for name in ("opinion", "recommendation", "revision_requirements"):
            data[name] = serializer.validated_data.get(name, "") if name in body else kept.get(name, "")
        if "declaration" in body:
            data["declaration"] = "on" if serializer.validated_data.get("declaration") else ""
        else:
            data["declaration"] = kept.get("declaration", "")
        services.save_scores(actor=request.user, seat_id=seat.pk, data=data, submit=serializer.validated_data["submit"])
        scores = ExpertScore.objects.filter(seat_id=seat.pk).select_related("section")
        return Response(ExpertScoreSerializer(scores, many=True).data)


class ExpertScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Expert scores (专家评分): one's own always; the others' only after submitting one's own."""

    serializer_class = ExpertScoreSerializer

    def get_queryset(self) -> QuerySet[ExpertScore]:
        return SCORE_GATE.for_user(self.request.user).select_related("section").order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self._audit(request)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        self._audit(request)
        return response

    def _audit(self, request: Request) -> None:
        from greenbuild.audit.choices import EventKind
        from greenbuild.audit.services import record_event

        others = self.get_queryset().exclude(seat__expert_id=request.user.pk).values_list("seat__round_id", flat=True)
        for review_round in ReviewRound.objects.filter(pk__in=set(others)).order_by("pk")[:50]:
            record_event(EventKind.BLIND_DATA_REVEALED, actor=request.user, request=request, target=review_round)
