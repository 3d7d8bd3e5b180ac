"""What people do with meetings: convene one, keep its agenda, invite,
plan and record inclusion services, hold or cancel it, write its minutes,
record the decisions taken at it and its action items.

Attendance has its own module (``meetings.services_attendance``). Every
refusal is a ``ServiceError`` naming the field, raised before anything is
written; each workflow runs in one transaction.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import Locality
from meetings import notices
from meetings.models import (
    AgendaItem,
    InclusionService,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ServiceKind,
    ServiceStatus,
    TrainingTopic,
)
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Member, Partner, Partnership, PartnershipStatus, Role
from partnerships.permissions import Action, can

TITLE_MAX = 300
TEXT_MAX = 50_000
LONGEST = timedelta(days=7)
ITEM_MINUTES_MAX = 480
AGENDA_DEPTH = 3


# --- Checks shared by every workflow ---------------------------------------------------


def member_of(by: Any, partnership: Partnership) -> Member | None:
    if not getattr(by, "is_authenticated", False):
        return None
    return Member.objects.filter(partnership=partnership, user=by).select_related("partner").first()


def require_role(by: Any, partnership: Partnership, kind: str, action: Action) -> Member:
    """The acting member, who must hold the capability (the API and imports
    obey the table the pages obey)."""
    member = member_of(by, partnership)
    if member is None or not can(member, kind, action):
        raise ServiceError(_("Your role may not do this with meetings."))
    return member


def require_open(partnership: Partnership) -> None:
    if partnership.status == PartnershipStatus.CLOSED:
        raise ServiceError(
            _("This partnership is closed: its meetings can be read, not changed."),
        )


def lock_meeting(meeting: Meeting) -> Meeting:
    locked: Meeting = (
        Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
    )
    require_open(locked.partnership)
    return locked


def title_of(
    partnership: Partnership, title: Mapping[str, str], prefix: str = "title"
) -> dict[str, str]:
    titles = clean_texts(title)
    require_first(titles, partnership, prefix=prefix)
    if any(len(t) > TITLE_MAX for t in titles.values()):
        raise ServiceError(
            ngettext(
                "A title has at most %(n)s character.",
                "A title has at most %(n)s characters.",
                TITLE_MAX,
            )
            % {"n": TITLE_MAX},
            field=f"{prefix}_{next(iter(titles))}",
        )
    return titles


def long_text(texts: Mapping[str, str] | None, field: str) -> dict[str, str]:
    cleaned = clean_texts(texts)
    if any(len(t) > TEXT_MAX for t in cleaned.values()):
        raise ServiceError(_("A text has at most %(n)s characters.") % {"n": TEXT_MAX}, field=field)
    return cleaned


def publishes_minutes(partnership: Partnership) -> bool:
    """Whether the charter in force's communication plan puts the minutes of
    meetings on the public portal. One query."""
    from charter.models import Audience, CharterStatus, PlanRow, Published

    return PlanRow.objects.filter(
        partnership=partnership,
        version__status=CharterStatus.IN_FORCE,
        what=Published.MINUTES,
        audience=Audience.PUBLIC,
    ).exists()


# --- Convening -------------------------------------------------------------------------


def _checked_fields(
    partnership: Partnership,
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    place: str,
    online_link: str,
    locality: Locality | None,
    topics: Sequence[str],
    topic_other: str,
) -> dict[str, Any]:
    if kind not in MeetingKind.values:
        raise ServiceError(_("Choose a kind of meeting."), field="kind")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ServiceError(_("Choose a time zone from the list."), field="time_zone") from None
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ServiceError(_("Give the start and the end with their time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise ServiceError(
            _("The meeting ends before it starts: check the times."), field="ends_at"
        )
    if ends_at - starts_at > LONGEST:
        raise ServiceError(_("A meeting lasts at most seven days."), field="ends_at")
    place = (place or "").strip()
    online_link = (online_link or "").strip()
    if not place and not online_link:
        raise ServiceError(
            _("Say where the meeting is held: a place, an online link or both."), field="place"
        )
    if len(place) > 300:
        raise ServiceError(_("A place has at most 300 characters."), field="place")
    if online_link and (
        urlsplit(online_link).scheme not in ("https", "http") or not urlsplit(online_link).netloc
    ):
        raise ServiceError(
            _("An online link is a web address starting with https://."), field="online_link"
        )
    if locality is not None and locality.partnership_id != partnership.pk:
        raise ServiceError(_("Choose one of the partnership's localities."), field="locality")
    topics = list(dict.fromkeys(topics or ()))
    topic_other = (topic_other or "").strip()
    if kind != MeetingKind.TRAINING:
        topics, topic_other = [], ""
    elif any(t not in TrainingTopic.values for t in topics):
        raise ServiceError(_("Choose topics from the list."), field="topics")
    elif TrainingTopic.OTHER in topics and not topic_other:
        raise ServiceError(_("Name the other topic."), field="topic_other")
    elif topic_other and TrainingTopic.OTHER not in topics:
        topics.append(TrainingTopic.OTHER)
    if len(topic_other) > 200:
        raise ServiceError(_("A topic has at most 200 characters."), field="topic_other")
    return {
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_zone": time_zone,
        "place": place,
        "online_link": online_link,
        "locality": locality,
        "topics": topics,
        "topic_other": topic_other,
    }


@transaction.atomic
def convene(
    *,
    by: Any,
    partnership: Partnership,
    kind: str,
    title: Mapping[str, str],
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    place: str = "",
    online_link: str = "",
    locality: Locality | None = None,
    purpose: Mapping[str, str] | None = None,
    open_assembly: bool = False,
    topics: Sequence[str] = (),
    topic_other: str = "",
) -> Meeting:
    """A new meeting, planned. An assembly is open by default."""
    require_open(partnership)
    member = require_role(by, partnership, "meeting", Action.CREATE)
    fields = _checked_fields(
        partnership,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place,
        online_link=online_link,
        locality=locality,
        topics=topics,
        topic_other=topic_other,
    )
    meeting = Meeting(
        partnership=partnership,
        title=title_of(partnership, title),
        purpose=long_text(purpose, "purpose"),
        open_assembly=bool(open_assembly),
        created_by=member,
        **fields,
    )
    save_audited(meeting, actor=by)
    return meeting


@transaction.atomic
def update_meeting(
    *,
    by: Any,
    meeting: Meeting,
    kind: str,
    title: Mapping[str, str],
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    place: str = "",
    online_link: str = "",
    locality: Locality | None = None,
    purpose: Mapping[str, str] | None = None,
    open_assembly: bool = False,
    topics: Sequence[str] = (),
    topic_other: str = "",
) -> Meeting:
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError(_("A cancelled meeting is kept as it was."))
    fields = _checked_fields(
        meeting.partnership,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place,
        online_link=online_link,
        locality=locality,
        topics=topics,
        topic_other=topic_other,
    )
    minutes_long = (fields["ends_at"] - fields["starts_at"]).total_seconds() // 60
    agenda = agenda_minutes(meeting)
    if agenda > minutes_long:
        raise ServiceError(
            _(
                "The agenda lasts %(agenda)s minutes, longer than the meeting would "
                "(%(meeting)s minutes): shorten the agenda first."
            )
            % {"agenda": agenda, "meeting": int(minutes_long)},
            field="ends_at",
        )
    if meeting.status == MeetingStatus.HELD and fields["starts_at"] > timezone.now():
        raise ServiceError(
            _("A meeting that was held cannot start in the future."), field="starts_at"
        )
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.title = title_of(meeting.partnership, title)
    meeting.purpose = long_text(purpose, "purpose")
    meeting.open_assembly = bool(open_assembly)
    save_audited(meeting, actor=by, update_fields=[*fields, "title", "purpose", "open_assembly"])
    return meeting


@transaction.atomic
def mark_held(*, by: Any, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """The meeting took place. Its summary goes on the portal where the
    charter's communication plan publishes the minutes of meetings."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("Only a planned meeting can be marked as held."), field="status")
    if meeting.starts_at > (now or timezone.now()):
        raise ServiceError(
            _("The meeting has not started yet: it can be marked as held once it has."),
            field="status",
        )
    meeting.status = MeetingStatus.HELD
    meeting.public = publishes_minutes(meeting.partnership)
    save_audited(meeting, actor=by, update_fields=["status", "public"])
    return meeting


