"""Taking the register: named attendees, the counts at the door, and the
paper sheet typed in afterwards — each refused, with nothing written, when
the counts contradict the named attendees (``meetings.attendance``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.attendance import (
    DIMENSIONS,
    Shown,
    Tally,
    contradictions,
    named_tally,
    parse_counts,
    show,
)
from meetings.models import Attendance, Meeting, MeetingStatus
from meetings.services import lock_meeting, require_role
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.models import Member, Partner, Partnership, PartnerType
from partnerships.permissions import Action, Ctx
from stakeholders.models import Actor, Segment


@dataclass(frozen=True)
class Attendee:
    """One line of the register: a member or an actor, and what the sheet says."""

    member: Member | None = None
    actor: Actor | None = None
    partner: Partner | None = None
    gender: str = ""
    age_band: str = ""
    segment: Segment | None = None


def known_codes(partnership: Partnership) -> dict[str, set[str]]:
    from baseline.models import AgeBand, GenderOption

    return {
        "partner_type": set(PartnerType.values),
        "gender": set(
            GenderOption.objects.filter(partnership=partnership).values_list("code", flat=True)
        ),
        "age_band": set(
            AgeBand.objects.filter(partnership=partnership).values_list("code", flat=True)
        ),
        "segment": set(
            Segment.objects.filter(partnership=partnership).values_list("code", flat=True)
        ),
    }


def named_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """The named attendees' attributes, for the tally. One query."""
    return [
        {
            "partner_type": row["partner_type"],
            "gender": row["gender"],
            "age_band": row["age_band"],
            "segment": row["segment__code"] or "",
        }
        for row in Attendance.objects.filter(meeting=meeting).values(
            "partner_type", "gender", "age_band", "segment__code"
        )
    ]


def tally_of(meeting: Meeting) -> tuple[Tally, bool]:
    """The meeting's counts and whether they were taken at the door."""
    if meeting.headcount:
        return Tally.from_data(meeting.headcount), True
    return named_tally(named_rows(meeting)), False


def shown_to(ctx: Ctx | None, meeting: Meeting, labels: Mapping[str, Mapping[str, str]]) -> Shown:
    """The counts as this viewer sees them: exact for those who take the
    register (facilitators), suppressed for everyone else and the public."""
    exact = ctx is not None and ctx.can("attendance", Action.VIEW)
    tally, at_door = tally_of(meeting)
    return show(tally, labels, exact=exact, counted_at_door=at_door)


def _refuse_contradictions(counted: Tally, named: Tally) -> None:
    found = contradictions(counted, named)
    if found:
        field, _message = found[0]
        raise ServiceError(" ".join(message for _f, message in found), field=field)


def _checked(meeting: Meeting, attendee: Attendee, codes: Mapping[str, set[str]]) -> Attendance:
    partnership = meeting.partnership
    if (attendee.member is None) == (attendee.actor is None):
        raise ServiceError(_("Name the attendee: a member or an actor of the map."), field="member")
    for record in (attendee.member, attendee.actor, attendee.partner, attendee.segment):
        if record is not None and record.partnership_id != partnership.pk:
            raise ServiceError(
                _("Choose members, actors and partners of this partnership."), field="member"
            )
    if attendee.gender and attendee.gender not in codes["gender"]:
        raise ServiceError(_("Choose a gender from the partnership's list."), field="gender")
    if attendee.age_band and attendee.age_band not in codes["age_band"]:
        raise ServiceError(_("Choose an age band from the partnership's list."), field="age_band")
    partner = attendee.partner
    if partner is None and attendee.member is not None:
        partner = attendee.member.partner
    if partner is None and attendee.actor is not None:
        partner = attendee.actor.partner
    partner_type = partner.partner_type if partner is not None else ""
    if not partner_type and attendee.actor is not None:
        partner_type = attendee.actor.partner_type or ""
    return Attendance(
        partnership=partnership,
        meeting=meeting,
        member=attendee.member,
        actor=attendee.actor,
        partner=partner,
        partner_type=partner_type,
        gender=attendee.gender,
        age_band=attendee.age_band,
        segment=attendee.segment,
    )


def _register_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError(_("A cancelled meeting has no attendance."))


