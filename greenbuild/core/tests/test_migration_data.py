"""The rows the data migrations load come back after a transactional test's flush, every one a
later test relies on (a flush once left the default scheme without its score bands, so a review
test on the same worker saw every conclusion allowed)."""

import pytest

from greenbuild.testing.migration_data import restore_migration_data


@pytest.mark.django_db
def test_restoring_brings_back_the_default_schemes_score_bands():
    from greenbuild.reviews.models import CriteriaScheme, ScoreBand

    before = sorted(ScoreBand.objects.values_list("scheme__name", "min_score"))
    assert before, "the data migrations give the default scheme its bands"
    ScoreBand.objects.all().delete()
    CriteriaScheme.objects.all().delete()
    restore_migration_data()
    assert sorted(ScoreBand.objects.values_list("scheme__name", "min_score")) == before
