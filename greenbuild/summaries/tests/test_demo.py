"""The demo's summary: the 2021 programme's, generated, approved and issued (once)."""

import pytest

from greenbuild.summaries.choices import RevisionStatus, SummaryStatus
from greenbuild.summaries.demo import seed
from greenbuild.summaries.models import ProgrammeSummary

pytestmark = pytest.mark.django_db


def test_seed_issues_the_2021_programmes_summary_once(pilots, personas, immediate):
    assert seed(personas["bureau"]) == 1
    summary = ProgrammeSummary.objects.get()
    assert summary.programme.code == "changzhou-2021" and summary.status == SummaryStatus.ISSUED
    assert summary.revision.status == RevisionStatus.READY and summary.revision.pdf_id
    assert summary.next_edition is not None and summary.next_edition.items.exists()
    assert seed(personas["bureau"]) == 0
