"""The meetings as iCalendar (RFC 5545), written by hand: the ``icalendar``
package is not among the project's pinned dependencies, and a feed of
events needs only a small, careful part of the format.

What the standard asks and this module does:

- lines end with CRLF and are *folded* at 75 octets (not characters: a
  multi-byte UTF-8 character is never split), each continuation starting
  with one space (3.1);
- TEXT values escape backslash, semicolon, comma and newlines (3.3.11);
- times are written in UTC (``...Z``, 3.3.5), so no VTIMEZONE is needed:
  each calendar shows them in its reader's own time;
- every event has a stable ``UID`` (the meeting's public id) and ``DTSTAMP``;
  a cancelled meeting stays in the feed with ``STATUS:CANCELLED``, so
  calendars that had it remove or strike it.

What a feed holds: the title, the kind, the times, the place and the online
link, the status, the meeting's page. Never an attendee, an invitee, a count
or the minutes: a calendar feed travels to other services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils import timezone

from meetings.models import Meeting, MeetingStatus

PRODID = "-//HSBP Platform//Meetings//ES"
FOLD_AT = 75


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets, continuations led by a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= FOLD_AT:
        return line
    parts: list[str] = []
    start = 0
    limit = FOLD_AT
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        # Never cut a UTF-8 character: back off to the start of one.
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start = end
        limit = FOLD_AT - 1  # the leading space counts
    return "\r\n ".join(parts)


def utc(moment: datetime) -> str:
    return timezone.localtime(moment, UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(meeting: Meeting, *, url: str, stamp: datetime) -> list[str]:
    status = {
        MeetingStatus.PLANNED: "CONFIRMED",
        MeetingStatus.HELD: "CONFIRMED",
        MeetingStatus.CANCELLED: "CANCELLED",
    }[MeetingStatus(meeting.status)]
    location = ", ".join(p for p in (meeting.place, meeting.online_link) if p)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.public_id}@hsbp",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SUMMARY:{escape(meeting.label)}",
        f"CATEGORIES:{escape(str(meeting.get_kind_display()))}",
        f"STATUS:{status}",
    ]
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if meeting.purpose_text:
        lines.append(f"DESCRIPTION:{escape(meeting.purpose_text)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str, url_of: Callable[[Meeting], str]) -> str:
    """The whole feed: ``url_of(meeting)`` gives each event's link."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for meeting in meetings:
        lines.extend(event_lines(meeting, url=url_of(meeting), stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
