"""The demo's bulletin: last month's monthly bulletin, generated, approved and published (once)."""

import pytest

from greenbuild.bulletins.choices import BulletinStatus, RevisionStatus
from greenbuild.bulletins.demo import seed_bulletins
from greenbuild.bulletins.models import Bulletin

pytestmark = pytest.mark.django_db


def test_seed_bulletins_publishes_last_months_bulletin_once(pilots, personas):
    assert seed_bulletins(personas["bureau"]) == 1
    bulletin = Bulletin.objects.get()
    assert bulletin.kind == "monthly" and bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.revision.status == RevisionStatus.READY and bulletin.revision.pdf_id
    assert seed_bulletins(personas["bureau"]) == 0
