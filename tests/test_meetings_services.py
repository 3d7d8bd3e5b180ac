"""The meetings room's workflows and their refusals: every bad input gets a
clear message on its field and leaves nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetings import services, services_after
from meetings.models import AgendaItem, Invitee, Meeting, MeetingStatus
from notifications.models import Notification
from partnerships.errors import ServiceError
from partnerships.models import AuditEntry, Member, PartnershipStatus
from tests.conftest import World
from tests.meetings_helpers import BOGOTA, at, held, plan


def test_it_plans_a_meeting_in_its_time_zone(world: World) -> None:
    meeting = plan(world.own, world.facilitator)
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.local_start.hour == 9
    assert str(meeting.local_start.tzinfo) == BOGOTA
    assert AuditEntry.objects.filter(partnership=world.own, kind="meeting").exists()


def test_it_refuses_a_meeting_that_ends_before_it_starts(world: World) -> None:
    start = at(3)
    with pytest.raises(ServiceError) as refused:
        services.convene(
            by=world.facilitator,
            partnership=world.own,
            kind="meeting",
            title={"es": "Al revés"},
            starts_at=start,
            ends_at=start - timedelta(minutes=30),
            time_zone=BOGOTA,
            place="Salón",
        )
    assert refused.value.field == "ends_at"
    assert "ends before it starts" in refused.value.message
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "", "online_link": ""}, "place"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"kind": "party"}, "kind"),
        ({"title": {"en": "English only"}}, "title_es"),
        ({"kind": "training", "topics": ["juggling"]}, "topics"),
        ({"kind": "training", "topics": ["other"]}, "topic_other"),
    ],
)
def test_it_refuses_bad_meetings_on_their_field(
    world: World, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        plan(world.own, world.facilitator, **change)
    assert refused.value.field == field
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_in_a_closed_partnership(world: World) -> None:
    meeting = plan(world.own, world.facilitator)
    world.own.status = PartnershipStatus.CLOSED
    world.own.save(update_fields=["status"])
    with pytest.raises(ServiceError, match="closed"):
        plan(world.own, world.facilitator)
    with pytest.raises(ServiceError, match="closed"):
        services.add_item(
            by=world.facilitator, meeting=meeting, title={"es": "Punto"}, duration_minutes=10
        )
    assert Meeting.objects.count() == 1
    assert not AgendaItem.objects.exists()


def test_it_lets_only_facilitators_convene(world: World) -> None:
    for user in (world.company_rep, world.participant, world.observer, world.outsider):
        with pytest.raises(ServiceError):
            plan(world.own, user)
    with pytest.raises(ServiceError):
        plan(world.own, world.foreign_facilitator)
    assert not Meeting.objects.exists()


def test_it_computes_the_agenda_and_refuses_bad_durations(world: World) -> None:
    meeting = plan(world.own, world.facilitator, hours=1)
    add = services.add_item
    opening = add(
        by=world.facilitator, meeting=meeting, title={"es": "Apertura"}, duration_minutes=10
    )
    parent = add(by=world.facilitator, meeting=meeting, title={"es": "Agua"}, duration_minutes=5)
    add(
        by=world.facilitator,
        meeting=meeting,
        title={"es": "Acueducto"},
        duration_minutes=15,
        parent=parent,
    )
    add(
        by=world.facilitator,
        meeting=meeting,
        title={"es": "Pozos"},
        duration_minutes=10,
        parent=parent,
    )
    tree = services.agenda_tree(meeting)
    assert [row["total"] for row in tree] == [10, 30]
    assert services.agenda_minutes(meeting) == 40
    for minutes, message in (
        (-5, "from 0 to"),
        ("diez", "whole number"),
        (0, "at least one minute"),
        (500, "from 0 to"),
        (30, "longer than the meeting"),
    ):
        with pytest.raises(ServiceError, match=message):
            add(
                by=world.facilitator, meeting=meeting, title={"es": "Mal"}, duration_minutes=minutes
            )
    assert AgendaItem.objects.count() == 4
    with pytest.raises(ServiceError, match="under itself"):
        services.update_item(
            by=world.facilitator,
            item=parent,
            title={"es": "Agua"},
            duration_minutes=5,
            parent=parent.children.first(),
        )
    # The meeting cannot be shortened below its agenda.
    with pytest.raises(ServiceError, match="longer than the meeting"):
        services.update_meeting(
            by=world.facilitator,
            meeting=meeting,
            kind="meeting",
            title={"es": "Reunión"},
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(minutes=30),
            time_zone=BOGOTA,
            place="Salón",
        )
    assert opening.position == 0


def test_it_refuses_an_agenda_item_of_another_meeting(world: World) -> None:
    one = plan(world.own, world.facilitator)
    other = plan(world.own, world.facilitator, title="Otra")
    item = services.add_item(
        by=world.facilitator, meeting=other, title={"es": "x"}, duration_minutes=5
    )
    with pytest.raises(ServiceError) as refused:
        services.add_item(
            by=world.facilitator, meeting=one, title={"es": "y"}, duration_minutes=5, parent=item
        )
    assert refused.value.field == "parent"


def test_it_invites_through_the_notification_digests(world: World) -> None:
    meeting = plan(world.own, world.facilitator)
    n = services.invite(by=world.facilitator, meeting=meeting, partners=[world.company])
    assert n == 1
    assert Invitee.objects.get(meeting=meeting).member.user == world.company_rep
    note = Notification.objects.get(kind="meeting_invitation")
    assert note.recipient == world.company_rep
    assert note.delivery == "daily"
    assert set(note.params) == {"title", "starts", "tz"}
    # Everyone: the others are added, nobody twice; the facilitator is not notified.
    assert services.invite(by=world.facilitator, meeting=meeting, everyone=True) == 3
    assert Notification.objects.filter(kind="meeting_invitation").count() == 3
    foreign = Member.objects.get(user=world.foreign_facilitator)
    with pytest.raises(ServiceError):
        services.invite(by=world.facilitator, meeting=meeting, members=[foreign])


def test_it_holds_cancels_and_keeps_a_held_meeting(world: World) -> None:
    future = plan(world.own, world.facilitator)
    with pytest.raises(ServiceError, match="not started"):
        services.mark_held(by=world.facilitator, meeting=future)
    with pytest.raises(ServiceError, match="why"):
        services.cancel(by=world.facilitator, meeting=future, reason="  ")
    services.invite(by=world.facilitator, meeting=future, everyone=True)
    services.cancel(by=world.facilitator, meeting=future, reason="Lluvias")
    assert Notification.objects.filter(kind="meeting_cancelled").count() == 3
    past = held(world.own, world.facilitator)
    with pytest.raises(ServiceError, match="stays in the record"):
        services.delete_meeting(by=world.facilitator, meeting=past)


def test_it_records_services_planned_then_provided(world: World) -> None:
    meeting = plan(world.own, world.facilitator, days=0, hours=1)
    meeting.starts_at = meeting.starts_at - timedelta(days=1)
    meeting.ends_at = meeting.ends_at - timedelta(days=1)
    meeting.save(update_fields=["starts_at", "ends_at"])
    care = services.plan_service(
        by=world.facilitator, meeting=meeting, kind="childcare", provider=world.community
    )
    with pytest.raises(ServiceError, match="once the meeting was held"):
        services.record_service(by=world.facilitator, service=care, status="provided")
    services.mark_held(by=world.facilitator, meeting=meeting)
    with pytest.raises(ServiceError, match="why"):
        services.record_service(by=world.facilitator, service=care, status="not_provided")
    services.record_service(by=world.facilitator, service=care, status="provided")
    care.refresh_from_db()
    assert care.status == "provided"


def test_it_writes_minutes_and_action_items_after_the_meeting(world: World) -> None:
    future = plan(world.own, world.facilitator)
    with pytest.raises(ServiceError, match="held first"):
        services_after.write_minutes(by=world.facilitator, meeting=future, minutes={"es": "Acta"})
    meeting = held(world.own, world.facilitator)
    with pytest.raises(ServiceError) as refused:
        services_after.write_minutes(
            by=world.facilitator, meeting=meeting, minutes={"en": "Minutes"}
        )
    assert refused.value.field == "minutes_es"
    services_after.write_minutes(
        by=world.facilitator, meeting=meeting, minutes={"es": "Acta de la reunión"}
    )
    item = services_after.add_action_item(
        by=world.facilitator, meeting=meeting, title={"es": "Arreglar la vía"}, owner=world.company
    )
    assert item.action_ref is None
    with pytest.raises(ServiceError) as refused:
        services_after.add_action_item(
            by=world.facilitator,
            meeting=meeting,
            title={"es": "Antes"},
            due_on=meeting.local_start.date() - timedelta(days=3),
        )
    assert refused.value.field == "due_on"
    with pytest.raises(ServiceError):
        services_after.add_action_item(
            by=world.facilitator,
            meeting=meeting,
            title={"es": "Ajeno"},
            owner=world.foreign_partner,
        )


def test_it_turns_an_action_item_into_a_checklist_action_in_one_step(world: World) -> None:
    from actions.models import Action

    meeting = held(world.own, world.facilitator)
    item = services_after.add_action_item(
        by=world.facilitator,
        meeting=meeting,
        title={"es": "Arreglar la vía"},
        due_on=meeting.local_start.date() + timedelta(days=30),
    )
    with pytest.raises(ServiceError) as refused:
        services_after.convert_item(by=world.facilitator, item=item, kind="quick_impact")
    assert refused.value.field == "owner"
    assert not Action.objects.exists()
    action = services_after.convert_item(
        by=world.facilitator, item=item, kind="quick_impact", owner=world.company
    )
    assert action.source == f"meeting:{meeting.public_id}"
    assert action.owner == world.company
    assert action.due_on == item.due_on
    item.refresh_from_db()
    assert item.action_ref == action.public_id
    with pytest.raises(ServiceError, match="already"):
        services_after.convert_item(by=world.facilitator, item=item, kind="quick_impact")
    with pytest.raises(ServiceError, match="already"):
        services_after.drop_action_item(by=world.facilitator, item=item)
    assert Action.objects.count() == 1
