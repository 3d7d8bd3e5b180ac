"""What the pages read: the checklist's questions at a glance (late, blocked,
who owns it, next this month), the sharing view (promised against delivered
by partner and by partner type, over time) and the timeline, drawn on the
server as SVG. Each in a constant number of queries, whatever the data size.

Counts here are of actions and commitments, never of people: partners and
partner types are constituencies whose pledges are public to the members
(``|count``, see docs/counts-of-people.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.models import OPEN, Action, ActionStatus, Commitment, CommitmentStatus
from charter.money import format_money
from partnerships.models import Partnership, PartnerType

CHECKLIST_SHOWN = 50  # rows on a page of the checklist
TIMELINE_SHOWN = 40


def checklist(partnership: Partnership, filters: dict[str, Any]) -> QuerySet[Action]:
    """The actions, filtered by goal, partner (owner or contributor),
    strategy, locality and status; owners read with them. A
    filter on a link reads the actions' ids in a subquery, so the list needs
    no DISTINCT (which sorted every action of the partnership, wide rows and
    all, before the first 200 were taken); descriptions are not read."""
    qs = Action.objects.filter(partnership=partnership).select_related("owner").defer("description")
    links = Action.objects.filter(partnership=partnership)
    if filters.get("goal"):
        qs = qs.filter(pk__in=links.filter(goals=filters["goal"]).values("pk"))
    if filters.get("partner"):
        partner = filters["partner"]
        qs = qs.filter(Q(owner=partner) | Q(pk__in=links.filter(contributors=partner).values("pk")))
    if filters.get("strategy"):
        qs = qs.filter(pk__in=links.filter(strategies=filters["strategy"]).values("pk"))
    if filters.get("locality"):
        qs = qs.filter(pk__in=links.filter(localities=filters["locality"]).values("pk"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by("tree")  # each action followed by its sub-actions


GLANCE_SHOWN = 10


@dataclass
class Glance:
    late: list[Action] = field(default_factory=list)
    blocked: list[Action] = field(default_factory=list)
    next_month: list[Action] = field(default_factory=list)
    # How many in all (each list shows the first GLANCE_SHOWN).
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def late_more(self) -> int:
        return self.counts.get("late", 0) - len(self.late)

    @property
    def blocked_more(self) -> int:
        return self.counts.get("blocked", 0) - len(self.blocked)

    @property
    def next_more(self) -> int:
        return self.counts.get("next_month", 0) - len(self.next_month)


def glance(actions: QuerySet[Action], today: datetime.date | None = None) -> Glance:
    """Late (open and past due), blocked (stalled), next this month (open and
    due within 31 days), over every action of the (filtered) checklist, not
    only the rows shown: the first ``GLANCE_SHOWN`` of each, soonest due
    first, and how many in all. Four queries."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=31)
    questions = {
        "late": Q(status__in=OPEN, due_on__lt=today),
        "blocked": Q(status=ActionStatus.STALLED),
        "next_month": Q(status__in=OPEN, due_on__gte=today, due_on__lte=soon),
    }
    counts = actions.order_by().aggregate(
        **{name: Count("pk", filter=q) for name, q in questions.items()}
    )
    first = {
        name: list(actions.filter(q).order_by("due_on", "pk")[:GLANCE_SHOWN])
        for name, q in questions.items()
    }
    return Glance(**first, counts=counts)


# --- Sharing: promised against delivered ----------------------------------------------


@dataclass
class SharingRow:
    label: str
    promised: int = 0
    reported: int = 0
    delivered: int = 0
    money: dict[str, list[int]] = field(default_factory=dict)  # currency -> [promised, delivered]

    @property
    def money_lines(self) -> list[tuple[str, str]]:
        return [
            (format_money(p, currency), format_money(d, currency))
            for currency, (p, d) in sorted(self.money.items())
        ]

    @property
    def share(self) -> int:
        return round(self.delivered * 100 / self.promised) if self.promised else 0


LIVE = ~Q(status=CommitmentStatus.WITHDRAWN)


def sharing(partnership: Partnership) -> dict[str, Any]:
    """Promised against delivered (confirmed), by partner type and by
    partner, and by month of promise: three grouped queries (the first also
    finds the first and last promise, which bound the months)."""
    base = Commitment.objects.filter(partnership=partnership).filter(LIVE)
    counted = {
        "promised": Count("pk"),
        "reported": Count("pk", filter=Q(status=CommitmentStatus.REPORTED)),
        "delivered": Count("pk", filter=Q(status=CommitmentStatus.CONFIRMED)),
        "money": Sum("amount_minor"),
        "money_delivered": Sum(
            "delivered_amount_minor", filter=Q(status=CommitmentStatus.CONFIRMED)
        ),
    }
    by_type: dict[str, SharingRow] = {}
    first = last = timezone.now()
    for row in (
        base.values("partner_type", "currency")
        .annotate(**counted, first=Min("made_at"), last=Max("made_at"))
        .order_by("partner_type")
    ):
        first, last = min(first, row["first"]), max(last, row["last"])
        item = by_type.setdefault(
            row["partner_type"], SharingRow(str(PartnerType(row["partner_type"]).label))
        )
        _add(item, row)
    by_partner: dict[str, SharingRow] = {}
    for row in (
        base.values("partner__name", "currency").annotate(**counted).order_by("partner__name")
    ):
        _add(by_partner.setdefault(row["partner__name"], SharingRow(row["partner__name"])), row)
    months = by_month(base, first, last) if by_type else []
    return {
        "by_type": list(by_type.values()),
        "by_partner": list(by_partner.values()),
        "over_time": _over_time_svg(months),
    }


