"""The demo partnership's meetings: a held open assembly with agenda,
attendance, minutes and one action item on the checklist, seen in Spanish at
the sizes of a cheap phone's page, with small counts hidden from members."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from meetings.models import ActionItem, Attendance, Meeting, MeetingStatus
from partnerships.management.commands.demo import MAIN
from partnerships.models import Partnership


@pytest.mark.usefixtures("demo_once")
@pytest.mark.django_db
def test_it_holds_a_meeting_with_attendance_minutes_and_an_action_item() -> None:
    brumaverde = Partnership.objects.get(name=MAIN)
    meeting = Meeting.objects.get(partnership=brumaverde, status=MeetingStatus.HELD)
    assert meeting.agenda.count() == 5
    assert Attendance.objects.filter(meeting=meeting).exists()
    assert meeting.headcount["total"] == 46
    assert meeting.minutes["es"]
    item = ActionItem.objects.get(meeting=meeting)
    assert item.action_ref is not None
    from actions.models import Action

    assert Action.objects.get(public_id=item.action_ref).source == f"meeting:{meeting.public_id}"
    participant = User.objects.get(email__startswith="participante@")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(participant)
    page = client.get(reverse("meetings:detail", args=[brumaverde.slug, meeting.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Asamblea abierta" in html and "La alcaldía presentó" in html
    shown = re.findall(r'<data class="people" value="([^"]+)"', html)
    assert "46" in shown
    assert not any(v in {"1", "2", "3", "4"} for v in shown)
    assert len(page.content) < 50_000
