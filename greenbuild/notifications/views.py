"""Notifications, the inbox (待办) and e-mail preferences. Each reader sees only their own,
and only about projects the projects gate still lets them see."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenbuild.core.http import AuthenticatedRequest
from greenbuild.core.permissions import parse_id
from greenbuild.notifications import services
from greenbuild.notifications.models import Notification


class PreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(label=gettext_lazy("Send me a daily digest e-mail"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of e-mails"), choices=settings.LANGUAGES)


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    notifications = (
        Notification.objects.visible_to(request.user)
        .select_related("event", "event__actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    pref = services.preference_for(request.user)
    form = PreferenceForm(initial={"daily_digest": pref.daily_digest, "language": pref.language})
    return render(request, "notifications/list.html", {"page": page, "preference_form": form})


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    try:
        notification = services.mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    if request.method != "POST":  # UI-13: the form lives on the notifications page
        return redirect("notifications:list")
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.update_preference(
            actor=request.user,
            daily_digest=form.cleaned_data["daily_digest"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your e-mail preferences are saved."))
    else:
        messages.error(request, _("Please choose a language for your e-mails."))
    return redirect("notifications:list")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The to-do list: open programmes by default; ``?programme=<id>`` shows one programme's
    items, an ended (archived) programme's included (UI-10)."""
    from greenbuild.programmes.selectors import all_programmes

    programmes = all_programmes()
    chosen = parse_id(request.GET.get("programme"))
    if chosen is not None and chosen not in {p.pk for p in programmes}:
        chosen = None
    items = services.inbox_for(request.user, programme=chosen)
    ended = services.ended_programme_ids()
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": items,
            "overdue": sum(1 for item in items if item.overdue),
            "programmes": [(p, p.pk in ended) for p in programmes],
            "chosen": chosen,
            "archived": chosen in ended,
        },
    )


@login_required
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The navbar's count of waiting items, loaded after the page so pages stay cheap."""
    items = services.inbox_for(request.user)
    overdue = sum(1 for item in items if item.overdue)
    return render(request, "notifications/partials/inbox_badge.html", {"count": len(items), "overdue": overdue})
