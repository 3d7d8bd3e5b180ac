"""The iCalendar feeds: one of the whole partnership and one of the meetings
a member is invited to, each at a secret address.

The address holds a random token of the member's (``CalendarToken``: only
its SHA-256 hash is stored, as for API tokens). Calendars cannot sign in, so
the token is the key: a new one replaces the old (the old addresses stop
working), and a member who leaves the partnership loses both feeds with the
membership. What a feed holds is said in ``meetings.ical``: no attendee, no
invitee, no count, no minutes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from meetings import ical
from meetings.models import CalendarToken, Meeting
from partnerships.languages import reading
from partnerships.models import Member

# A feed reaches this far back; a calendar keeps what it had.
SINCE = timedelta(days=180)
SHOWN = 500


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue(*, member: Member) -> str:
    """A new secret for ``member``'s feeds; the old addresses stop working.
    The raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(24)
    CalendarToken.objects.filter(member=member).delete()
    CalendarToken.objects.create(
        partnership_id=member.partnership_id, member=member, digest=_digest(raw)
    )
    return raw


def has_token(member: Member) -> bool:
    return CalendarToken.objects.filter(member=member).exists()


def member_for(raw: str) -> Member | None:
    """The member whose token this is (None for an unknown or revoked one)."""
    if not raw or len(raw) > 100:
        return None
    token = (
        CalendarToken.objects.filter(digest=_digest(raw))
        .select_related("member__partnership", "member__user")
        .first()
    )
    if token is None or not token.member.user.is_active:
        return None
    member: Member = token.member
    return member


def _recent(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    since = timezone.now() - SINCE
    return meetings.filter(ends_at__gte=since).order_by("starts_at", "pk")[:SHOWN]


def partnership_meetings(member: Member) -> QuerySet[Meeting]:
    return _recent(Meeting.objects.filter(partnership_id=member.partnership_id))


def invited_meetings(member: Member) -> QuerySet[Meeting]:
    return _recent(
        Meeting.objects.filter(partnership_id=member.partnership_id, invitees__member=member)
    )


def feed_text(member: Member, *, mine: bool, base: str) -> str:
    """The feed of ``member``'s partnership (or of their own invitations),
    with links made absolute from ``base`` (the site's address)."""
    partnership = member.partnership
    meetings = invited_meetings(member) if mine else partnership_meetings(member)
    slug = partnership.slug

    def url_of(meeting: Any) -> str:
        return base + reverse("meetings:detail", args=[slug, meeting.public_id])

    with reading(partnership):
        return ical.calendar(meetings, name=partnership.name, url_of=url_of)
