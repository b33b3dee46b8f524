"""The document gate's two forms agree: ``can(user, "view", document)`` and
``IssuedDocument.objects.for_user(user)`` give the same documents, for every persona and the panel."""

from __future__ import annotations

from greenbuild.core.permissions import registered_gates
from greenbuild.documents import services
from greenbuild.documents.permissions import DOCUMENT_GATE
from greenbuild.documents.tests.conftest import TEST_KIND
from greenbuild.testing.factories import make_project
from greenbuild.testing.gates import gate_disagreements


def test_the_document_gate_is_registered_and_its_two_forms_agree(personas, test_kind, concluded):
    from greenbuild.reviews import services as review_services

    assert "documents.issueddocument" in {gate.label for gate in registered_gates()}
    review_round, seats = concluded
    letter, _created = review_services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    reissued = services.reissue_document(actor=personas["bureau"], document_id=letter.pk, reason="更正")
    notices = [
        services.issue_document(actor=personas["bureau"], kind=TEST_KIND, object_id=project.pk)[0]
        for project in (
            make_project(personas["alice_owner"], name="天宁草稿"),
            make_project(personas["olivia_other_owner"], name="武进草稿"),
        )
    ]
    users = {**personas, **{"seat{}".format(s.order): s.expert for s in seats}, "anonymous": None}
    from django.contrib.auth.models import AnonymousUser

    users["anonymous"] = AnonymousUser()
    assert gate_disagreements(DOCUMENT_GATE, users, [letter, reissued, *notices]) == []
