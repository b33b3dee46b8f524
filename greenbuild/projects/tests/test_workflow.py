"""R4: every allowed move works, every other is refused with a clear error, and the timeline records it."""

import pytest

from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.projects import services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.models import ProjectTransition
from greenbuild.projects.permissions import can
from greenbuild.projects.workflow import ALLOWED, MOVES
from greenbuild.testing.factories import PATH_TO, make_project, pass_plan_review

pytestmark = pytest.mark.django_db

EXPECTED_ALLOWED = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.RECOMMENDED, S.RETURNED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    S.RECOMMENDED: {S.CANDIDATE, S.REJECTED, S.WITHDRAWN},
    S.CANDIDATE: {S.CONFIRMED, S.WITHDRAWN},
    S.CONFIRMED: {S.WITHDRAWN},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}

# Who makes each move in the happy path.
ACTOR_OF = {
    "submit": "alice_owner",
    "withdraw": "alice_owner",
    "recommend": "dan_district",
    "return": "dan_district",
    "accept": "bureau",
    "reject": "bureau",
    "confirm": "bureau",
}
# A confirmed pilot counts toward the quota: only the bureau withdraws it (the owner asks, issue 10 item 23).
ACTOR_FROM = {("withdraw", S.CONFIRMED): "bureau"}


def test_transition_table_is_the_documented_one():
    assert {k: set(v) for k, v in ALLOWED.items()} == EXPECTED_ALLOWED


@pytest.fixture
def walk(filed_project):
    return lambda status: filed_project(status, name="项目-" + status)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(MOVES))
def test_every_move_from_every_state(walk, personas, status, action):
    project = walk(status)
    move = MOVES[action]
    actor = personas[ACTOR_FROM.get((action, status), ACTOR_OF[action])]
    if action == "confirm" and status in move.sources:  # a pilot is confirmed once its plan passed review
        pass_plan_review(project, owner=personas["alice_owner"], bureau=personas["bureau"])
    before = ProjectTransition.objects.filter(project=project).count()
    if status in move.sources:
        transition = services.transition_project(actor=actor, project_id=project.pk, action=action, comment="意见")
        project.refresh_from_db()
        assert project.status == move.target
        assert (transition.from_status, transition.to_status, transition.actor) == (status, move.target, actor)
        assert transition.comment == "意见"
    elif not can(actor, "view", project):
        # e.g. a district official cannot see an owner's draft at all: refused as forbidden.
        with pytest.raises(ActionForbidden):
            services.transition_project(actor=actor, project_id=project.pk, action=action, comment="意见")
    else:
        with pytest.raises(TransitionNotAllowed) as excinfo:
            services.transition_project(actor=actor, project_id=project.pk, action=action, comment="意见")
        assert str(move.label) in str(excinfo.value.message)
    if status not in move.sources:
        project.refresh_from_db()
        assert project.status == status
        assert ProjectTransition.objects.filter(project=project).count() == before


WRONG_ROLE = [
    ("submit", "draft", "dan_district"),
    ("submit", "draft", "bureau"),
    ("submit", "draft", "olivia_other_owner"),
    ("recommend", "submitted", "alice_owner"),
    ("recommend", "submitted", "wu_district"),
    ("recommend", "submitted", "bureau"),
    ("return", "submitted", "alice_owner"),
    ("accept", "recommended", "dan_district"),
    ("accept", "recommended", "alice_owner"),
    ("reject", "recommended", "dan_district"),
    ("confirm", "candidate", "dan_district"),
    ("confirm", "candidate", "dept_reviewer"),
    ("withdraw", "submitted", "dan_district"),
    ("withdraw", "submitted", "carl_contractor"),
    ("withdraw", "confirmed", "alice_owner"),
]


@pytest.mark.parametrize("action,status,who", WRONG_ROLE)
def test_a_move_by_the_wrong_role_is_refused_and_changes_nothing(walk, personas, action, status, who):
    project = walk(status)
    with pytest.raises(ActionForbidden):
        services.transition_project(actor=personas[who], project_id=project.pk, action=action, comment="意见")
    project.refresh_from_db()
    assert project.status == status


