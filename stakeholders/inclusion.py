"""Inclusion gaps: how each segment and each partner type is represented among
actors, partners and members, and what to do next. Constant queries whatever
the size of the map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Member, Partner, Partnership, PartnerType, Role
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
    code: str
    label: str
    actors: int
    engaged: int
    partners: int
    members: int
    primary: bool = False
    next_steps: list[Any] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.engaged or self.partners:
            return PRESENT
        return MAPPED if self.actors else ABSENT

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


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
        return [
            _("Involve one of its %(n)s mapped actors, or invite it to join.") % {"n": row.actors}
        ]
    if not row.members:
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
        row = Row(
            segment.code,
            segment.label,
            count.get("n", 0),
            count.get("engaged", 0),
            len(partners),
            sum(members_of.get(p, 0) for p in partners),
        )
        row.next_steps = _next_steps(row)
        rows.append(row)
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
        row = Row(
            value,
            str(label),
            counts.get("n", 0),
            counts.get("engaged", 0),
            partner_counts.get(value, 0),
            member_counts.get(value, 0),
            primary=value in PRIMARY_TYPES,
        )
        row.next_steps = _next_steps(row)
        rows.append(row)
    return rows
