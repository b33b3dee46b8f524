"""The three outputs of one revision: the PDF's text (pdftotext) holds the Chinese headings and the
right numbers, the workbook's cells match the figures, the page shows them."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


def pdf_text(data: bytes) -> str:
    result = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _read(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def revision(pilots, draft):
    return draft().revisions.get()


def test_the_pdf_holds_the_chinese_headings_and_the_numbers(revision):
    text = pdf_text(_read(revision.pdf))
    for heading in (
        "常州市绿色建造试点（2021—2023）总结评估",
        "总结概况",
        "试点要求R7–R14达成情况",
        "适宜技术应用情况",
        "增量成本",
        "监督检查与整改情况",
        "经验总结",
        "工作建议",
    ):
        assert heading in text, heading
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any(line.startswith("R7 ") and line.endswith("2 1 0 0 66.7") for line in lines), text
    assert any(line.startswith("R14 ") and line.endswith("3 0 0 0 100.0") for line in lines), text
    assert "180000.5" in text
    assert "装配式装修前置策划" in text and "建议一：推广装配式装修。" in text


def test_the_workbook_cells_match_the_figures(revision):
    book = load_workbook(io.BytesIO(_read(revision.workbook)))
    assert book.sheetnames[:5] == [
        "总结概况",
        "试点要求R7–R14",
        "各辖市区达成情况",
        "各类别达成情况",
        "各试点基线与实际",
    ]
    overview = {row[0]: row[1] for row in book["总结概况"].iter_rows(min_row=2, values_only=True)}
    assert (overview["已确定试点项目"], overview["已完成评估的试点"], overview["已通过验收的试点"]) == (4, 3, 2)
    totals = {row[0]: row[2:] for row in book["试点要求R7–R14"].iter_rows(min_row=2, values_only=True)}
    assert totals["R7"] == (2, 1, 0, 0, 66.7)
    assert totals["R11"] == (2, 0, 1, 0, 100.0)
    by_district = {(row[0], row[1]): row[2:] for row in book["各辖市区达成情况"].iter_rows(min_row=2, values_only=True)}
    assert by_district[("天宁区", "R7")] == (1, 1, 0, 0, 50.0)
    by_category = {(row[0], row[1]): row[2:] for row in book["各类别达成情况"].iter_rows(min_row=2, values_only=True)}
    assert by_category[("房地产开发项目", "R10")][:2] == (1, 1) or any(
        key[1] == "R10" and value[:2] == (1, 1) for key, value in by_category.items()
    )
    costs = list(book["增量成本"].iter_rows(min_row=2, values_only=True))
    assert costs[-1][0] == "合计" and costs[-1][4] == 180000.5
    lessons = {row[3] for row in book["经验总结"].iter_rows(min_row=2, values_only=True)}
    assert lessons == {"装配式装修前置策划", "建筑垃圾分类计量"}
    assert book["工作建议"]["A2"].value == "建议一：推广装配式装修。"


def test_the_page_shows_the_same_figures(client, personas, revision):
    client.force_login(personas["bureau"])
    page = client.get(reverse("summaries:summary-detail", args=[revision.summary_id])).content.decode()
    assert "天宁住宅" in page and "66.7" in page and "180000.5" in page
    assert "达成率（%）" in page and "试点要求R7–R14达成情况" in page
    english = client.get("/en" + reverse("summaries:summary-detail", args=[revision.summary_id]))
    assert english.status_code == 200 and "Pilot requirements R7–R14" in english.content.decode()
    pdf = client.get(reverse("summaries:revision-file", args=[revision.summary_id, 1, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
