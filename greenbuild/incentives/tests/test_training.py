"""Training sessions and attendance: entered, imported all-or-nothing with a row report, counted
per enterprise and audience."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.incentives import selectors, services
from greenbuild.incentives.importers import AttendanceImporter
from greenbuild.incentives.models import TrainingAttendance
from greenbuild.reports.excel import Sheet, build_workbook

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "单位名称", "培训对象", "职务"]


@pytest.fixture
def session(personas):
    return services.create_session(
        actor=personas["bureau"],
        data={
            "topic": "绿色建造技术导则宣贯",
            "date": dt.date(2021, 9, 15),
            "place": "市住建局三楼会议室",
            "audiences": ["development", "construction", "supervision"],
        },
    )


def _workbook(rows, headers=HEADERS):
    return SimpleUploadedFile(
        "attendance.xlsx",
        build_workbook([Sheet(title="培训签到", headers=headers, rows=rows)]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_attendance_is_entered_and_counted_per_enterprise_and_audience(session, personas, orgs):
    bureau = personas["bureau"]
    for name, org, audience in [
        ("王磊", "中建八局三公司", "construction"),
        ("李娜", "中建八局三公司", "construction"),
        ("张伟", "中建八局三公司", "supervision"),
        ("刘洋", "常州天宁置业有限公司", "development"),
    ]:
        services.record_attendance(
            actor=bureau,
            session_id=session.pk,
            data={"person_name": name, "organisation_name": org, "audience": audience},
        )
    assert TrainingAttendance.objects.get(person_name="王磊").organisation == orgs["contractor"]  # linked by name
    counts = selectors.attendance_counts(TrainingAttendance.objects.all())
    assert [(row["enterprise"], row["counts"], row["total"]) for row in counts] == [
        ("中建八局三公司", {"construction": 2, "supervision": 1}, 3),
        ("常州天宁置业有限公司", {"development": 1}, 1),
    ]
    assert counts[0]["cells"] == [0, 0, 0, 2, 1, 0]  # in the order 开发、设计、生产、施工、监理、检测
    training = selectors.enterprise_training(orgs["contractor"])
    assert training["total"] == 3 and training["sessions"] == 1


def test_an_attendee_outside_the_session_s_audience_or_twice_is_refused(session, personas):
    bureau = personas["bureau"]
    data = {"person_name": "王磊", "organisation_name": "某检测公司", "audience": "testing"}
    with pytest.raises(DomainError):
        services.record_attendance(actor=bureau, session_id=session.pk, data=data)
    data["audience"] = "construction"
    services.record_attendance(actor=bureau, session_id=session.pk, data=data)
    with pytest.raises(DomainError):
        services.record_attendance(actor=bureau, session_id=session.pk, data=data)
    with pytest.raises(ActionForbidden):
        services.record_attendance(
            actor=personas["dan_district"], session_id=session.pk, data={**data, "person_name": "x"}
        )
    assert TrainingAttendance.objects.count() == 1


def test_a_session_needs_an_audience(personas):
    with pytest.raises(DomainError):
        services.create_session(
            actor=personas["bureau"], data={"topic": "t", "date": dt.date(2021, 1, 1), "place": "p", "audiences": []}
        )
    with pytest.raises(ActionForbidden):
        services.create_session(
            actor=personas["dan_district"],
            data={"topic": "t", "date": dt.date(2021, 1, 1), "place": "p", "audiences": ["design"]},
        )


def test_the_import_writes_every_row(session, personas):
    outcome = services.import_attendance(
        actor=personas["bureau"],
        session_id=session.pk,
        uploaded_file=_workbook(
            [["王磊", "中建八局三公司", "施工", "项目经理"], ["刘洋", "常州天宁置业有限公司", "development", ""]]
        ),
    )
    assert outcome.ok and outcome.created == 2
    assert sorted(TrainingAttendance.objects.values_list("person_name", "audience", "imported")) == [
        ("刘洋", "development", True),
        ("王磊", "construction", True),
    ]


def test_the_import_writes_nothing_when_any_row_is_wrong_and_reports_each_row(session, personas):
    services.record_attendance(
        actor=personas["bureau"],
        session_id=session.pk,
        data={"person_name": "赵敏", "organisation_name": "中建八局三公司", "audience": "construction"},
    )
    outcome = services.import_attendance(
        actor=personas["bureau"],
        session_id=session.pk,
        uploaded_file=_workbook(
            [
                ["王磊", "中建八局三公司", "施工", ""],  # row 2: fine
                ["李娜", "中建八局三公司", "检测", ""],  # row 3: not this session's audience
                ["", "常州天宁置业有限公司", "development", ""],  # row 4: no name
                ["王磊", "中建八局三公司", "施工", ""],  # row 5: repeats row 2
                ["赵敏", "中建八局三公司", "施工", ""],  # row 6: recorded already
                ["孙浩", "中建八局三公司", "木工", ""],  # row 7: no such audience
            ]
        ),
    )
    assert not outcome.ok
    importer = AttendanceImporter(session)
    name, audience = importer.label_of("person_name"), importer.label_of("audience")
    assert [(row, column) for row, column, _m in outcome.errors] == [
        (3, audience),
        (4, name),
        (5, name),
        (6, name),
        (7, audience),
    ]
    assert TrainingAttendance.objects.count() == 1  # only the one entered before


def test_a_file_that_is_not_a_workbook_or_misses_a_column_is_refused_whole(session, personas):
    bad = SimpleUploadedFile("attendance.xlsx", b"not a workbook", content_type="application/octet-stream")
    outcome = services.import_attendance(actor=personas["bureau"], session_id=session.pk, uploaded_file=bad)
    assert outcome.refused and not TrainingAttendance.objects.exists()
    outcome = services.import_attendance(
        actor=personas["bureau"], session_id=session.pk, uploaded_file=_workbook([["王磊"]], headers=["姓名"])
    )
    assert outcome.refused and not TrainingAttendance.objects.exists()


def test_the_import_page_shows_the_row_report_at_the_session_s_address(client, session, personas):
    client.force_login(personas["bureau"])
    response = client.post(
        reverse("incentives:attendance-import", args=[session.pk]),
        {"workbook": _workbook([["王磊", "中建八局三公司", "检测", ""]])},
    )
    detail = reverse("incentives:session-detail", args=[session.pk])
    assert response.status_code == 302 and response["Location"].startswith(detail)
    page = client.get(detail).content.decode()
    assert 'id="import-report"' in page and "<td>2</td>" in page
    assert not TrainingAttendance.objects.exists()
    template = client.get(reverse("incentives:attendance-template", args=[session.pk]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
