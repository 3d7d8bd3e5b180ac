"""Inclusion gaps: how each segment and each partner type is represented among
actors, partners and members, and what to do next. Constant queries whatever
the size of the map.

The rows hold exact counts. Whoever shows them to someone without clearance
(the portal, the inclusion page and API for partner representatives,
participants and observers) passes them through ``for_viewer`` first: the
counts summarise actors that the page does not list, so they follow the
small-number rule of ``partnerships.suppression`` (docs/counts-of-people.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from partnerships.protection import has_clearance
from partnerships.suppression import TOTAL, suppress_count, suppress_line
from stakeholders.models import Actor, Engagement, Segment

PRESENT = "present"
MAPPED = "mapped"
ABSENT = "absent"
STATUS_LABELS = {
    PRESENT: _("Present and engaged"),
    MAPPED: _("Mapped but not engaged"),
    ABSENT: _("Absent"),
}
PRIMARY_TYPES = (
    PartnerType.COMPANY,
    PartnerType.COMMUNITY,
    PartnerType.GOVERNMENT,
    PartnerType.CIVIL_SOCIETY,
)


@dataclass
class Row:
    """One segment or partner type. A count is ``None`` where suppression hid
    it (see ``for_viewer``); the status is decided on the exact counts, and
    says no more than whether a count is zero, which reveals no one."""

    code: str
    label: str
    actors: int | None
    engaged: int | None
    partners: int | None
    members: int | None
    primary: bool = False
    status: str = ABSENT
    next_steps: list[Any] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _row(
    code: str,
    label: str,
    actors: int,
    engaged: int,
    partners: int,
    members: int,
    *,
    primary: bool = False,
) -> Row:
    status = PRESENT if engaged or partners else MAPPED if actors else ABSENT
    row = Row(code, label, actors, engaged, partners, members, primary, status)
    row.next_steps = _next_steps(row)
    return row


def _engaged_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}engagement__in": Engagement.engaged_values()}) | Q(
        **{f"{prefix}partner__isnull": False}
    )


def _next_steps(row: Row) -> list[Any]:
    if row.status == ABSENT:
        return [
            _("Map the organisations and groups that belong to or speak for it."),
            _("Ask the community partners who is missing."),
        ]
    if row.status == MAPPED:
        if row.actors is None:
            return [_("Involve one of its mapped actors, or invite it to join.")]
        return [
            ngettext_lazy(
                "Involve its mapped actor, or invite it to join.",
                "Involve one of its %(n)s mapped actors, or invite it to join.",
                "n",
            )
            % {"n": row.actors}
        ]
    if row.members == 0:  # None: hidden, so one to four
        return [_("Invite a representative to take part as a member.")]
    return [_("Keep it involved; review its engagement at the next review.")]


def by_segment(partnership: Partnership, *, public: bool = False) -> list[Row]:
    """One row per segment. ``public`` leaves out actors flagged at risk.

    Three grouped reads of the actor–segment links (no DISTINCT over joins,
    which was the slow part on a 20,000-actor map)."""
    links = Actor.segments.through.objects.filter(actor__partnership=partnership)
    if public:
        links = links.filter(actor__at_risk=False)
    counts = {
        row["segment_id"]: row
        for row in links.values("segment_id")
        .annotate(n=Count("actor_id"), engaged=Count("actor_id", filter=_engaged_q("actor__")))
        .order_by()
    }
    # Partners (still in) behind each segment's actors, and their representatives.
    partners_of: dict[int, set[int]] = {}
    joined = links.filter(actor__partner__isnull=False, actor__partner__left_on__isnull=True)
    for segment_id, partner_id in joined.values_list("segment_id", "actor__partner_id").distinct():
        partners_of.setdefault(segment_id, set()).add(partner_id)
    members_of = dict(
        Member.objects.filter(partnership=partnership, partner__isnull=False)
        .values_list("partner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for segment in Segment.objects.filter(partnership=partnership):
        count = counts.get(segment.pk, {})
        partners = partners_of.get(segment.pk, set())
        rows.append(
            _row(
                segment.code,
                segment.label,
                count.get("n", 0),
                count.get("engaged", 0),
                len(partners),
                sum(members_of.get(p, 0) for p in partners),
            )
        )
    return rows


def by_segment_cached(partnership: Partnership) -> list[Row]:
    """``by_segment`` once per partnership object: the overview asks for it
    twice (step 4's checks and the alerts) in one request."""
    cached: list[Row] | None = getattr(partnership, "_inclusion_by_segment", None)
    if cached is None:
        cached = by_segment(partnership)
        partnership._inclusion_by_segment = cached  # type: ignore[attr-defined]
    return cached


def by_partner_type(partnership: Partnership, *, public: bool = False) -> list[Row]:
    actors = Actor.objects.filter(partnership=partnership).exclude(partner_type="")
    if public:
        actors = actors.filter(at_risk=False)
    actor_counts = {
        r["partner_type"]: r
        for r in actors.values("partner_type").annotate(
            n=Count("id"), engaged=Count("id", filter=_engaged_q())
        )
    }
    partner_counts = dict(
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .values_list("partner_type")
        .annotate(n=Count("id"))
    )
    member_counts = dict(
        Member.objects.filter(partnership=partnership, role=Role.PARTNER_REPRESENTATIVE)
        .values_list("partner__partner_type")
        .annotate(n=Count("id"))
    )
    rows = []
    for value, label in PartnerType.choices:
        counts = actor_counts.get(value, {})
        rows.append(
            _row(
                value,
                str(label),
                counts.get("n", 0),
                counts.get("engaged", 0),
                partner_counts.get(value, 0),
                member_counts.get(value, 0),
                primary=value in PRIMARY_TYPES,
            )
        )
    return rows


def suppressed(row: Row) -> Row:
    """The row as it may be shown to someone without clearance.

    Which numbers are margins of which: a row's engaged actors are part of
    its actors, so ``engaged``, ``not engaged`` and their total ``actors``
    form one line (``suppress_line``): no hidden count comes back by
    subtraction. Partners and their representatives are counted apart (a
    partner need not be on the map), each a lone count. Each row is its own
    line: segments overlap (one actor may be a woman and a victim), and no
    page publishes a column's total, so rows do not add up to anything shown.
    """
    actors, engaged = row.actors or 0, row.engaged or 0
    line = suppress_line({"engaged": engaged, "not_engaged": actors - engaged, TOTAL: actors})
    shown = Row(
        row.code,
        row.label,
        line[TOTAL],
        # A zero is shown (the status says it anyway, and it singles out no one);
        # with the others hidden it pins nothing down.
        0 if engaged == 0 else line["engaged"],
        suppress_count(row.partners or 0),
        suppress_count(row.members or 0),
        row.primary,
        row.status,
    )
    shown.next_steps = _next_steps(shown)
    return shown


def for_viewer(rows: list[Row], member: Member | None) -> list[Row]:
    """Exact counts for a viewer with clearance (facilitators), suppressed
    ones for everyone else; ``member=None`` is the public."""
    if member is not None and has_clearance(member):
        return rows
    return [suppressed(row) for row in rows]
