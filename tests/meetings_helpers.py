"""Helpers of the meetings room's tests: a meeting planned or held in a
partnership of the test world (fictional places and people only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from meetings import services
from meetings.models import Meeting
from partnerships.models import Partnership

BOGOTA = "America/Bogota"


def at(days: int, hour: int = 9) -> datetime:
    """A moment ``days`` from today at ``hour`` in Bogotá time."""
    today = timezone.localtime(timezone.now(), ZoneInfo(BOGOTA)).date()
    return datetime.combine(
        today + timedelta(days=days), datetime.min.time(), tzinfo=ZoneInfo(BOGOTA)
    ).replace(hour=hour)


def plan(
    partnership: Partnership,
    by: User,
    *,
    days: int = 3,
    hours: int = 2,
    title: str | dict[str, str] = "Reunión de prueba",
    **extra: Any,
) -> Meeting:
    start = at(days)
    fields: dict[str, Any] = {
        "kind": "meeting",
        "title": title if isinstance(title, dict) else {"es": title},
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "time_zone": BOGOTA,
        "place": "Salón comunal",
    }
    fields.update(extra)
    return services.convene(by=by, partnership=partnership, **fields)


def held(partnership: Partnership, by: User, **extra: Any) -> Meeting:
    meeting = plan(partnership, by, days=-2, **extra)
    return services.mark_held(by=by, meeting=meeting)
