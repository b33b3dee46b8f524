"""``/api/v1/webhooks/`` and ``/api/v1/webhook-deliveries/``: an organisation's subscriptions and
their delivery log, through the webhooks gate (someone who does not manage the organisation's
webhooks: 404) and the same forms and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, clean_with_form, refuse_unknown_fields
from greenbuild.api.filters import IntegerIdFilter
from greenbuild.api.permissions import SignedIn, TokenScopePermission
from greenbuild.webhooks import services
from greenbuild.webhooks.api.serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionSecretSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWriteSerializer,
)
from greenbuild.webhooks.forms import SubscriptionEditForm, SubscriptionForm
from greenbuild.webhooks.models import Delivery, Subscription


def _check_is_active(data: Any) -> None:
    """``is_active`` is a JSON boolean: null or a word is refused, not read as false (the form's
    checkbox would)."""
    if isinstance(data, dict) and "is_active" in data:
        try:
            serializers.BooleanField().run_validation(data["is_active"])
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"is_active": error.detail}) from None


def _no_store(response: Response) -> Response:
    """An answer carrying the secret is kept in no cache."""
    response["Cache-Control"] = "private, no-store"
    return response


class SubscriptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GatedViewSet):
    """Webhook subscriptions (R22) of the organisations whose webhooks you manage."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [SignedIn, TokenScopePermission]  # a read token reads, never writes

    def get_queryset(self) -> QuerySet[Subscription]:
        return Subscription.objects.for_user(self.request.user).select_related("organisation").order_by("pk")

    def _read(self, subscription: Subscription, secret: str | None = None) -> dict[str, Any]:
        subscription = self.get_queryset().get(pk=subscription.pk)
        if secret is None:
            return WebhookSubscriptionSerializer(subscription).data
        subscription.secret = secret
        return WebhookSubscriptionSecretSerializer(subscription).data

    @extend_schema(request=WebhookSubscriptionWriteSerializer, responses={201: WebhookSubscriptionSecretSerializer})
    def create(self, request: Request) -> Response:
        """Subscribe an organisation you belong to; the answer carries the signing secret, this once."""
        refuse_unknown_fields(request.data, list(SubscriptionForm.base_fields))
        _check_is_active(request.data)
        data = clean_with_form(SubscriptionForm, request.data, user=request.user)
        organisation = data.pop("organisation")
        if "is_active" not in request.data:
            data["is_active"] = True  # the page's unticked box means off; an absent JSON key does not
        subscription, secret = services.create_subscription(actor=request.user, organisation=organisation, data=data)
        return _no_store(Response(self._read(subscription, secret), status=status.HTTP_201_CREATED))

    @extend_schema(request=WebhookSubscriptionWriteSerializer, responses={200: WebhookSubscriptionSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the name, address, events or active flag (switching on clears a disabled state)."""
        subscription = self.get_object()
        refuse_unknown_fields(request.data, list(SubscriptionEditForm.base_fields))
        _check_is_active(request.data)
        data = clean_with_form(
            SubscriptionEditForm, request.data, instance=subscription, partial=True, user=request.user
        )
        services.update_subscription(
            actor=request.user, subscription_id=subscription.pk, data={k: data[k] for k in request.data}
        )
        return Response(self._read(subscription))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete the subscription and its delivery log."""
        subscription = self.get_object()
        services.delete_subscription(actor=request.user, subscription_id=subscription.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"], url_path="test")
    def test(self, request: Request, pk: str) -> Response:
        """Send a ``webhook.ping`` delivery now (once, whatever the subscription's state)."""
        subscription = self.get_object()
        delivery = services.send_test(actor=request.user, subscription_id=subscription.pk)
        delivery = Delivery.objects.prefetch_related("attempts").get(pk=delivery.pk)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: WebhookSubscriptionSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new signing secret (in the answer, this once); the previous one still signs for 24 hours."""
        subscription = self.get_object()
        subscription, secret = services.rotate_secret(actor=request.user, subscription_id=subscription.pk)
        return _no_store(Response(self._read(subscription, secret)))


class DeliveryFilterSet(filters.FilterSet):
    subscription = IntegerIdFilter(field_name="subscription_id")
    event = filters.CharFilter(field_name="event")
    status = filters.CharFilter(field_name="status")

    class Meta:
        model = Delivery
        fields = ["subscription", "event", "status"]


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Webhook deliveries (newest first), each with every attempt: status code, answer, duration, error."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = DeliveryFilterSet
    permission_classes = [SignedIn, TokenScopePermission]

    def get_queryset(self) -> QuerySet[Delivery]:
        return Delivery.objects.for_user(self.request.user).prefetch_related("attempts").order_by("-created_at", "-pk")
