"""Meeting summaries as the public reads them: through ``public_queryset``
only (``meetings.hooks`` declares what: a held meeting the charter's
communication plan publishes), with attendance counts suppressed.

Never a name, an invitee, an online link or a headcount as stored: the counts
are read here, tallied per meeting and shown only through suppression
(``meetings.attendance.show`` with ``exact=False``), the same numbers a
member without clearance reads on the meeting's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from attachments.services import public_attachments_of
from meetings.attendance import Tally, labels_of, named_tally, show
from meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus
from partnerships.languages import in_language
from partnerships.models import Partnership
from partnerships.publication import public_queryset

FIELDS = (
    "id",
    "public_id",
    "kind",
    "title",
    "purpose",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "topics",
    "topic_other",
    "minutes",
    "headcount",
)


def public_rows(partnership_id: int, *, kind: str = "") -> QuerySet[Any]:
    rows = public_queryset(Meeting, partnership_id)
    if kind in MeetingKind.values:
        rows = rows.filter(kind=kind)
    return rows.order_by("-starts_at", "-id")


def _named(meeting_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    rows = Attendance.objects.filter(meeting_id__in=list(meeting_ids)).values(
        "meeting_id", "partner_type", "gender", "age_band", "segment__code"
    )
    for row in rows:
        found.setdefault(row["meeting_id"], []).append(
            {
                "partner_type": row["partner_type"],
                "gender": row["gender"],
                "age_band": row["age_band"],
                "segment": row["segment__code"] or "",
            }
        )
    return found


def present(partnership_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows a page shows, with their suppressed counts and the photos and
    documents that may leave the partnership (with consent). Five queries,
    however many rows."""
    if not rows:
        return []
    labels = labels_of(Partnership(pk=partnership_id))
    named = _named([r["id"] for r in rows if not r["headcount"]])
    # The records as the attachments room asks of them: published and held.
    records = [
        Meeting(
            public_id=r["public_id"],
            partnership_id=partnership_id,
            public=True,
            status=MeetingStatus.HELD,
        )
        for r in rows
    ]
    files: dict[Any, list[Any]] = {}
    for attachment in public_attachments_of(records):
        files.setdefault(attachment.target_id, []).append(attachment)
    kinds = dict(MeetingKind.choices)
    shown = []
    for r in rows:
        tally = (
            Tally.from_data(r["headcount"])
            if r["headcount"]
            else named_tally(named.get(r["id"], []))
        )
        meeting = Meeting(
            topics=r["topics"],
            topic_other=r["topic_other"],
            time_zone=r["time_zone"],
            starts_at=r["starts_at"],
            ends_at=r["ends_at"],
        )
        shown.append(
            {
                "public_id": r["public_id"],
                "kind": r["kind"],
                "kind_label": str(kinds.get(r["kind"], r["kind"])),
                "title": in_language(r["title"]),
                "purpose": in_language(r["purpose"]),
                "starts_at": meeting.local_start,
                "place": r["place"],
                "topics": meeting.topic_labels,
                "minutes": in_language(r["minutes"]),
                "attendance": show(
                    tally, labels, exact=False, counted_at_door=bool(r["headcount"])
                ),
                "files": files.get(r["public_id"], []),
            }
        )
    return shown
