"""What an analysis publishes: every number about voters that leaves the room
(pages, the API, the stepper), suppressed once, when the analysis is stored.

The engine's own output (``Analysis.data["engine"]``) keeps exact counts for
the engine's next run and for routing; nothing shows it. What is shown is
built here from the same published votes, through ``partnerships.suppression``
like every other count of people:

- **Each statement's counts** (agree, disagree, pass and their total) are a
  line (``suppress_line``): a count of 1–4 is hidden, and what would give it
  away. The conversation's number of votes is their sum, shown only when
  every statement's total is.
- **Participants** are a line too: each group's size, the people not placed
  in a group, and everyone. A group's size is what its make-up adds up to, so
  sizes come first: if the line would hide a group's size only to protect the
  "not placed" count, the total and that count are hidden instead.
- **A group's make-up** by partner type and by segment is a table whose row
  totals (group sizes) are published and whose column totals (the
  conversation's voters per partner type or segment) are published nowhere:
  ``suppress_rows`` hides only the small cells and their complements.
- **Per-group counts of a statement** (behind every share of a group: what
  sets a group apart, the bridging statements) are a family of their own
  (groups plus "not placed" by agree / disagree / pass, with the statement's
  counts as margins), suppressed with ``suppress``. A statement whose group
  counts are published shows only the statement counts that both it and the
  statement's own line publish: fewer numbers, never more.
- **Shares** are published only where both counts they divide are.
- **Bridging** (the rule the page states): a statement bridges the groups
  when more than half of those in *every* group who voted on it agree,
  counted on published counts only. With one group, or too few votes to
  form groups, nothing bridges.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from commonground.models import AnalysisState, Participant
from partnerships.suppression import (
    TOTAL,
    suppress,
    suppress_count,
    suppress_line,
    suppress_rows,
)

BRIDGING_SHOWN = 10
REPRESENTATIVE_SHOWN = 5
NOT_STATED = "-"
NOT_PLACED = "-"
CHOICES = ("agree", "disagree", "pass")
# How many statements, best first, are tried for the bridging list: each
# costs one small suppression (with its LP audit).
BRIDGING_TRIED = 3 * BRIDGING_SHOWN

Counts = tuple[int, int, int]  # agree, disagree, pass
Line = dict[str, int | None]


def publish(
    *,
    result: Any,
    groups: Mapping[int, int],
    counts: Mapping[int, Counts],
    state: str,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The published numbers of one analysis, and its bridging statements.

    ``result``: the engine's analysis; ``groups``: participant id → group;
    ``counts``: each statement's published votes (agree, disagree, pass)."""
    lines = {pk: suppress_line(dict(zip(CHOICES, c, strict=True))) for pk, c in counts.items()}
    published: dict[str, Any] = {"groups": [], "consensus": [], "not_placed": None}
    bridging: list[dict[str, Any]] = []
    by_group: dict[int, dict[str, Line]] = {}
    if state == AnalysisState.TOO_FEW:
        published["participants"] = suppress_count(result.participants)
    else:
        sizes, published["participants"], published["not_placed"] = _sizes(result)
        if state == AnalysisState.GROUPS:
            published["groups"] = _groups(result, groups, sizes, counts, by_group)
            bridging = _bridging(result, counts, by_group)
        for item in result.consensus:
            pk = int(item.statement)
            line = _final(lines, by_group, pk)
            published["consensus"].append(
                {"statement": pk, "side": item.side, "share": _share(line, item.side, TOTAL)}
            )
    statements = {str(pk): _final(lines, by_group, pk) for pk in counts}
    published["statements"] = statements
    totals = [line[TOTAL] for line in statements.values()]
    published["votes"] = None if None in totals else sum(t or 0 for t in totals)
    return published, bridging


def _sizes(result: Any) -> tuple[list[int | None], int | None, int | None]:
    """Each group's size, everyone, and the people not placed in a group."""
    raw = [sum(1 for g in result.groups.values() if g == i) for i in range(result.group_count)]
    not_placed = result.participants - sum(raw)
    line = suppress_line({**{str(i): n for i, n in enumerate(raw)}, NOT_PLACED: not_placed})
    alone = [suppress_count(n) for n in raw]
    if any(line[str(i)] is None and alone[i] is not None for i in range(len(raw))):
        # The line would hide a group's size to protect the "not placed"
        # count: hide that count and the total instead (then nothing adds up
        # to a published number, and each size is a lone count).
        return alone, None, None
    return [line[str(i)] for i in range(len(raw))], line[TOTAL], line[NOT_PLACED]


def _share(line: Mapping[str, int | None], side: str, of: str) -> float | None:
    count, total = line.get(side), line.get(of)
    if count is None or not total:
        return None
    return count / total


