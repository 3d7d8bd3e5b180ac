"""A meeting's attendance as counts: where they come from, when they contradict
the named attendees, and how they are shown.

The counts of a meeting are one *tally*: a total and, for each of four
dimensions (partner type, gender, age band, segment), the count of each code.
It comes from the counts at the door (``Meeting.headcount``) when a
facilitator took them, else from the named attendees (``Attendance``).

**Shown beyond the facilitators**, every number goes through
``partnerships.suppression``, the one function:

- the total is a lone count (``suppress_count``): 1–4 is hidden;
- each dimension is one *line* of mutually exclusive counts of the same
  people with that total (``suppress_line``), the people whose code is not
  known being a category of their own ("not stated"), so that the line adds
  up and no hidden count can come back as the total minus the others.

Lines of different dimensions share only their total: any split by gender is
compatible with any split by age band of the same people, so a cell hidden in
one line cannot be pinned down from another (see docs/meetings.md). A total is
hidden exactly when every line hides it, so the four lines and the lone total
agree. Counts across meetings are never added up on a page: each meeting is
its own set of people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partnerships.models import Partnership, PartnerType
from partnerships.suppression import TOTAL, suppress_count, suppress_line

UNSTATED = "_unstated"
DIMENSIONS: tuple[str, ...] = ("partner_type", "gender", "age_band", "segment")
DIMENSION_LABELS = {
    "partner_type": gettext_lazy("By partner type"),
    "gender": gettext_lazy("By gender"),
    "age_band": gettext_lazy("By age band"),
    "segment": gettext_lazy("By segment"),
}
UNSTATED_LABEL = pgettext_lazy("attendance", "Not stated")
# The most people one meeting's counts may hold: a large assembly, not a typo.
MAX_PEOPLE = 100_000


@dataclass
class Tally:
    total: int = 0
    by: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {TOTAL: self.total, **{d: dict(self.by.get(d, {})) for d in DIMENSIONS}}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Tally:
        by = {d: {str(k): int(v) for k, v in (data.get(d) or {}).items()} for d in DIMENSIONS}
        return cls(total=int(data.get(TOTAL) or 0), by=by)


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    count: int | None  # None: hidden by suppression


@dataclass(frozen=True)
class Line:
    dimension: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Shown:
    """A tally as one viewer may see it; ``exact`` for the facilitators."""

    total: int | None
    lines: tuple[Line, ...]
    exact: bool
    counted_at_door: bool


def named_tally(rows: Iterable[Mapping[str, Any]]) -> Tally:
    """The tally of named attendees: rows with ``partner_type``, ``gender``,
    ``age_band`` and ``segment`` (a segment's code), blank when not known."""
    tally = Tally(by={d: {} for d in DIMENSIONS})
    for row in rows:
        tally.total += 1
        for d in DIMENSIONS:
            code = str(row.get(d) or "")
            if code:
                tally.by[d][code] = tally.by[d].get(code, 0) + 1
    return tally


def contradictions(counted: Tally, named: Tally) -> list[tuple[str, str]]:
    """Why the counts at the door cannot be true, as (field, message) pairs:
    fewer people than are named, a dimension adding up to more than the
    total, or, in a dimension the counts break down at all, fewer people of
    a code than the named attendees of it. The counts at the door include
    the named attendees."""
    found: list[tuple[str, str]] = []
    if counted.total < named.total:
        found.append(
            (
                "total",
                _(
                    "The counts say %(total)s people were present, but %(named)s attendees "
                    "are named: count everyone present, named or not."
                )
                % {"total": counted.total, "named": named.total},
            )
        )
    for d in DIMENSIONS:
        stated = sum(counted.by.get(d, {}).values())
        if stated > counted.total:
            found.append(
                (
                    d,
                    _(
                        "%(dimension)s: the counts add up to %(sum)s, more than the "
                        "%(total)s people present."
                    )
                    % {"dimension": DIMENSION_LABELS[d], "sum": stated, "total": counted.total},
                )
            )
        if not counted.by.get(d):
            continue  # not broken down by this dimension: nothing to contradict
        for code, named_n in sorted(named.by.get(d, {}).items()):
            counted_n = counted.by.get(d, {}).get(code, 0)
            if counted_n < named_n:
                found.append(
                    (
                        d,
                        _(
                            "%(dimension)s: the counts say %(counted)s for “%(code)s”, but "
                            "%(named)s named attendees are of it."
                        )
                        % {
                            "dimension": DIMENSION_LABELS[d],
                            "counted": counted_n,
                            "code": code,
                            "named": named_n,
                        },
                    )
                )
    return found


def labels_of(partnership: Partnership) -> dict[str, dict[str, str]]:
    """Each dimension's codes with their names, in the order a page lists
    them (three queries)."""
    from baseline.models import AgeBand, GenderOption
    from stakeholders.models import Segment

    return {
        "partner_type": {c: str(label) for c, label in PartnerType.choices},
        "gender": {g.code: g.label for g in GenderOption.objects.filter(partnership=partnership)},
        "age_band": {b.code: b.label for b in AgeBand.objects.filter(partnership=partnership)},
        "segment": {s.code: s.label for s in Segment.objects.filter(partnership=partnership)},
    }


def show(
    tally: Tally,
    labels: Mapping[str, Mapping[str, str]],
    *,
    exact: bool,
    counted_at_door: bool = False,
) -> Shown:
    """The tally as a viewer sees it: exact for the facilitators (``exact``),
    otherwise through suppression (see the module's docstring). Codes of a
    dimension with nobody are shown as zero only when exact (a zero for every
    code would say nothing); the unknown rest is "not stated"."""
    lines = []
    for d in DIMENSIONS:
        counts = {c: n for c, n in tally.by.get(d, {}).items() if n > 0}
        unstated = tally.total - sum(counts.values())
        line: dict[str, int] = dict(counts)
        if unstated > 0:
            line[UNSTATED] = unstated
        if exact:
            shown: dict[str, int | None] = dict(line)
        else:
            shown = suppress_line(line)
            shown.pop(TOTAL, None)
        names = labels.get(d, {})
        order = [c for c in names if c in shown] + sorted(
            c for c in shown if c not in names and c != UNSTATED
        )
        if UNSTATED in shown:
            order.append(UNSTATED)
        cells = tuple(
            Cell(
                code,
                str(UNSTATED_LABEL) if code == UNSTATED else names.get(code, code),
                shown[code],
            )
            for code in order
        )
        if cells:
            lines.append(Line(d, str(DIMENSION_LABELS[d]), cells))
    total = tally.total if exact else suppress_count(tally.total)
    return Shown(total=total, lines=tuple(lines), exact=exact, counted_at_door=counted_at_door)


def parse_counts(
    data: Mapping[str, Any], known: Mapping[str, Iterable[str]]
) -> tuple[Tally, list[tuple[str, str]]]:
    """Counts typed in a form or sent to a service: ``{"total": n, "gender":
    {code: n}, …}``. Returns the tally and the problems (field, message):
    a count that is not a whole number from 0 to ``MAX_PEOPLE``, or a code
    the partnership does not have."""
    problems: list[tuple[str, str]] = []

    def number(raw: Any, where: str) -> int:
        try:
            value = int(str(raw).strip() or 0) if not isinstance(raw, int) else raw
        except (TypeError, ValueError):
            problems.append((where, _("A count is a whole number.")))
            return 0
        if isinstance(raw, bool) or not 0 <= value <= MAX_PEOPLE:
            problems.append(
                (where, _("A count is a whole number from 0 to %(max)s.") % {"max": MAX_PEOPLE})
            )
            return 0
        return value

    tally = Tally(total=number(data.get(TOTAL, 0), "total"), by={d: {} for d in DIMENSIONS})
    for d in DIMENSIONS:
        given = data.get(d) or {}
        if not isinstance(given, Mapping):
            problems.append((d, _("Give the counts of each code.")))
            continue
        codes = set(known.get(d, ()))
        for code, raw in given.items():
            if str(code) not in codes:
                problems.append(
                    (d, _("“%(code)s” is not one of this partnership's codes.") % {"code": code})
                )
                continue
            n = number(raw, d)
            if n:
                tally.by[d][str(code)] = n
    return tally, problems
