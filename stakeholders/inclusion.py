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
    """One row per segment. ``public`` leaves out actors flagged at risk."""
    visible = Q(actors__at_risk=False) if public else Q()
    segments = Segment.objects.filter(partnership=partnership).annotate(
        n_actors=Count("actors", filter=visible, distinct=True),
        n_engaged=Count("actors", filter=visible & _engaged_q("actors__"), distinct=True),
        n_partners=Count(
            "actors__partner",
            filter=visible & Q(actors__partner__left_on__isnull=True),
            distinct=True,
        ),
        n_members=Count("actors__partner__representatives", filter=visible, distinct=True),
    )
    rows = [
        Row(s.code, s.label, s.n_actors, s.n_engaged, s.n_partners, s.n_members) for s in segments
    ]
    for row in rows:
        row.next_steps = _next_steps(row)
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
