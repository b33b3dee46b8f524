"""The webhooks pages: the list of the organisations' subscriptions, create and edit (a refused
form is shown again at its own address), the detail with the delivery log and its attempts, the
test-delivery, secret-rotation and delete buttons. Thin: gate, form, service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import ActionForbidden
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, VIEW, get_object_for_user
from greenbuild.webhooks import services
from greenbuild.webhooks.forms import SubscriptionEditForm, SubscriptionForm
from greenbuild.webhooks.models import Delivery, Subscription
from greenbuild.webhooks.permissions import may_use_webhooks

_NEW_SECRET = "webhooks_new_secret"  # noqa: S105 - a session key
DELIVERIES_SHOWN = 50


def _subscription(request: HttpRequest, pk: Any, action: str = VIEW) -> Subscription:
    subscription: Subscription = get_object_for_user(Subscription, request.user, pk, action)
    return subscription


def _show_secret_once(request: HttpRequest, subscription: Subscription, secret: str) -> None:
    request.session[_NEW_SECRET] = {"subscription": subscription.pk, "secret": secret}


def _form_page(request: HttpRequest, form: Any, subscription: Subscription | None) -> HttpResponse:
    """The form with the event catalogue laid out as its own block of checkboxes."""
    main_fields = [form[name] for name in form.fields if name != "events"]
    context = {"form": form, "main_fields": main_fields, "subscription": subscription}
    return render(request, "webhooks/form.html", context)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    if not may_use_webhooks(request.user):
        raise Http404
    subscriptions = Subscription.objects.for_user(request.user).select_related("organisation", "created_by")
    return render(request, "webhooks/list.html", {"subscriptions": subscriptions})


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    if not may_use_webhooks(request.user):
        raise Http404
    key = "webhooks-create"
    if request.method == "POST":
        form = SubscriptionForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organisation = data.pop("organisation")
            try:
                subscription, secret = services.create_subscription(
                    actor=request.user, organisation=organisation, data=data
                )
            except ValidationError as error:
                apply_service_error(form, error)
            except ActionForbidden:
                raise Http404 from None
            else:
                _show_secret_once(request, subscription, secret)
                return redirect("webhooks:subscription-detail", subscription.pk)
        keep_refused_form(request, key, form)
        return redirect("webhooks:subscription-create")
    form = take_refused_form(request, key, SubscriptionForm, user=request.user) or SubscriptionForm(
        user=request.user, initial={"is_active": True}
    )
    return _form_page(request, form, None)


@login_required
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk, CHANGE)
    key = "webhooks-edit-{}".format(subscription.pk)
    if request.method == "POST":
        form = SubscriptionEditForm(request.POST, instance=subscription, user=request.user)
        if form.is_valid():
            try:
                services.update_subscription(
                    actor=request.user, subscription_id=subscription.pk, data=dict(form.cleaned_data)
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The webhook is saved."))
                return redirect("webhooks:subscription-detail", subscription.pk)
        keep_refused_form(request, key, form)
        return redirect("webhooks:subscription-edit", subscription.pk)
    subscription.refresh_from_db()
    form = take_refused_form(
        request, key, SubscriptionEditForm, instance=subscription, user=request.user
    ) or SubscriptionEditForm(instance=subscription, user=request.user)
    return _form_page(request, form, subscription)


@login_required
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    new_secret = None
    shown = request.session.pop(_NEW_SECRET, None)
    if isinstance(shown, dict) and shown.get("subscription") == subscription.pk:
        new_secret = shown.get("secret")
    deliveries = (
        Delivery.objects.filter(subscription=subscription).prefetch_related("attempts").order_by("-created_at", "-pk")
    )[:DELIVERIES_SHOWN]
    response = render(
        request,
        "webhooks/detail.html",
        {"subscription": subscription, "deliveries": deliveries, "new_secret": new_secret},
    )
    if new_secret:
        response["Cache-Control"] = "private, no-store"  # the secret is in no cache, back button included
    return response


@login_required
@require_POST
def subscription_test(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk, CHANGE)
    services.send_test(actor=request.user, subscription_id=subscription.pk)
    messages.success(request, _("A test delivery is on its way; its result appears in the log below."))
    return redirect("webhooks:subscription-detail", subscription.pk)


@login_required
@require_POST
def subscription_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk, CHANGE)
    subscription, secret = services.rotate_secret(actor=request.user, subscription_id=subscription.pk)
    _show_secret_once(request, subscription, secret)
    return redirect("webhooks:subscription-detail", subscription.pk)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk, CHANGE)
    services.delete_subscription(actor=request.user, subscription_id=subscription.pk)
    messages.success(request, _("The webhook is deleted."))
    return redirect("webhooks:subscription-list")