@transaction.atomic
def cancel(*, by: Any, meeting: Meeting, reason: str) -> Meeting:
    """Call a planned meeting off, with its reason; the invitees are told."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("Only a planned meeting can be cancelled."), field="reason")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the meeting is cancelled."), field="reason")
    if len(reason) > 500:
        raise ServiceError(_("A reason has at most 500 characters."), field="reason")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    save_audited(meeting, actor=by, update_fields=["status", "cancel_reason"])
    users = [i.member.user for i in meeting.invitees.select_related("member__user")]
    notices.cancelled(meeting, users, actor=by)
    return meeting


@transaction.atomic
def delete_meeting(*, by: Any, meeting: Meeting) -> None:
    """Only a planned meeting with nothing recorded yet; a held meeting is
    part of the partnership's record."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.DELETE)
    if meeting.status == MeetingStatus.HELD:
        raise ServiceError(_("A meeting that was held stays in the record."))
    if meeting.attendance.exists() or meeting.action_items.exists():
        raise ServiceError(
            _("This meeting has attendance or action items recorded: cancel it instead.")
        )
    delete_audited(meeting, actor=by)


# --- The agenda ------------------------------------------------------------------------


def agenda_tree(meeting: Meeting) -> list[dict[str, Any]]:
    """The agenda as nested rows ``{"item", "children", "total", "depth"}``,
    each item's total computed: its own minutes plus its sub-items'. One query."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)

    def build(parent: int | None, depth: int) -> list[dict[str, Any]]:
        rows = []
        siblings = by_parent.get(parent, [])
        for index, item in enumerate(siblings):
            children = build(item.pk, depth + 1)
            total = item.duration_minutes + sum(c["total"] for c in children)
            rows.append(
                {
                    "item": item,
                    "children": children,
                    "total": total,
                    "depth": depth,
                    "first": index == 0,
                    "last": index == len(siblings) - 1,
                }
            )
        return rows

    return build(None, 1)


def flat_agenda(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tree in reading order, for a table or a printed sheet."""
    rows: list[dict[str, Any]] = []
    for row in tree:
        rows.append(row)
        rows.extend(flat_agenda(row["children"]))
    return rows


