"""Run by test_migration.py in a fresh installation of its own (a subprocess with its own
GREENBUILD_VAR_DIR): evidence stored before the attachments app, then scoring 0002, then a report."""

import hashlib
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from greenbuild.accounts.choices import OrganisationKind, Role  # noqa: E402
from greenbuild.attachments.tests.conftest import PDF  # noqa: E402
from greenbuild.scoring import services  # noqa: E402
from greenbuild.scoring.choices import ClauseKind, Stage  # noqa: E402
from greenbuild.testing.factories import OrganisationFactory, make_project, person  # noqa: E402

CONTROL = json.loads(sys.argv[1])


def main() -> None:
    call_command("migrate", verbosity=0)
    alice = person("alice", Role.OWNER_APPLICANT, OrganisationFactory(name="天宁置业", kind=OrganisationKind.OWNER))
    project = make_project(alice, name="迁移项目")
    services.save_scorecard(
        actor=alice,
        project=project,
        stage=Stage.EVALUATION,
        header={"building_type": "residential", "full_decoration": False, "star_requirements": {}},
        claims={
            **{c: {"kind": ClauseKind.CONTROL, "passed": True} for c in CONTROL},
            "4.2.5": {"kind": ClauseKind.SCORED, "points": None, "note": "见附件"},
        },
    )
    call_command("migrate", "scoring", "0001_initial", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(("scoring", "0001_initial")).apps
    name = default_storage.save("evidence/{}/0123abcd.pdf".format(project.pk), ContentFile(PDF))
    claims = old.get_model("scoring", "ClauseClaim")
    claims.objects.filter(clause="4.2.5").update(evidence=name)
    old.get_model("scoring", "HistoricalClauseClaim").objects.filter(clause="4.2.5").update(evidence=name)
    scorecard_id = claims.objects.get(clause="4.2.5").scorecard_id
    claims.objects.create(scorecard_id=scorecard_id, clause="4.2.6", kind="scored", evidence="evidence/gone.pdf")
    call_command("migrate", verbosity=0)

    from greenbuild.scoring.models import ClauseClaim

    kept = ClauseClaim.objects.select_related("evidence").get(clause="4.2.5")
    gone = ClauseClaim.objects.select_related("evidence").get(clause="4.2.6").evidence
    a = kept.evidence
    report = {
        "attachment": [a.original_name, a.file.name, a.kind, a.sha256, a.size, a.file_type, a.content_type],
        "uploader_is_alice": a.uploaded_by_id == alice.pk,
        "project": a.project_id == project.pk,
        "history": sorted({h.evidence_id for h in kept.history.all()}) == [a.pk],
        "gone": [gone.size, gone.removed_at is not None, gone.file.name],
        "expected": [name, hashlib.sha256(PDF).hexdigest(), len(PDF)],
    }
    print(json.dumps(report, ensure_ascii=False))


main()
