"""Reads of supervision: the public record of a draw with its recomputation, the panel's rows."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from greenbuild.supervision import draw as draw_algorithm
from greenbuild.supervision.choices import DrawStatus
from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan


@dataclass(frozen=True)
class DrawSide:
    """One drawn population of a draw (projects, or inspectors) as published and recomputed."""

    what: str  # "projects" or "inspectors"
    population: list[int]
    ratio: str
    seed: str
    k: int
    selected: list[int]
    recomputed: list[int]
    command: str

    @property
    def matches(self) -> bool:
        return self.recomputed == self.selected


def ratio_text(ratio: Any) -> str:
    return format(ratio.normalize(), "f")


def cli_command(seed: str, ratio: str, population: list[int]) -> str:
    """The exact command that reproduces a side of the draw."""
    words = [
        "greenbuild",
        "supervision",
        "draw",
        "--seed",
        seed,
        "--ratio",
        ratio,
        *[str(i) for i in population],
        "--json",
    ]
    return " ".join(shlex.quote(w) for w in words)


def _side(draw: Draw, what: str, population: list[int], ratio: Any, selected: list[int]) -> DrawSide:
    text = ratio_text(ratio)
    recomputed = [int(i) for i in draw_algorithm.draw(draw.seed, text, population).selected]
    return DrawSide(
        what=what,
        population=list(population),
        ratio=text,
        seed=draw.seed,
        k=len(selected),
        selected=list(selected),
        recomputed=recomputed,
        command=cli_command(draw.seed, text, population),
    )


def draw_sides(draw: Draw) -> list[DrawSide]:
    """The drawn sides of ``draw`` (projects, inspectors), each recomputed from its record."""
    sides = []
    if draw.draws_projects and draw.ratio is not None:
        sides.append(_side(draw, "projects", draw.project_population, draw.ratio, draw.project_selected))
    if draw.draws_inspectors and draw.inspector_ratio is not None:
        sides.append(
            _side(draw, "inspectors", draw.inspector_population, draw.inspector_ratio, draw.inspector_selected)
        )
    return sides


def public_draws() -> Any:
    """Published draws, newest first: what the public pages and open data list."""
    return Draw.objects.filter(status=DrawStatus.PUBLISHED).select_related("district").order_by("-published_at", "-pk")


def unpublished_draws() -> Any:
    """Draws made and not (yet) published, newest first. The public list names them (title, scope,
    time; never the seed or the result), so that a draw made again until its result suits shows:
    every draw is known from the moment it is made (一公开; a reviewer's find)."""
    return Draw.objects.exclude(status=DrawStatus.PUBLISHED).select_related("district").order_by("-drawn_at", "-pk")


def project_names(ids: list[int]) -> dict[int, str]:
    from greenbuild.projects.models import Project

    return dict(Project.objects.filter(pk__in=ids).values_list("pk", "name"))


def inspector_names(ids: list[int]) -> dict[int, str]:
    from greenbuild.accounts.models import User

    return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}


def project_panel(project: Any, user: Any) -> dict[str, Any]:
    """What the project page's supervision panel shows ``user``: plans, draws that picked the
    project, evaluations — each through its gate."""
    plans = InspectionPlan.objects.for_user(user).filter(project=project).select_related("step_type")
    draws = [d for d in Draw.objects.for_user(user).order_by("-drawn_at")[:500] if project.pk in d.project_selected]
    evaluations = Evaluation.objects.for_user(user).filter(project=project).select_related("step_type", "evaluator")
    return {"plans": list(plans), "draws": draws, "evaluations": list(evaluations)}