def agenda_minutes(meeting: Meeting) -> int:
    return sum(row["total"] for row in agenda_tree(meeting))


def _depth(item: AgendaItem | None) -> int:
    depth = 0
    while item is not None:
        depth += 1
        item = item.parent
    return depth


def _subtree_depth(item: AgendaItem) -> int:
    children = list(item.children.all())
    return 1 + max((_subtree_depth(c) for c in children), default=0)


def _checked_item(
    meeting: Meeting,
    *,
    duration_minutes: Any,
    parent: AgendaItem | None,
    item: AgendaItem | None = None,
) -> int:
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        raise ServiceError(
            _("A duration is a whole number of minutes."), field="duration_minutes"
        ) from None
    if not 0 <= minutes <= ITEM_MINUTES_MAX:
        raise ServiceError(
            _("An item lasts from 0 to %(max)s minutes.") % {"max": ITEM_MINUTES_MAX},
            field="duration_minutes",
        )
    has_children = item is not None and item.children.exists()
    if minutes == 0 and not has_children:
        raise ServiceError(
            _("An item without sub-items needs a duration of at least one minute."),
            field="duration_minutes",
        )
    if parent is not None:
        if parent.meeting_id != meeting.pk:
            raise ServiceError(_("Choose an item of this meeting's agenda."), field="parent")
        ancestor: AgendaItem | None = parent
        while ancestor is not None:
            if item is not None and ancestor.pk == item.pk:
                raise ServiceError(
                    _("An item cannot be placed under itself or one of its own sub-items."),
                    field="parent",
                )
            ancestor = ancestor.parent
        below = _subtree_depth(item) if item is not None else 1
        if _depth(parent) + below > AGENDA_DEPTH:
            raise ServiceError(
                _("An agenda nests at most %(n)s levels.") % {"n": AGENDA_DEPTH}, field="parent"
            )
    return minutes


