"""The action item's state machine, the meeting's, the inbox of the assignees and bad input."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from greenbuild.conference import services
from greenbuild.conference.choices import ActionItemStatus, MeetingStatus
from greenbuild.conference.models import ActionItem, ActionItemTransition, Decision, Meeting
from greenbuild.core.errors import DomainError, TransitionNotAllowed
from greenbuild.notifications.models import Notification
from greenbuild.notifications.services import inbox_for

pytestmark = pytest.mark.django_db


def _refresh(item):
    return ActionItem.objects.get(pk=item.pk)


def test_assignee_asks_for_closure_the_office_confirms_and_reopens_keeping_the_history(world, personas):
    item = world["district_item"]
    services.transition_action_item(
        actor=personas["dan_district"], item_id=item.pk, action="close", comment="已推荐 2 个"
    )
    asked = _refresh(item)
    assert asked.status == ActionItemStatus.REQUESTED
    assert (asked.closure_note, asked.closed_by) == ("已推荐 2 个", personas["dan_district"])
    services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="confirm")
    closed = _refresh(item)
    assert closed.status == ActionItemStatus.CLOSED and closed.confirmed_by == personas["bureau"]
    services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="reopen", comment="材料不全")
    reopened = _refresh(item)
    assert reopened.status == ActionItemStatus.OPEN and reopened.closure_note == "" and reopened.closed_by is None
    rows = list(ActionItemTransition.objects.filter(action_item=item).values_list("to_status", "comment", "actor"))
    assert rows == [
        ("requested", "已推荐 2 个", personas["dan_district"].pk),
        ("closed", "", personas["bureau"].pk),
        ("open", "材料不全", personas["bureau"].pk),
    ]
    assert [h.closure_note for h in reopened.history.order_by("history_date")][-2:] == ["已推荐 2 个", ""]


def test_the_office_sends_a_closure_back_and_the_item_waits_for_the_assignee_again(world, personas):
    item = world["district_item"]
    services.transition_action_item(actor=personas["dan_district"], item_id=item.pk, action="close", comment="已办")
    with pytest.raises(DomainError):  # a reason is required
        services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="send_back", comment="")
    services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="send_back", comment="缺佐证")
    assert _refresh(item).status == ActionItemStatus.OPEN
    assert [i.title for i in inbox_for(personas["dan_district"]) if i.kind == "conference.to_close"] == [item.title]


@pytest.mark.parametrize(
    ("persona", "action", "start", "expected"),
    [
        ("dan_district", "close", "open", "done"),
        ("wu_district", "close", "open", "forbidden"),  # another district
        ("dept_reviewer", "close", "open", "forbidden"),
        ("bureau", "close", "open", "forbidden"),  # the assignee asks, not the office
        ("bureau", "confirm", "requested", "done"),
        ("dan_district", "confirm", "requested", "forbidden"),  # the assignee does not confirm
        ("bureau", "send_back", "requested", "done"),
        ("bureau", "confirm", "open", "not_allowed"),
        ("dan_district", "reopen", "closed", "forbidden"),
        ("bureau", "reopen", "closed", "done"),
        ("bureau", "reopen", "open", "not_allowed"),
        ("dan_district", "close", "closed", "not_allowed"),
        ("alice_owner", "close", "open", "forbidden"),
        ("dave_outsider", "reopen", "closed", "forbidden"),
    ],
)
def test_every_move_of_an_action_item_by_the_right_and_the_wrong_person(
    world, personas, persona, action, start, expected
):
    item = world["district_item"]
    if start in ("requested", "closed"):
        services.transition_action_item(actor=personas["dan_district"], item_id=item.pk, action="close", comment="好")
    if start == "closed":
        services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="confirm")
    before = ActionItemTransition.objects.count()
    outcome = "done"
    try:
        services.transition_action_item(actor=personas[persona], item_id=item.pk, action=action, comment="说明")
    except PermissionDenied:
        outcome = "forbidden"
    except TransitionNotAllowed:
        outcome = "not_allowed"
    assert outcome == expected
    if expected != "done":
        assert ActionItemTransition.objects.count() == before
        assert _refresh(item).status == start


def test_closing_or_reopening_without_a_note_is_refused_in_the_users_language(world, personas):
    item = world["district_item"]
    with translation.override("zh-hans"), pytest.raises(DomainError) as error:
        services.transition_action_item(actor=personas["dan_district"], item_id=item.pk, action="close", comment=" ")
    assert error.value.field == "comment" and any("\u4e00" <= c <= "\u9fff" for c in str(error.value.message))
    assert _refresh(item).status == ActionItemStatus.OPEN


def test_meeting_moves_planned_held_minutes_published_and_minutes_are_required(world, personas):
    bureau = personas["bureau"]
    planned = world["planned"]
    with pytest.raises(DomainError):
        services.add_decision(actor=bureau, meeting_id=planned.pk, text="过早")
    with pytest.raises(TransitionNotAllowed):
        services.transition_meeting(actor=bureau, meeting_id=planned.pk, action="publish_minutes")
    services.transition_meeting(actor=bureau, meeting_id=planned.pk, action="hold")
    with pytest.raises(DomainError):  # no minutes yet
        services.transition_meeting(actor=bureau, meeting_id=planned.pk, action="publish_minutes")
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.HELD
    services.update_meeting(actor=bureau, meeting_id=planned.pk, data={"minutes": "会议纪要"})
    services.transition_meeting(actor=bureau, meeting_id=planned.pk, action="publish_minutes")
    with pytest.raises(DomainError):
        services.update_meeting(actor=bureau, meeting_id=planned.pk, data={"minutes": "改"})
    assert Meeting.objects.get(pk=planned.pk).minutes == "会议纪要"
    with pytest.raises(PermissionDenied):
        services.transition_meeting(
            actor=personas["dan_district"], meeting_id=world["held"].pk, action="publish_minutes"
        )


def test_bad_input_writes_nothing(world, personas):
    bureau = personas["bureau"]
    held = world["held"]
    counts = (Meeting.objects.count(), Decision.objects.count(), ActionItem.objects.count())
    with pytest.raises(DomainError):
        services.create_meeting(
            actor=bureau, data={"number": 1, "title": "重复", "date": held.date, "place": "x", "agenda": "x"}
        )
    with pytest.raises(DomainError):
        services.add_action_item(actor=bureau, meeting_id=held.pk, data={"title": "无责任单位", "due": held.date})
    with pytest.raises(DomainError):
        services.add_action_item(
            actor=bureau,
            meeting_id=held.pk,
            data={"title": "两个", "district": world["tianning"], "department": world["nrp"], "due": held.date},
        )
    other = Decision.objects.create(meeting=world["planned"], number=1, text="别的会议")
    with pytest.raises(DomainError):
        services.add_action_item(
            actor=bureau,
            meeting_id=held.pk,
            data={"title": "错会", "decision": other, "district": world["tianning"], "due": held.date},
        )
    with pytest.raises(PermissionDenied):
        services.add_decision(actor=personas["dan_district"], meeting_id=held.pk, text="越权")
    other.delete()
    assert (Meeting.objects.count(), Decision.objects.count(), ActionItem.objects.count()) == counts


def test_open_items_reach_the_inbox_of_the_assignees_only_with_overdue_marks(world, personas):
    with translation.override("zh-hans"):
        dan = [i for i in inbox_for(personas["dan_district"]) if i.kind.startswith("conference.")]
        nina = [i for i in inbox_for(personas["dept_reviewer"]) if i.kind.startswith("conference.")]
        wu = [i for i in inbox_for(personas["wu_district"]) if i.kind.startswith("conference.")]
        office = [i for i in inbox_for(personas["bureau"]) if i.kind.startswith("conference.")]
        alice = [i for i in inbox_for(personas["alice_owner"]) if i.kind.startswith("conference.")]
    assert [(i.title, i.overdue) for i in dan] == [("推荐天宁区项目", True)]
    assert [(i.title, i.overdue) for i in nina] == [("规划条件写入绿色指标", False)]
    assert wu == []  # wujin's item is closed
    assert [(i.kind, i.title) for i in office] == [("conference.overdue", "推荐天宁区项目")]
    assert alice == []
    services.transition_action_item(
        actor=personas["dan_district"], item_id=world["district_item"].pk, action="close", comment="已办"
    )
    assert not [i for i in inbox_for(personas["dan_district"]) if i.kind.startswith("conference.")]


def test_the_inbox_provider_runs_a_constant_number_of_queries(world, personas, django_assert_num_queries):
    from greenbuild.conference.events import action_items_to_close

    user = personas["dan_district"]
    user.memberships_cached()
    with django_assert_num_queries(1):
        first = list(action_items_to_close(user))
    for n in range(5):
        services.add_action_item(
            actor=personas["bureau"],
            meeting_id=world["held"].pk,
            data={"title": "追加 {}".format(n), "district": world["tianning"], "due": world["held"].date},
        )
    with django_assert_num_queries(1):
        assert len(list(action_items_to_close(user))) == len(first) + 5


def test_assigning_notifies_the_assignees_and_closing_notifies_the_office(
    personas, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.add_action_item(
            actor=personas["bureau"],
            meeting_id=world["held"].pk,
            data={"title": "新任务", "district": world["tianning"], "due": world["held"].date},
        )
    told = set(
        Notification.objects.filter(event__verb="conference.action_assigned").values_list("recipient", flat=True)
    )
    assert told == {personas["dan_district"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_action_item(actor=personas["dan_district"], item_id=item.pk, action="close", comment="已办")
    told = set(
        Notification.objects.filter(event__verb="conference.action_closure_requested").values_list(
            "recipient", flat=True
        )
    )
    assert told == {personas["bureau"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="confirm")
    told = set(Notification.objects.filter(event__verb="conference.action_closed").values_list("recipient", flat=True))
    assert told == {personas["dan_district"].pk}
