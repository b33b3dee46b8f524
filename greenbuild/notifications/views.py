from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from greenbuild.notifications import services
from greenbuild.notifications.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    # The gate for notifications is simple: a user sees only their own.
    notifications = Notification.objects.filter(recipient=request.user).select_related("project", "transition__actor")[
        :100
    ]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:list")
