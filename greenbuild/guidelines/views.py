"""Reading the technical guideline: the edition in force (or another readable edition)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from greenbuild.guidelines.models import Guideline, GuidelinePart
from greenbuild.guidelines.permissions import GUIDELINE_GATE
from greenbuild.guidelines.selectors import current_guideline, items_of


def guideline_detail(request: HttpRequest, code: str | None = None) -> HttpResponse:
    editions = GUIDELINE_GATE.for_user(request.user, queryset=Guideline.objects.order_by("-effective_date", "-pk"))
    guideline = editions.filter(code=code).first() if code else current_guideline()
    if guideline is None:
        raise Http404("No such guideline.")
    items = list(items_of(guideline))
    parts = [
        (label, [i for i in items if i.part == value and not i.is_technology]) for value, label in GuidelinePart.choices
    ]
    return render(
        request,
        "guidelines/guideline_detail.html",
        {
            "guideline": guideline,
            "parts": parts,
            "technologies": [i for i in items if i.is_technology],
            "editions": list(editions),
        },
    )
