"""How this room plugs into the shared mechanisms and the rooms below it:
step 6's checks and page, the portal's meeting summaries, the decision
log's links to meetings, the kinds of notification and the codes the
baseline's set-up must keep."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from baseline.services_setup import register_code_uses
from decisions import links
from partnerships.models import Partnership, Step
from partnerships.publication import declare, declare_summary
from partnerships.stepper import Check, progress, register_room

PORTAL_SHOWN = 5


def meeting_checks(partnership: Partnership) -> list[Check]:
    from meetings.models import Meeting, MeetingKind, MeetingStatus

    counts = Meeting.objects.filter(partnership=partnership).aggregate(
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        trainings=Count("pk", filter=Q(status=MeetingStatus.HELD, kind=MeetingKind.TRAINING)),
        minuted=Count("pk", filter=Q(status=MeetingStatus.HELD) & ~Q(minutes={})),
    )
    return [
        Check(
            _("Meetings held and recorded"),
            counts["held"] > 0,
            ngettext_lazy("%(n)s meeting held", "%(n)s meetings held", "n") % {"n": counts["held"]},
        ),
        Check(
            _("Minutes written"),
            counts["minuted"] > 0,
            ngettext_lazy("%(n)s with minutes", "%(n)s with minutes", "n")
            % {"n": counts["minuted"]},
        ),
        Check(
            _("Trainings held"),
            counts["trainings"] > 0,
            ngettext_lazy("%(n)s training", "%(n)s trainings", "n") % {"n": counts["trainings"]},
        ),
    ]


def _meetings(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, links.Target]:
    from meetings.models import Meeting

    return {
        m.public_id: links.Target(
            "meeting",
            m.public_id,
            m.label,
            reverse("meetings:detail", args=[partnership.slug, m.public_id]),
        )
        for m in Meeting.objects.filter(partnership=partnership, public_id__in=ids)
    }


def portal_summary(partnership_id: int) -> dict[str, Any]:
    from meetings.public import present, public_rows

    rows = present(partnership_id, list(public_rows(partnership_id)[:PORTAL_SHOWN]))
    return {"meetings": rows} if rows else {}


def code_uses(partnership_id: int, attribute: str, code: str) -> list[str]:
    from meetings.models import Attendance, Meeting

    if attribute not in ("gender", "age_band"):
        return []
    found = Attendance.objects.filter(partnership_id=partnership_id, **{attribute: code}).exists()
    found = (
        found
        or Meeting.objects.filter(
            partnership_id=partnership_id, **{f"headcount__{attribute}__has_key": code}
        ).exists()
    )
    return [str(_("attendance at meetings"))] if found else []


def _meeting_url(meeting: Any) -> str:
    return reverse("meetings:detail", args=[meeting.partnership.slug, meeting.public_id])


def _is_public(meeting: Any) -> bool:
    from meetings.models import MeetingStatus

    return bool(meeting.public) and meeting.status == MeetingStatus.HELD


def register() -> None:
    from attachments import targets
    from meetings import notices
    from meetings.models import Meeting, MeetingStatus
    from meetings.public import FIELDS

    progress(Step.IMPLEMENTATION_TOOLS)(meeting_checks)
    register_room(Step.IMPLEMENTATION_TOOLS, "meetings:list", _("Meetings and trainings"))
    links.register("meeting", _("Meeting"), _meetings)
    notices.register()
    register_code_uses(code_uses)
    # Public once held, where the charter's communication plan published the
    # minutes of meetings when it was marked held (``Meeting.public``). The
    # counts are read and suppressed by ``meetings.public``; no attendee,
    # invitee or online link is declared.
    declare(Meeting, fields=FIELDS, where=Q(public=True, status=MeetingStatus.HELD))
    declare_summary("meetings", portal_summary)
    # Photos, documents and training materials: a photo that shows people
    # leaves the partnership only with consent (the attachments room decides),
    # and only of a meeting the portal shows.
    targets.register(Meeting, permission_kind="meeting", url=_meeting_url, is_public=_is_public)
    from meetings import demo

    demo.register()
