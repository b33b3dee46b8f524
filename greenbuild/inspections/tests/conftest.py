import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from greenbuild.inspections import services


def png(name="site.png", size=(40, 30)):
    out = BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def world(personas, filed_project):
    """alice's confirmed pilot in dan's district, an inspection by dan in progress with one finding
    and its rectification order (deadline in 7 days)."""
    project = filed_project("confirmed")
    dan = personas["dan_district"]
    today = timezone.localdate()
    inspection = services.schedule_inspection(
        project=project, inspector=dan, due_on=today, actor=personas["bureau"], reason="定期检查"
    )
    services.transition_inspection(actor=dan, inspection_id=inspection.pk, action="start")
    finding = services.raise_finding(
        project=project,
        actor=dan,
        summary="施工现场裸土未覆盖",
        severity="major",
        source="inspection",
        clause="GB/T 50905 4.2.1",
        inspection=inspection,
        location="1号楼北侧",
    )
    order = services.issue_order(
        actor=dan, finding_id=finding.pk, deadline=today + dt.timedelta(days=7), instructions="覆盖裸土"
    )
    return {"project": project, "inspection": inspection, "finding": finding, "order": order, "today": today}