@transaction.atomic
def add_attendee(*, by: Any, meeting: Meeting, attendee: Attendee) -> Attendance:
    """One more named attendee (at the door, or afterwards)."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "attendance", Action.CREATE)
    _register_open(meeting)
    row = _checked(meeting, attendee, known_codes(meeting.partnership))
    taken = Attendance.objects.filter(meeting=meeting)
    if (row.member_id and taken.filter(member=row.member).exists()) or (
        row.actor_id and taken.filter(actor=row.actor).exists()
    ):
        raise ServiceError(_("This attendee is on the register already."), field="member")
    save_audited(row, actor=by)
    if meeting.headcount:
        _refuse_contradictions(Tally.from_data(meeting.headcount), named_tally(named_rows(meeting)))
    return row


@transaction.atomic
def remove_attendee(*, by: Any, attendance: Attendance) -> None:
    meeting = lock_meeting(attendance.meeting)
    require_role(by, meeting.partnership, "attendance", Action.DELETE)
    delete_audited(attendance, actor=by)


@transaction.atomic
def set_headcount(*, by: Any, meeting: Meeting, counts: Mapping[str, Any] | None) -> Meeting:
    """The counts of everyone present (named or not), or ``None`` to drop
    them (the named attendees are then the count). Refused when they
    contradict the named attendees."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "attendance", Action.CHANGE)
    _register_open(meeting)
    if counts is None:
        meeting.headcount = {}
    else:
        tally, problems = parse_counts(counts, known_codes(meeting.partnership))
        if problems:
            raise ServiceError(problems[0][1], field=problems[0][0])
        _refuse_contradictions(tally, named_tally(named_rows(meeting)))
        meeting.headcount = tally.as_data()
    save_audited(meeting, actor=by, update_fields=["headcount"])
    return meeting


@transaction.atomic
def record_register(
    *,
    by: Any,
    meeting: Meeting,
    attendees: Iterable[Attendee],
    counts: Mapping[str, Any] | None = None,
) -> int:
    """The paper sheet typed in: the whole list of named attendees (it
    replaces the register) and, for an assembly counted at the door, the
    counts. All or nothing: a line that is refused, or counts that
    contradict the names, leave the register as it was. Returns how many
    attendees are named."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "attendance", Action.CHANGE)
    _register_open(meeting)
    codes = known_codes(meeting.partnership)
    rows = [_checked(meeting, a, codes) for a in attendees]
    members = [r.member_id for r in rows if r.member_id]
    actors = [r.actor_id for r in rows if r.actor_id]
    if len(set(members)) != len(members) or len(set(actors)) != len(actors):
        raise ServiceError(
            _("Someone is on the sheet twice: name each attendee once."), field="member"
        )
    named = named_tally(
        {
            "partner_type": r.partner_type,
            "gender": r.gender,
            "age_band": r.age_band,
            "segment": r.segment.code if r.segment is not None else "",
        }
        for r in rows
    )
    tally: Tally | None = None
    if counts is not None:
        tally, problems = parse_counts(counts, codes)
        if problems:
            raise ServiceError(problems[0][1], field=problems[0][0])
        _refuse_contradictions(tally, named)
    kept: dict[tuple[str, int], Attendance] = {}
    for old in Attendance.objects.filter(meeting=meeting):
        kept[("m", old.member_id) if old.member_id else ("a", old.actor_id or 0)] = old
    wanted = {("m", r.member_id) if r.member_id else ("a", r.actor_id or 0): r for r in rows}
    for key, old in kept.items():
        if key not in wanted:
            delete_audited(old, actor=by)
    for key, row in wanted.items():
        old = kept.get(key)
        if old is None:
            save_audited(row, actor=by)
            continue
        changed = [
            name
            for name in ("partner", "partner_type", "gender", "age_band", "segment")
            if getattr(old, name) != getattr(row, name)
        ]
        for name in changed:
            setattr(old, name, getattr(row, name))
        if changed:
            save_audited(old, actor=by, update_fields=changed)
    new_headcount = tally.as_data() if tally is not None else {}
    if meeting.headcount != new_headcount:
        meeting.headcount = new_headcount
        save_audited(meeting, actor=by, update_fields=["headcount"])
    return len(rows)


def counts_for_form(meeting: Meeting) -> dict[str, Any]:
    """The counts at the door as a form's initial values."""
    tally = Tally.from_data(meeting.headcount) if meeting.headcount else None
    if tally is None:
        return {}
    initial: dict[str, Any] = {"count_total": tally.total}
    for d in DIMENSIONS:
        for code, n in tally.by.get(d, {}).items():
            initial[f"count_{d}_{code}"] = n
    return initial
