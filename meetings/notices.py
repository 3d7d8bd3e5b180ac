"""What this room tells people, through ``notifications.notify`` (the one entry point).

Two kinds: an invitation to a meeting and its cancellation. They carry the
meeting's title and when it starts (a moment and its time zone, shown in the
reader's language when read) — never who else is invited or who came.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from meetings.models import Meeting
from notifications.kinds import Kind, register_kind
from notifications.services import notify


def _when(params: Mapping[str, Any]) -> str:
    try:
        moment = datetime.fromisoformat(str(params.get("starts", "")))
        zone = ZoneInfo(str(params.get("tz", "")))
    except (ValueError, ZoneInfoNotFoundError):
        return ""
    return date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def _invited(params: Mapping[str, Any]) -> str:
    return _("You are invited: %(title)s, %(when)s") % {
        "title": params.get("title", ""),
        "when": _when(params),
    }


def _cancelled(params: Mapping[str, Any]) -> str:
    return _("Cancelled: %(title)s, %(when)s") % {
        "title": params.get("title", ""),
        "when": _when(params),
    }


KINDS = (
    Kind(
        "meeting_invitation",
        gettext_lazy("An invitation to a meeting"),
        _invited,
        params=("title", "starts", "tz"),
    ),
    Kind(
        "meeting_cancelled",
        gettext_lazy("A meeting you were invited to is cancelled"),
        _cancelled,
        params=("title", "starts", "tz"),
    ),
)


def register() -> None:
    for kind in KINDS:
        register_kind(kind)


def url_of(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.partnership.slug, meeting.public_id])


def _params(meeting: Meeting) -> dict[str, str | int]:
    return {
        "title": meeting.label[:200],
        "starts": meeting.starts_at.isoformat(),
        "tz": meeting.time_zone,
    }


def invited(meeting: Meeting, users: Iterable[User], *, actor: Any) -> int:
    return notify(
        partnership=meeting.partnership,
        kind="meeting_invitation",
        recipients=users,
        params=_params(meeting),
        url=url_of(meeting),
        actor=actor if getattr(actor, "pk", None) else None,
    )


def cancelled(meeting: Meeting, users: Iterable[User], *, actor: Any) -> int:
    return notify(
        partnership=meeting.partnership,
        kind="meeting_cancelled",
        recipients=users,
        params=_params(meeting),
        url=url_of(meeting),
        actor=actor if getattr(actor, "pk", None) else None,
    )