def _fits(meeting: Meeting) -> None:
    total = agenda_minutes(meeting)
    if total > meeting.length_minutes:
        raise ServiceError(
            _(
                "The agenda would last %(agenda)s minutes, longer than the meeting "
                "(%(meeting)s minutes)."
            )
            % {"agenda": total, "meeting": meeting.length_minutes},
            field="duration_minutes",
        )


def _agenda_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError(_("A cancelled meeting is kept as it was."))


@transaction.atomic
def add_item(
    *,
    by: Any,
    meeting: Meeting,
    title: Mapping[str, str],
    duration_minutes: Any,
    parent: AgendaItem | None = None,
    lead: str = "",
) -> AgendaItem:
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _agenda_open(meeting)
    minutes = _checked_item(meeting, duration_minutes=duration_minutes, parent=parent)
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent).order_by("-position").first()
    item = AgendaItem(
        partnership=meeting.partnership,
        meeting=meeting,
        parent=parent,
        position=(last.position + 1) if last else 0,
        title=title_of(meeting.partnership, title),
        duration_minutes=minutes,
        lead=(lead or "").strip()[:200],
    )
    save_audited(item, actor=by)
    _fits(meeting)
    return item


@transaction.atomic
def update_item(
    *,
    by: Any,
    item: AgendaItem,
    title: Mapping[str, str],
    duration_minutes: Any,
    parent: AgendaItem | None = None,
    lead: str = "",
) -> AgendaItem:
    meeting = lock_meeting(item.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _agenda_open(meeting)
    minutes = _checked_item(meeting, duration_minutes=duration_minutes, parent=parent, item=item)
    if parent != item.parent:
        last = (
            AgendaItem.objects.filter(meeting=meeting, parent=parent).order_by("-position").first()
        )
        item.position = (last.position + 1) if last else 0
    item.parent = parent
    item.title = title_of(meeting.partnership, title)
    item.duration_minutes = minutes
    item.lead = (lead or "").strip()[:200]
    save_audited(
        item, actor=by, update_fields=["parent", "position", "title", "duration_minutes", "lead"]
    )
    _fits(meeting)
    return item


@transaction.atomic
def delete_item(*, by: Any, item: AgendaItem) -> None:
    """An item and its sub-items."""
    meeting = lock_meeting(item.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _agenda_open(meeting)
    for child in list(item.children.all()):
        delete_item(by=by, item=child)
    delete_audited(item, actor=by)


@transaction.atomic
def move_item(*, by: Any, item: AgendaItem, direction: str) -> AgendaItem:
    """One place up or down among its siblings."""
    meeting = lock_meeting(item.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    siblings = list(
        AgendaItem.objects.filter(meeting=meeting, parent=item.parent_id).order_by("position", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        raise ServiceError(_("This item cannot move that way."))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            save_audited(sibling, actor=by, update_fields=["position"])
    return item


# --- Invitations -----------------------------------------------------------------------


@transaction.atomic
def invite(
    *,
    by: Any,
    meeting: Meeting,
    members: Iterable[Member] = (),
    partners: Iterable[Partner] = (),
    everyone: bool = False,
) -> int:
    """Invite members, the representatives of partners, or every member.
    Those already invited are not invited twice; the new ones hear of it
    through the notification digests. Returns how many were invited now."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("Invitations go out for a planned meeting only."), field="members")
    partnership = meeting.partnership
    chosen: dict[int, Partner | None] = {}
    members = list(members)
    partners = list(partners)
    if any(m.partnership_id != partnership.pk for m in members) or any(
        p.partnership_id != partnership.pk for p in partners
    ):
        raise ServiceError(_("Invite members and partners of this partnership."), field="members")
    if any(p.left_on is not None for p in partners):
        raise ServiceError(_("A partner that has left cannot be invited."), field="partners")
    for member in members:
        chosen[member.pk] = None
    if partners:
        reps = Member.objects.filter(
            partnership=partnership, partner__in=partners, role=Role.PARTNER_REPRESENTATIVE
        ).select_related("partner")
        for rep in reps:
            chosen.setdefault(rep.pk, rep.partner)
    if everyone:
        for pk in Member.objects.filter(partnership=partnership).values_list("pk", flat=True):
            chosen.setdefault(pk, None)
    if not chosen:
        raise ServiceError(_("Choose whom to invite."), field="members")
    already = set(Invitee.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    fresh = [pk for pk in chosen if pk not in already]
    new_members = {
        m.pk: m for m in Member.objects.filter(pk__in=fresh).select_related("user", "partner")
    }
    for pk in fresh:
        member = new_members[pk]
        partner = chosen[pk] or (
            member.partner if member.role == Role.PARTNER_REPRESENTATIVE else None
        )
        save_audited(
            Invitee(partnership=partnership, meeting=meeting, member=member, partner=partner),
            actor=by,
        )
    if fresh:
        meeting.invited_at = timezone.now()
        meeting.save(update_fields=["invited_at"])
        notices.invited(meeting, [new_members[pk].user for pk in fresh], actor=by)
    return len(fresh)


@transaction.atomic
def uninvite(*, by: Any, invitee: Invitee) -> None:
    meeting = lock_meeting(invitee.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("The invitations of a past meeting stay as they were."))
    delete_audited(invitee, actor=by)


# --- Inclusion services ----------------------------------------------------------------


@transaction.atomic
def plan_service(
    *,
    by: Any,
    meeting: Meeting,
    kind: str,
    detail: str = "",
    provider: Partner | None = None,
) -> InclusionService:
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("Services are planned before the meeting."), field="kind")
    if kind not in ServiceKind.values:
        raise ServiceError(_("Choose a service from the list."), field="kind")
    if provider is not None and provider.partnership_id != meeting.partnership_id:
        raise ServiceError(_("Choose a partner of this partnership."), field="provider")
    detail = (detail or "").strip()
    if len(detail) > 300:
        raise ServiceError(_("Say it in at most 300 characters."), field="detail")
    service = InclusionService(
        partnership=meeting.partnership,
        meeting=meeting,
        kind=kind,
        detail=detail,
        provider=provider,
    )
    save_audited(service, actor=by)
    return service


@transaction.atomic
def record_service(
    *, by: Any, service: InclusionService, status: str, note: str = ""
) -> InclusionService:
    """Whether a planned service was provided; not provided needs its reason."""
    meeting = lock_meeting(service.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.HELD:
        raise ServiceError(
            _("Whether a service was provided is recorded once the meeting was held."),
            field="status",
        )
    if status not in (ServiceStatus.PROVIDED, ServiceStatus.NOT_PROVIDED):
        raise ServiceError(_("Say whether the service was provided."), field="status")
    note = (note or "").strip()
    if status == ServiceStatus.NOT_PROVIDED and not note:
        raise ServiceError(_("Say why the service was not provided."), field="note")
    if len(note) > 500:
        raise ServiceError(_("Say it in at most 500 characters."), field="note")
    service.status, service.outcome_note = status, note
    save_audited(service, actor=by, update_fields=["status", "outcome_note"])
    return service


@transaction.atomic
def drop_service(*, by: Any, service: InclusionService) -> None:
    meeting = lock_meeting(service.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if meeting.status != MeetingStatus.PLANNED:
        raise ServiceError(_("Services of a past meeting stay in its record."))
    delete_audited(service, actor=by)


def upcoming(partnership: Partnership, *, now: datetime | None = None) -> Q:
    """The filter of meetings still to come."""
    return Q(
        partnership=partnership, status=MeetingStatus.PLANNED, ends_at__gte=now or timezone.now()
    )
