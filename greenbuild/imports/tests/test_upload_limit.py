"""An import workbook may be as large as the import policy allows (20 MB), not only the general
10 MB request cap (issue 11 item 9): the import form's view declares ``@accepts_uploads``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES, body_limit, default_body_limit
from greenbuild.attachments.policy import MB
from greenbuild.imports import views
from greenbuild.imports.models import ImportBatch


def test_the_import_form_accepts_a_body_as_large_as_the_import_policy():
    assert default_body_limit() == 10 * MB
    assert body_limit(views.import_form) == 20 * MB + FORM_OVERHEAD_BYTES


@pytest.mark.django_db
def test_a_15_mb_workbook_reaches_the_form_and_gets_its_field_message_instead_of_a_413(client, bureau):
    client.force_login(bureau)
    big = SimpleUploadedFile("单位.xlsx", b"\x00" * (15 * MB))
    response = client.post(reverse("imports:import-form", args=["organisations"]), {"workbook": big})
    assert response.status_code == 200  # before: 413, refused by the 10 MB body cap
    assert response.context["form"].errors["workbook"]
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_workbook_over_the_policy_is_still_refused_before_it_is_read(client, bureau):
    client.force_login(bureau)
    huge = SimpleUploadedFile("单位.xlsx", b"\x00" * (21 * MB))
    response = client.post(reverse("imports:import-form", args=["organisations"]), {"workbook": huge})
    assert response.status_code == 413
