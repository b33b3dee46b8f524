"""The webhooks in the API: subscriptions (never their secret, except once when it is made) and
deliveries with every attempt."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.webhooks import catalogue
from greenbuild.webhooks.models import Attempt, Delivery, Subscription

_EVENTS_HELP = "订阅的事件代码 · the event codes subscribed to (docs/webhooks.md, “Events”)"


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, help_text="组织名称 · the organisation's name"
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=catalogue.event_codes()), help_text=_EVENTS_HELP
    )
    delivers = serializers.BooleanField(
        read_only=True, help_text="是否在发送 · whether events are sent: active and neither disabled nor suspended"
    )
    secret_hint = serializers.CharField(read_only=True, help_text="密钥开头 · the secret's first characters")

    class Meta:
        model = Subscription
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "name",
            "url",
            "events",
            "is_active",
            "delivers",
            "disabled_reason",
            "disabled_at",
            "consecutive_failures",
            "secret_hint",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookSubscriptionSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="签名密钥（仅此一次显示） · the signing secret, shown this once only"
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookSubscriptionWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="组织 · the organisation (create only; you must belong to it)")
    name = serializers.CharField(max_length=100, help_text="名称 · a name for the subscription")
    url = serializers.URLField(max_length=500, help_text="https；主机须在允许名单中 · https, host on the allow-list")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=catalogue.event_codes()), help_text=_EVENTS_HELP
    )
    is_active = serializers.BooleanField(
        required=False, help_text="是否启用（缺省为启用） · whether it is switched on (on when left out)"
    )


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "at", "status_code", "response_body", "duration_ms", "error", "succeeded"]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.SerializerMethodField(help_text="发送的正文 · the JSON body sent (the same on every attempt)")
    attempts = WebhookAttemptSerializer(
        many=True, read_only=True, help_text="每次发送尝试 · every attempt to send it, in order"
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "uuid",
            "subscription",
            "event",
            "is_test",
            "status",
            "attempt_count",
            "next_attempt_at",
            "created_at",
            "finished_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField())
    def get_payload(self, delivery: Delivery) -> Any:
        return json.loads(delivery.body)
