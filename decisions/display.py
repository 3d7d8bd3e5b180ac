"""A tally as a page shows it: by partner type, with every count of people
through ``partnerships.suppression``.

Whether a count is of people depends on who voted: partners and partner
types are organisations (their counts are shown as they are); members are
people, and so is every count of a **secret** vote, whoever cast it (a type
of one partner would otherwise show that partner's secret choice). Tables of
people publish their rows (``suppress_rows``) and no column totals, so that
no hidden cell can be had by subtraction; where only totals are published
(a secret vote on the portal) they are one suppressed line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from charter.rules import Voters
from decisions.tally import CHOICES, NO_PARTNER
from partnerships.models import PartnerType
from partnerships.suppression import TOTAL, is_small, suppress_count, suppress_line, suppress_rows

CATEGORIES = [c.value for c in CHOICES]


@dataclass
class Row:
    partner_type: str
    counts: dict[str, int | None]
    total: int | None
    electorate: int | None

    @property
    def label(self) -> str:
        return type_label(self.partner_type)


@dataclass
class TallyView:
    people: bool  # counts of people: the template shows them with ``|people``
    rows: list[Row] = field(default_factory=list)
    # Whole-vote totals (by choice, and TOTAL); empty where a table of people
    # publishes its rows instead.
    totals: dict[str, int | None] = field(default_factory=dict)
    result: str = ""
    quorum_met: bool | None = None
    objections: list[str] = field(default_factory=list)
    objections_withheld: bool = False


def type_label(partner_type: str) -> str:
    if partner_type == NO_PARTNER:
        from django.utils.translation import gettext as _

        return _("Members who represent no partner")
    try:
        return str(PartnerType(partner_type).label)
    except ValueError:
        return partner_type


def counts_people(voters: str, secret: bool) -> bool:
    return secret or voters == Voters.MEMBERS


def view(
    data: dict[str, Any], *, voters: str, secret: bool, totals_only: bool = False
) -> TallyView:
    """``data``: ``Outcome.as_data()`` (stored at the close, or running)."""
    people = counts_people(voters, secret)
    shown = TallyView(
        people=people,
        result=str(data.get("result", "")),
        quorum_met=data.get("quorum_met"),
        objections=list(data.get("objections", [])),
    )
    if secret and is_small(len(shown.objections)):
        # A handful of reasons would count the objectors of a secret vote.
        shown.objections = []
        shown.objections_withheld = True
    by_type = data.get("by_type", [])
    if totals_only or not people:
        line = {c: sum(int(r.get(c, 0)) for r in by_type) for c in CATEGORIES}
        if people:
            shown.totals = suppress_line(line)
        else:
            shown.totals = {**line, TOTAL: sum(line.values())}
        if totals_only:
            return shown
    if people:
        table = suppress_rows(
            {r["partner_type"]: {c: int(r.get(c, 0)) for c in CATEGORIES} for r in by_type},
            CATEGORIES,
        )
        for r in by_type:
            cells = table[r["partner_type"]]
            electorate = int(r.get("electorate", 0))
            shown.rows.append(
                Row(
                    r["partner_type"],
                    {c: cells.get(c) for c in CATEGORIES},
                    cells.get(TOTAL),
                    suppress_count(electorate),
                )
            )
    else:
        for r in by_type:
            counts: dict[str, int | None] = {c: int(r.get(c, 0)) for c in CATEGORIES}
            shown.rows.append(
                Row(
                    r["partner_type"],
                    counts,
                    sum(v or 0 for v in counts.values()),
                    int(r.get("electorate", 0)),
                )
            )
    return shown


# A closed vote's tally never changes, and suppressing it (an LP audit for a
# table of people) costs tens of milliseconds: the close stores what the pages
# show, inside and in public, with the result (``with_shown``), and the pages
# read it back (``stored``). Labels are not stored: they follow the reader.


def _as_data(shown: TallyView) -> dict[str, Any]:
    return {
        "people": shown.people,
        "rows": [
            {
                "partner_type": r.partner_type,
                "counts": r.counts,
                "total": r.total,
                "electorate": r.electorate,
            }
            for r in shown.rows
        ],
        "totals": shown.totals,
        "result": shown.result,
        "quorum_met": shown.quorum_met,
        "objections": shown.objections,
        "objections_withheld": shown.objections_withheld,
    }


def _from_data(data: dict[str, Any]) -> TallyView:
    return TallyView(
        people=bool(data["people"]),
        rows=[
            Row(r["partner_type"], r["counts"], r["total"], r["electorate"]) for r in data["rows"]
        ],
        totals=data["totals"],
        result=data["result"],
        quorum_met=data["quorum_met"],
        objections=list(data["objections"]),
        objections_withheld=bool(data["objections_withheld"]),
    )


def with_shown(
    data: dict[str, Any], *, voters: str, secret: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``Outcome.as_data()`` with what the members' pages show of it, and
    what the portal shows of it (``Decision.result``, ``Decision.public_tally``)."""
    inside = dict(data)
    inside["shown"] = _as_data(view(data, voters=voters, secret=secret))
    public = _as_data(view(data, voters=voters, secret=secret, totals_only=secret))
    return inside, public


def stored(data: dict[str, Any], *, voters: str, secret: bool) -> TallyView:
    """A closed vote's tally as the members' pages show it."""
    shown = data.get("shown")
    if shown:
        return _from_data(shown)
    return view(data, voters=voters, secret=secret)


def stored_public(data: dict[str, Any]) -> TallyView:
    """A closed vote's tally as the portal shows it."""
    return _from_data(data)
