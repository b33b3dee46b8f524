"""Turning model data into form posts, as a browser would send them."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from greenbuild.projects.forms import ProjectForm
from greenbuild.projects.models import Project


def as_post(data: dict[str, Any]) -> dict[str, str]:
    """Form data as a browser sends it: ids for choices, ISO dates, unchecked boxes left out."""
    post: dict[str, str] = {}
    for name, value in data.items():
        if isinstance(value, bool):
            if value:
                post[name] = "on"
            continue
        if isinstance(value, Model):
            value = value.pk
        post[name] = "" if value is None else str(value)
    return post


def edit_form_data(project: Project, **changes: Any) -> dict[str, str]:
    """What the project's edit form posts when the user changes ``changes`` and nothing else."""
    form = ProjectForm(instance=project)
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return as_post(data)
