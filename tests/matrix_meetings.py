"""The meetings room's part of the permission matrix
(tests/test_permission_matrix.py) and of the forms' round trip: a meeting
held two days ago with an agenda item, an invitee, an inclusion service, a
named attendee and an action item; for the round trip also a planned
meeting that has started (its page offers to mark it held); and a secret
calendar address of the facilitator's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from accounts.models import User
from partnerships.models import Member, Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def _meeting(partnership: Partnership, facilitator: User, *, title: str, hold: bool) -> Any:
    from django.utils import timezone

    from meetings import services

    start = timezone.now() - timedelta(days=2 if hold else 0, hours=1)
    meeting = services.convene(
        by=facilitator,
        partnership=partnership,
        kind="meeting",
        title={"es": title},
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        time_zone="America/Bogota",
        place="Salón comunal de la matriz",
    )
    return meeting


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    from meetings import feeds, services, services_after
    from meetings.services_attendance import Attendee, add_attendee

    member = Member.objects.get(partnership=partnership, user=facilitator)
    meeting = _meeting(partnership, facilitator, title="Reunión de la matriz", hold=True)
    item = services.add_item(
        by=facilitator, meeting=meeting, title={"es": "Apertura"}, duration_minutes=15
    )
    services.invite(by=facilitator, meeting=meeting, members=[member])
    service = services.plan_service(by=facilitator, meeting=meeting, kind="transport")
    meeting = services.mark_held(by=facilitator, meeting=meeting)
    attendance = add_attendee(by=facilitator, meeting=meeting, attendee=Attendee(member=member))
    action_item = services_after.add_action_item(
        by=facilitator, meeting=meeting, title={"es": "Arreglar la vía"}
    )
    return {
        "meeting_id": str(meeting.public_id),
        "item_id": str(item.public_id),
        "invitee_id": str(meeting.invitees.get().public_id),
        "service_id": str(service.public_id),
        "attendance_id": str(attendance.public_id),
        "action_item_id": str(action_item.public_id),
        "calendar_token": feeds.issue(member=member),
        "which": "partnership",
    }


def round_trip_values(partnership: Partnership, facilitator: User, held: str) -> list[str]:
    """The held meeting, and a planned one that has started, with two agenda
    items (the second can move up), an invitee and a planned service."""
    from meetings import services

    planned = _meeting(partnership, facilitator, title="Reunión en curso", hold=False)
    for title in ("Bienvenida", "Informe"):
        services.add_item(by=facilitator, meeting=planned, title={"es": title}, duration_minutes=10)
    member = Member.objects.get(partnership=partnership, user=facilitator)
    services.invite(by=facilitator, meeting=planned, members=[member])
    services.plan_service(by=facilitator, meeting=planned, kind="interpretation")
    return [held, str(planned.public_id)]