def by_month(
    base: QuerySet[Commitment], first: datetime.datetime, last: datetime.datetime
) -> list[tuple[datetime.date, list[int]]]:
    """Commitments promised and delivered by month of promise (local time),
    ``first`` and ``last`` bounding the promises: one grouped query."""
    starts = _month_starts(first, last)
    months: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        base.annotate(month=_month_index(starts))
        .values("month")
        .annotate(
            promised=Count("pk"),
            delivered=Count("pk", filter=Q(status=CommitmentStatus.CONFIRMED)),
        )
        .order_by("month")
    ):
        month = starts[row["month"]].date()
        months[month][0] += row["promised"]
        months[month][1] += row["delivered"]
    return sorted(months.items())


def _month_starts(first: datetime.datetime, last: datetime.datetime) -> list[datetime.datetime]:
    """The first moment of each month, in the current time zone, from the
    month of ``first`` to that of ``last``."""
    zone = timezone.get_current_timezone()
    day = timezone.localtime(first, zone).date().replace(day=1)
    end = timezone.localtime(last, zone).date()
    starts = []
    while day <= end:
        starts.append(datetime.datetime(day.year, day.month, 1, tzinfo=zone))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return starts


def _month_index(starts: list[datetime.datetime]) -> Case:
    """The month of ``made_at`` as an index into ``starts``, compared in SQL
    with the months' first moments: what ``TruncMonth`` answers, without a
    function called on every row (SQLite runs ``TruncMonth`` in Python,
    a tenth of a second on 20,000 commitments)."""
    return Case(
        *(When(made_at__lt=start, then=Value(i - 1)) for i, start in enumerate(starts[1:], 1)),
        default=Value(len(starts) - 1),
        output_field=IntegerField(),
    )


def _add(item: SharingRow, row: dict[str, Any]) -> None:
    item.promised += row["promised"]
    item.reported += row["reported"]
    item.delivered += row["delivered"]
    if row["currency"]:
        money = item.money.setdefault(row["currency"], [0, 0])
        money[0] += row["money"] or 0
        money[1] += row["money_delivered"] or 0


# --- Pictures (server-side SVG, presentation attributes only: no inline CSS) ----------

INK, PROMISED, DELIVERED, LATE = "#1f2933", "#9aa5b1", "#2f6f4f", "#b3261e"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="svg-title" class="chart">'
        f'<title id="svg-title">{escape(title)}</title>{"".join(body)}</svg>'
    )


def _over_time_svg(months: list[tuple[datetime.date, list[int]]]) -> str:
    """Cumulative promised and delivered commitments, month by month."""
    title = _("Commitments promised and delivered, cumulative, by month")
    if not months:
        return ""
    width, height, left, bottom = 640, 220, 40, 30
    total_promised = sum(p for _m, (p, _d) in months)
    top = max(total_promised, 1)
    step = (width - left - 10) / max(len(months), 1)
    body: list[str] = []
    promised = delivered = 0
    for i, (month, (p, d)) in enumerate(months):
        promised += p
        delivered += d
        x = left + i * step
        bar = step * 0.4
        for offset, value, colour in ((0.0, promised, PROMISED), (bar, delivered, DELIVERED)):
            h = (height - bottom - 10) * value / top
            body.append(
                f'<rect x="{x + offset:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{value}</title></rect>'
            )
        body.append(
            f'<text x="{x:.1f}" y="{height - 12}" font-size="10" fill="{INK}">'
            f"{escape(date_format(month, 'YEAR_MONTH_FORMAT'))}</text>"
        )
    legend = [
        f'<rect x="{left}" y="4" width="10" height="10" fill="{PROMISED}"/>'
        f'<text x="{left + 14}" y="13" font-size="11" fill="{INK}">{escape(_("promised"))}</text>',
        f'<rect x="{left + 110}" y="4" width="10" height="10" fill="{DELIVERED}"/>'
        f'<text x="{left + 124}" y="13" font-size="11" fill="{INK}">{escape(_("delivered"))}</text>',
    ]
    return _svg(width, height, title, [*legend, *body])


def timeline_svg(actions: list[Action], today: datetime.date | None = None) -> str:
    """One bar per dated action from its start to its due date, today's line
    across them; late bars in red, done ones in green. Actions without both
    dates are listed on the page, not drawn."""
    today = today or timezone.localdate()
    dated = [a for a in actions if a.starts_on and a.due_on][:TIMELINE_SHOWN]
    if not dated:
        return ""
    first = min(min(a.starts_on for a in dated if a.starts_on), today)
    last = max(max(a.due_on for a in dated if a.due_on), today)
    span = max((last - first).days, 1)
    width, row, left = 640, 22, 4
    height = row * len(dated) + 30

    def x(day: datetime.date) -> float:
        return left + (width - 2 * left) * (day - first).days / span

    body: list[str] = []
    for i, action in enumerate(dated):
        assert action.starts_on and action.due_on
        y = 24 + i * row
        colour = (
            DELIVERED
            if action.status == ActionStatus.DONE
            else LATE
            if action.is_late(today)
            else PROMISED
        )
        x0, x1 = x(action.starts_on), x(action.due_on)
        label = f"{action.label} · {date_format(action.starts_on)} – {date_format(action.due_on)}"
        body.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(label)}</title></rect>'
            f'<text x="{x0 + 2:.1f}" y="{y + row - 11}" font-size="10" fill="{INK}">'
            f"{escape(action.label[:40])}</text>"
        )
    body.append(
        f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="14" y2="{height}" '
        f'stroke="{INK}" stroke-dasharray="3 3"/>'
        f'<text x="{x(today) + 3:.1f}" y="12" font-size="10" fill="{INK}">{escape(_("today"))}</text>'
    )
    return _svg(width, height, _("Timeline of the actions"), body)