def _family(
    pk: int, result: Any, counts: Mapping[int, Counts], by_group: dict[int, dict[str, Line]]
) -> dict[str, Line]:
    """The statement's votes by group (and "not placed"), suppressed as one
    family with the statement's counts as its margins: group → line, and
    ``TOTAL`` → the statement's own counts as this family shows them."""
    if pk in by_group:
        return by_group[pk]
    rows: dict[tuple[str, ...], dict[str, int]] = {}
    placed = [0, 0, 0]
    for index, group in enumerate(result.per_group_counts.get(pk, ())):
        rows[(str(index),)] = {
            "agree": group.agrees,
            "disagree": group.disagrees,
            "pass": group.passes,
        }
        placed = [placed[0] + group.agrees, placed[1] + group.disagrees, placed[2] + group.passes]
    whole = counts.get(pk, (0, 0, 0))
    rows[(NOT_PLACED,)] = {c: max(w - p, 0) for c, w, p in zip(CHOICES, whole, placed, strict=True)}
    publication = suppress(rows, ["group"], CHOICES, max_by=1)
    found: dict[str, Line] = {}
    for key, table in ((None, publication.tables[()]), ("rows", publication.tables[(0,)])):
        for group, total in table.totals.items():
            name = TOTAL if key is None else group[0]
            line: Line = {c: table.cells.get((group, c), 0) for c in CHOICES}
            line[TOTAL] = total
            found[name] = line
    by_group[pk] = found
    return found


def _final(lines: Mapping[int, Line], by_group: Mapping[int, dict[str, Line]], pk: int) -> Line:
    """A statement's counts as shown: its line, less whatever its group
    family hides (published by both, or not at all)."""
    line = dict(lines.get(pk, dict.fromkeys((*CHOICES, TOTAL), 0)))
    family = by_group.get(pk, {}).get(TOTAL)
    if family is not None:
        for key in line:
            if family.get(key, 0) is None:
                line[key] = None
    return line


def _groups(
    result: Any,
    groups: Mapping[int, int],
    sizes: list[int | None],
    counts: Mapping[int, Counts],
    by_group: dict[int, dict[str, Line]],
) -> list[dict[str, Any]]:
    """Each group's size, make-up and what sets it apart."""
    hidden = [str(i) for i, size in enumerate(sizes) if size is None]
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    by_segment: dict[str, Counter[str]] = defaultdict(Counter)
    people = Participant.objects.filter(pk__in=list(groups)).values_list(
        "pk", "partner_type", "segment_id"
    )
    for pk, partner_type, segment_id in people:
        group = str(groups[pk])
        by_type[group][partner_type or NOT_STATED] += 1
        by_segment[group][str(segment_id) if segment_id else NOT_STATED] += 1
    made: dict[str, dict[str, dict[str, int | None]]] = {}
    for name, finest in (("partner_type", by_type), ("segment", by_segment)):
        categories = sorted({c for row in finest.values() for c in row})
        shown = suppress_rows(
            {g: dict(c) for g, c in finest.items()}, categories, hidden_rows=hidden
        )
        made[name] = {
            g: {c: n for c, n in line.items() if c != TOTAL and n != 0} for g, line in shown.items()
        }
    found = []
    for index, size in enumerate(sizes):
        key = str(index)
        representative = []
        for item in result.representative.get(index, [])[:REPRESENTATIVE_SHOWN]:
            pk = int(item.statement)
            line = _family(pk, result, counts, by_group).get(key, {})
            representative.append(
                {"statement": pk, "side": item.side, "share": _share(line, item.side, TOTAL)}
            )
        found.append(
            {
                "size": size,
                "partner_type": made["partner_type"].get(key, {}) if size is not None else {},
                "segment": made["segment"].get(key, {}) if size is not None else {},
                "representative": representative,
            }
        )
    return found


def _bridging(
    result: Any, counts: Mapping[int, Counts], by_group: dict[int, dict[str, Line]]
) -> list[dict[str, Any]]:
    """Statements with majority agreement in every group, on published
    counts, best first (by group-aware consensus)."""
    ranked = sorted(result.group_aware_consensus.items(), key=lambda kv: (-kv[1], str(kv[0])))
    found: list[dict[str, Any]] = []
    tried = 0
    for statement, score in ranked:
        per_group = result.per_group_counts.get(statement, ())
        # On exact counts first: a statement that fails there fails on
        # published counts too (they are the same numbers, or hidden).
        if not per_group or any(2 * g.agrees <= g.seen for g in per_group):
            continue
        if tried >= BRIDGING_TRIED or len(found) >= BRIDGING_SHOWN:
            break
        tried += 1
        pk = int(statement)
        family = _family(pk, result, counts, by_group)
        shares = [_share(family.get(str(i), {}), "agree", TOTAL) for i in range(len(per_group))]
        if all(share is not None and share > 0.5 for share in shares):
            found.append({"statement": pk, "score": score, "agree": shares})
    return found