@pytest.mark.parametrize(
    "action,status",
    [("recommend", "submitted"), ("return", "submitted"), ("reject", "recommended"), ("withdraw", "draft")],
)
def test_moves_that_need_a_reason_refuse_an_empty_comment(walk, personas, action, status):
    project = walk(status)
    with pytest.raises(DomainError) as excinfo:
        services.transition_project(
            actor=personas[ACTOR_OF[action]], project_id=project.pk, action=action, comment="  "
        )
    assert excinfo.value.field == "comment"
    project.refresh_from_db()
    assert project.status == status


def test_an_incomplete_application_cannot_be_submitted_and_the_self_check_says_why(personas):
    project = make_project(personas["alice_owner"], with_building=False, approval_code="")
    with pytest.raises(DomainError) as excinfo:
        services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    message = str(excinfo.value.message)
    assert "single building" in message or "单体" in message
    assert "approval-system project code" in message or "审批系统" in message
    project.refresh_from_db()
    assert project.status == S.DRAFT


def test_a_second_submit_after_the_first_is_refused(personas):
    project = make_project(personas["alice_owner"])
    services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    with pytest.raises(TransitionNotAllowed):
        services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    assert ProjectTransition.objects.filter(project=project, to_status=S.SUBMITTED).count() == 1


def test_a_returned_application_can_be_revised_and_submitted_again(walk, personas):
    project = walk("returned")
    services.update_project(actor=personas["alice_owner"], project_id=project.pk, data={"address": "新地址"})
    services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    project.refresh_from_db()
    assert project.status == S.SUBMITTED
    assert [t.to_status for t in project.transitions.all()] == ["submitted", "returned", "submitted"]


@pytest.mark.parametrize("status", [s for s in PATH_TO if s not in ("draft", "returned")])
def test_the_form_is_locked_while_under_review(walk, personas, status):
    project = walk(status)
    with pytest.raises(DomainError):
        services.update_project(actor=personas["alice_owner"], project_id=project.pk, data={"address": "改地址"})
    project.refresh_from_db()
    assert project.address != "改地址"


def test_each_move_notifies_the_people_concerned_but_not_the_actor(personas, django_capture_on_commit_callbacks):
    project = make_project(personas["alice_owner"])
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    assert personas["dan_district"].notifications.filter(project=project).count() == 1
    assert personas["bureau"].notifications.filter(project=project).count() == 1
    assert personas["alice_owner"].notifications.count() == 0
    assert personas["wu_district"].notifications.count() == 0


def test_a_draft_withdrawn_without_being_submitted_stays_private_to_its_owner(
    personas, django_capture_on_commit_callbacks
):
    from greenbuild.projects.models import Project

    project = make_project(personas["alice_owner"], name="从未申报的草稿")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(
            actor=personas["alice_owner"], project_id=project.pk, action="withdraw", comment="不报了"
        )
    for who in ("dan_district", "carl_contractor", "dept_reviewer", "olivia_other_owner"):
        assert not Project.objects.for_user(personas[who]).filter(pk=project.pk).exists(), who
    assert not personas["dan_district"].notifications.exists()
    assert Project.objects.for_user(personas["alice_owner"]).filter(pk=project.pk).exists()


def test_a_submitted_then_withdrawn_application_stays_visible_to_the_district(walk, personas):
    from greenbuild.projects.models import Project

    project = walk("submitted")
    services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="withdraw", comment="撤回")
    assert Project.objects.for_user(personas["dan_district"]).filter(pk=project.pk).exists()


def test_notifications_read_in_the_recipients_language(personas, django_capture_on_commit_callbacks):
    from django.utils import translation

    project = make_project(personas["alice_owner"], name="语言项目")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    note = personas["dan_district"].notifications.get()
    with translation.override("zh-hans"):
        assert note.text == "语言项目：草稿 → 已申报（alice）"
    with translation.override("en"):
        assert note.text == "语言项目: Draft → Submitted (alice)"
