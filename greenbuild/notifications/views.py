"""Notifications, the inbox (待办) and e-mail preferences. Each reader sees only their own,
and only about projects the projects gate still lets them see."""

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from greenbuild.core.forms import keep_refused_form, take_refused_form
from greenbuild.core.http import AuthenticatedRequest
from greenbuild.core.permissions import parse_id
from greenbuild.notifications import badge, services
from greenbuild.notifications.models import Notification
from greenbuild.notifications.registry import kinds


class PreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(label=gettext_lazy("Send me a daily digest e-mail"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of e-mails"), choices=settings.LANGUAGES)
    email_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of event that also come by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The others stay on the notifications page only."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["email_kinds"])
        field.choices = kinds()  # in the reader's language


PREFERENCES_FORM = "notification-preferences"
#: notifications per page (the page and its "group by project" view)
PAGE_SIZE = 50
FILTER_NAMES = ("unread", "kind", "project")


def _filter_query(data: Any) -> str:
    """The query string of the page's filters (and grouping) as ``data`` carries them."""
    kept = {name: data.get(name) for name in (*FILTER_NAMES, "group") if data.get(name)}
    return urlencode(kept)


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """The reader's notifications: filtered (unread, kind, project), optionally grouped by project,
    50 a page. A constant number of queries whatever the number of notifications and projects."""
    filterset = services.filtered_notifications(request.user, request.GET)
    if not filterset.is_valid():
        messages.error(request, _("A filter was not understood and is ignored."))
    grouped = request.GET.get("group") == "project"
    ordering = (
        [F("project__name").asc(nulls_last=True), "project_id", "-created_at", "-pk"]
        if grouped
        else ["-created_at", "-pk"]
    )
    notifications = filterset.qs.select_related("event", "event__actor", "project").order_by(*ordering)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    pref = services.preference_for(request.user)
    projects = (
        Notification.objects.visible_to(request.user)
        .filter(project__isnull=False)
        .values_list("project_id", "project__name")
        .distinct()
        .order_by("project__name", "project_id")
    )
    chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
    unread_total = services.unread_count(request.user)
    request.gb_nav_unread = unread_total  # the navbar shows the same count (core.context_processors)
    groups: list[tuple[Any, list[Notification]]] = []
    for notification in page.object_list:  # the page's rows, in order: consecutive rows of a project
        key = notification.project if grouped else None
        if groups and groups[-1][0] == key:
            groups[-1][1].append(notification)
        else:
            groups.append((key, [notification]))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "groups": groups,
            "filterset": filterset,
            "chosen": chosen,
            "kinds": kinds(),
            "projects": list(projects),
            "grouped": grouped,
            "filter_query": _filter_query(request.GET),
            "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
            "unread_total": unread_total,
            "emailed_kinds": [label for kind, label in kinds() if kind in services.emailed_kinds(pref)],
            "preference": pref,
        },
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    """Mark read what the page shows: every unread notification its filters keep (the filters come
    back as hidden fields), then back to the same filtered page."""
    filters = {name: request.POST.get(name) for name in FILTER_NAMES if request.POST.get(name)}
    try:
        marked = services.mark_all_read(actor=request.user, filters=filters)
    except ValueError:
        messages.error(request, _("A filter was not understood: nothing was marked read."))
    else:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", marked) % {"n": marked},
        )
    query = _filter_query(request.POST)
    return redirect(reverse("notifications:list") + ("?" + query if query else ""))


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
    """Which e-mails the reader receives (UI-13: a page of its own, GET shows it; a refused form
    comes back here with its input)."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            keep_refused_form(request, PREFERENCES_FORM, form)
            return redirect("notifications:preferences")
        services.update_preference(
            actor=request.user,
            daily_digest=form.cleaned_data["daily_digest"],
            language=form.cleaned_data["language"],
            email_kinds=form.cleaned_data["email_kinds"],
        )
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    pref = services.preference_for(request.user)
    form = take_refused_form(request, PREFERENCES_FORM, PreferenceForm) or PreferenceForm(
        initial={
            "daily_digest": pref.daily_digest,
            "language": pref.language,
            "email_kinds": services.emailed_kinds(pref),
        }
    )
    return render(request, "notifications/preferences.html", {"form": form, "preference": pref})


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
    """The navbar's count of waiting items, loaded after the page so pages stay cheap (cached,
    ``notifications/badge.py``; rendered without the page's context processors)."""
    count, overdue = badge.counts(request.user)
    return HttpResponse(
        render_to_string("notifications/partials/inbox_badge.html", {"count": count, "overdue": overdue})
    )
