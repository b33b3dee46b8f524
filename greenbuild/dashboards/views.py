from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from greenbuild.dashboards.services import programme_overview
from greenbuild.programmes.selectors import current_programme
from greenbuild.projects.models import Project


def overview(request: HttpRequest) -> HttpResponse:
    """The programme overview, computed from the projects this user may see."""
    programme = current_programme()
    data = programme_overview(programme, Project.objects.for_user(request.user, "view"), timezone.localdate())
    return render(request, "dashboards/overview.html", {"overview": data, "chart": data.chart_data()})
