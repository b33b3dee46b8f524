"""The three outputs of one revision: the PDF's text (pdftotext) holds the Chinese headings and
the right numbers, the workbook's cells match the figures, the page shows them."""

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
def revision(pilots, generate):
    return generate().revisions.get()


def test_the_pdf_holds_the_chinese_headings_and_the_numbers(revision):
    text = pdf_text(_read(revision.pdf))
    for heading in (
        "绿色建造试点工作通报",
        "通报概况",
        "各辖市区试点进展",
        "试点目标达成情况",
        "监督检查结果",
        "逾期整改情况",
        "各辖市区排名",
        "排名规则",
    ):
        assert heading in text, heading
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any(line.startswith("天宁区 2 2 0 100.0") for line in lines), text
    assert any(line.startswith("武进区 2 1 1 50.0") for line in lines), text
    assert any(line.startswith("钟楼区 2 0 0 0.0") for line in lines), text
    assert any("已确定试点项目" in line and "5 / " in line for line in lines), text
    assert "天宁住宅" in text and "二星级" in text


def test_the_workbook_cells_match_the_figures(revision):
    book = load_workbook(io.BytesIO(_read(revision.workbook)))
    assert book.sheetnames == [
        "通报概况",
        "各辖市区试点进展",
        "试点目标达成情况",
        "监督检查结果",
        "各辖市区排名",
        "排名规则",
    ]
    overview = {row[0]: row[1] for row in book["通报概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["已确定试点项目"] == 5
    assert overview["候选试点项目"] == 1
    assert overview["完成配额的辖市区"] == 1
    assert overview["期间开始"] == "2021-11-01"
    districts = {row[0]: row for row in book["各辖市区试点进展"].iter_rows(min_row=2, values_only=True)}
    assert districts["天宁区"][1:6] == (2, 2, 0, 0, 100.0)
    assert districts["新北区"][1:6] == (2, 2, 0, 0, 50.0)
    assert districts["武进区"][1:6] == (2, 1, 1, 0, 50.0)
    ranking = list(book["各辖市区排名"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in ranking[:3]] == [(1, "天宁区"), (2, "新北区"), (3, "武进区")]
    content_ranks = [(r["rank"], r["name"]) for r in revision.content["ranking"]["rows"]]
    assert [(r[0], r[1]) for r in ranking] == content_ranks
    pilots = {row[0] for row in book["试点目标达成情况"].iter_rows(min_row=2, values_only=True)}
    assert pilots == {"天宁住宅", "天宁公建", "武进住宅", "新北住宅一", "新北住宅二"}


def test_the_page_shows_the_same_figures(client, personas, revision):
    client.force_login(personas["bureau"])
    page = client.get(reverse("bulletins:bulletin-detail", args=[revision.bulletin_id])).content.decode()
    assert "天宁住宅" in page and "100.0" in page
    pdf = client.get(reverse("bulletins:revision-file", args=[revision.bulletin_id, 1, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
