from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from greenbuild.dashboards.services import programme_overview
from greenbuild.programmes.selectors import all_programmes, pick_programme
from greenbuild.projects.models import Project


def overview(request: HttpRequest) -> HttpResponse:
    """The programme overview, computed from the projects this user may see.

    It shows the programme running today unless ``?programme=<code>`` picks another one; an
    unknown code shows the current programme (the address bar may hold anything).
    """
    today = timezone.localdate()
    programmes = all_programmes()
    programme = pick_programme(programmes, request.GET.get("programme", ""), today)
    data = programme_overview(programme, Project.objects.for_user(request.user, "view"), today, viewer=request.user)
    context = {"overview": data, "chart": data.chart_data(), "programmes": programmes}
    return render(request, "dashboards/overview.html", context)
