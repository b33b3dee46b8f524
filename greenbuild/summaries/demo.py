"""Demo data of the programme summary (issue 20 item 9): the 2021 programme's summary, generated
from the demo data, approved and issued (once), with the next guideline edition started from it."""

from __future__ import annotations

from typing import Any

PROGRAMME_CODE = "changzhou-2021"
RECOMMENDATIONS = (
    "一、将装配式装修、管线分离纳入下一版技术导则的推荐条目；\n"
    "二、建筑垃圾减量措施在策划阶段即明确责任主体与计量方法；\n"
    "三、增量成本数据纳入项目库，作为后续激励政策测算依据。"
)


def seed(bureau: Any) -> int:
    """The 2021 programme's summary, generated, approved and issued, and the next edition of the
    technical guideline started from it. Returns the number of summaries created (0 when it
    exists already or the programme is not there)."""
    from greenbuild.jobs.services import run_job
    from greenbuild.programmes.models import Programme
    from greenbuild.summaries import services
    from greenbuild.summaries.models import ProgrammeSummary

    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if programme is None or ProgrammeSummary.objects.filter(programme=programme).exists():
        return 0
    summary = services.create_summary(actor=bureau, programme=programme, recommendations=RECOMMENDATIONS)
    revision = summary.revisions.get()
    if revision.job_id:
        run_job(revision.job_id)  # at once, not waiting for the worker
    services.transition_summary(actor=bureau, summary_id=summary.pk, action="approve", comment="同意印发。")
    services.transition_summary(actor=bureau, summary_id=summary.pk, action="issue")
    from greenbuild.guidelines.selectors import current_guideline

    if current_guideline() is not None:
        edition = services.start_next_edition(actor=bureau, summary_id=summary.pk)
        _change_one_item(bureau, summary, edition)
    return 1


def _change_one_item(bureau: Any, summary: Any, edition: Any) -> None:
    """One item of the next edition changed and linked to the lesson behind it: the aluminium
    formwork item (else the first), from the pilots' lesson on formwork and slabs."""
    from greenbuild.summaries import services
    from greenbuild.summaries.selectors import lessons_of_summary

    lessons = list(lessons_of_summary(summary))
    items = edition.items.order_by("pk") if edition is not None else None
    if not lessons or items is None or not items.exists():
        return
    lesson = next((x for x in lessons if "铝模" in x.title), lessons[0])
    item = items.filter(text_zh__contains="铝").first() or items.first()
    services.change_edition_item(
        actor=bureau,
        summary_id=summary.pk,
        item_id=item.pk,
        text_zh=item.text_zh + "策划阶段同步确定铝模配模与叠合楼板拆分方案，减少现场二次深化。",
        text_en=item.text_en + " Plan the aluminium formwork and the split of composite slabs together at the "
        "planning stage, so that the site needs no second round of detailing.",
        reason="试点经验：铝模与叠合楼板协同设计使现场二次深化减少，工期缩短约12天。",
        lesson_ids=[lesson.pk],
    )


#: the name ``seed_demo`` and its step test use for every app's demo step (``seed_<app>``)
seed_summaries = seed
