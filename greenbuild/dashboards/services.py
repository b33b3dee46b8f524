"""The programme overview (issue 2 §9; R1, R2, R3): quotas, the city-wide count, representativeness.

Computed from the projects a user may see (the projects gate), with a fixed number of queries
whatever the number of projects: one grouped count, plus the small reference tables.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from greenbuild.programmes.models import Phase, Programme
from greenbuild.projects.choices import ProjectStatus, WithdrawalStatus
from greenbuild.projects.models import WithdrawalRequest
from greenbuild.projects.selectors import may_filter_withdrawals
from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial

#: Statuses that count as pilots for quotas (confirmed) and as the pipeline (candidates).
CONFIRMED = ProjectStatus.CONFIRMED
CANDIDATE = ProjectStatus.CANDIDATE


@dataclass(frozen=True)
class QuotaCell:
    category: ProjectCategory
    required: int
    confirmed: int
    candidates: int

    @property
    def met(self) -> bool:
        return self.confirmed >= self.required


@dataclass(frozen=True)
class DistrictRow:
    district: District
    cells: list[QuotaCell]
    confirmed_total: int
    candidate_total: int
    in_review: int  # submitted or recommended

    @property
    def quota_met(self) -> bool:
        return all(cell.met for cell in self.cells)

    @property
    def shortfall(self) -> list[ProjectCategory]:
        return [cell.category for cell in self.cells if not cell.met]

    @property
    def shortfall_names(self) -> str:
        """The categories the district still lacks, e.g. "房地产开发项目、政府投资公建项目"."""
        return _(", ").join(category.name for category in self.shortfall)


@dataclass(frozen=True)
class Coverage:
    covered: list[Any]
    missing: list[Any]


@dataclass
class Overview:
    programme: Programme
    as_of: dt.date
    rows: list[DistrictRow]
    confirmed_total: int
    candidate_total: int
    min_pilots: int
    quota_deadline: dt.date | None
    phase: Phase | None
    days_left_in_phase: int | None
    structures: Coverage
    uses: Coverage
    top_categories: dict[str, int] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    pending_withdrawals: int = 0
    #: the 计划动态 box is for the bureau and district officials only (REG-02)
    show_activity: bool = False

    @property
    def city_minimum_met(self) -> bool:
        return self.confirmed_total >= self.min_pilots

    @property
    def pilots_still_needed(self) -> int:
        return max(self.min_pilots - self.confirmed_total, 0)

    @property
    def both_kinds_covered(self) -> bool:
        """R1: pilots come from both building works and municipal infrastructure."""
        return all(n > 0 for n in self.top_categories.values())

    @property
    def quota_overdue(self) -> bool:
        return self.quota_deadline is not None and self.as_of > self.quota_deadline

    @property
    def districts_meeting_quota(self) -> int:
        return sum(1 for row in self.rows if row.quota_met)

    @property
    def in_review_total(self) -> int:
        return sum(row.in_review for row in self.rows)

    def chart_data(self) -> dict[str, Any]:
        """Series for the quota chart: per district, each quota category's confirmed pilots and
        candidates against the category's target (issue 10 item 17)."""
        categories = [cell.category for cell in self.rows[0].cells] if self.rows else []
        return {
            "labels": {
                "confirmed": str(ProjectStatus.CONFIRMED.label),
                "candidates": str(ProjectStatus.CANDIDATE.label),
                "target": _("target"),
            },
            "districts": [row.district.name for row in self.rows],
            "categories": [
                {
                    "name": category.name,
                    "target": self.rows[0].cells[index].required,
                    "confirmed": [row.cells[index].confirmed for row in self.rows],
                    "candidates": [row.cells[index].candidates for row in self.rows],
                }
                for index, category in enumerate(categories)
            ],
        }


def programme_overview(programme: Programme, projects: Any, as_of: dt.date, *, viewer: Any = None) -> Overview:
    """Where each district stands against its quota, and the programme against its minimum.

    ``projects`` is the queryset the viewer may see (``Project.objects.for_user(user)``).
    Withdrawn, rejected and draft projects count nowhere. The programme's activity (withdrawal
    requests awaiting the bureau) is counted only for a ``viewer`` who acts on it or follows it
    (the bureau, district officials: ``show_activity``), through the requests' own gate (REG-02).
    """
    grouped = (
        projects.filter(programme=programme)
        # No join (the category's parent is looked up below): one pass over project_overview_idx.
        .values("district_id", "category_id", "status", "structure_material_id", "use_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_district_category: Counter[tuple[int, int, str]] = Counter()
    status_counts: Counter[str] = Counter()
    confirmed_by_category: Counter[int] = Counter()
    structures: set[int] = set()
    uses: set[int] = set()
    for row in grouped:
        status, n = row["status"], row["n"]
        status_counts[status] += n
        by_district_category[(row["district_id"], row["category_id"], status)] += n
        if status == CONFIRMED:
            confirmed_by_category[row["category_id"]] += n
            if row["structure_material_id"]:
                structures.add(row["structure_material_id"])
            if row["use_id"]:
                uses.add(row["use_id"])

    rules = list(programme.quota_rules.all())
    rows: list[DistrictRow] = []
    for district in programme.districts.all():
        cells = [
            QuotaCell(
                category=rule.category,
                required=rule.min_per_district,
                confirmed=by_district_category[(district.pk, rule.category_id, CONFIRMED)],
                candidates=by_district_category[(district.pk, rule.category_id, CANDIDATE)],
            )
            for rule in rules
        ]

        def total(statuses: tuple[str, ...], district_id: int = district.pk) -> int:
            return sum(n for (d, _c, s), n in by_district_category.items() if d == district_id and s in statuses)

        rows.append(
            DistrictRow(
                district=district,
                cells=cells,
                confirmed_total=total((CONFIRMED,)),
                candidate_total=total((CANDIDATE,)),
                in_review=total((ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED)),
            )
        )

    show_activity = may_filter_withdrawals(viewer)
    pending_withdrawals = (
        WithdrawalRequest.objects.for_user(viewer)
        .filter(status=WithdrawalStatus.PENDING, project__programme=programme)
        .count()
        if show_activity
        else 0
    )
    phase = programme.phase_on(as_of)
    categories = list(ProjectCategory.objects.all())
    parent_of = {c.pk: c.parent_id for c in categories}
    top_level = [c for c in categories if c.parent_id is None and c.active]
    top_categories: Counter[int] = Counter()
    for category_id, n in confirmed_by_category.items():
        top_categories[parent_of.get(category_id) or category_id] += n
    all_structures = list(StructureMaterial.objects.filter(active=True))
    all_uses = list(BuildingUse.objects.filter(active=True))
    return Overview(
        programme=programme,
        as_of=as_of,
        rows=rows,
        confirmed_total=status_counts[CONFIRMED],
        candidate_total=status_counts[CANDIDATE],
        min_pilots=programme.min_pilots,
        quota_deadline=max((rule.deadline for rule in rules), default=None),
        phase=phase,
        days_left_in_phase=(phase.ends_on - as_of).days if phase else None,
        structures=Coverage(
            covered=[s for s in all_structures if s.pk in structures],
            missing=[s for s in all_structures if s.pk not in structures],
        ),
        uses=Coverage(covered=[u for u in all_uses if u.pk in uses], missing=[u for u in all_uses if u.pk not in uses]),
        top_categories={c.name: top_categories[c.pk] for c in top_level},
        status_counts=dict(status_counts),
        pending_withdrawals=pending_withdrawals,
        show_activity=show_activity,
    )
