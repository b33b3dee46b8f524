"""Who reaches the security pages: the audit log and the unlock pages are the bureau's alone;
the password page is every signed-in user's (issue 10 items 7-8, issue 11 item 6)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from greenbuild.accounts.models import User
from greenbuild.testing.factories import UserFactory
from greenbuild.testing.matrix import PERSONAS, each_persona, outcome, table, undone

COLUMNS = ("audit", "locked", "unlock", "unlock-address", "password")
EXPECTED = table(
    """
    alice_owner         403   403   403   403   ok
    olivia_other_owner  403   403   403   403   ok
    dan_district        403   403   403   403   ok
    wu_district         403   403   403   403   ok
    bureau              ok    ok    done  done  ok
    dept_reviewer       403   403   403   403   ok
    carl_contractor     403   403   403   403   ok
    eve_expert          403   403   403   403   ok
    ted_evaluator       403   403   403   403   ok
    dave_outsider       403   403   403   403   ok
    anonymous           login login login login login
    """,
    COLUMNS,
)


def test_security_pages_matrix(client, personas):
    locked = UserFactory(username="locked_one")
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    back = reverse("accounts:locked")
    cells = {
        "audit": ("get", reverse("audit:list"), None),
        "locked": ("get", back, None),
        "unlock": ("post", reverse("accounts:unlock", args=[locked.pk]), {}),
        "unlock-address": ("post", reverse("accounts:unlock-address"), {"address": "10.0.0.9"}),
        "password": ("get", reverse("accounts:password_change"), None),
    }
    got = {}
    for persona in each_persona(client, personas, PERSONAS):
        got[persona] = {}
        for column, (method, url, data) in cells.items():
            with undone():
                got[persona][column] = outcome(client, method, url, data, back)[0]
    assert got == EXPECTED
