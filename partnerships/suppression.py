"""Small-cell suppression: the one function every page, export, API answer and
the portal use before they show a count of people (see docs/suppression.md).

The unit is the *family* of tables a viewer could ask for, not one table: the
microdata (respondents, each with a few attributes and one answer category)
are cross-tabulated by every subset of at most ``max_by`` attributes, each
table with its group totals. A coarser table's cells are margins of every finer
one, so hiding a cell in one table but publishing it by subtraction in another
would be no protection at all. ``suppress`` decides the pattern for the whole
family at once, so every table of it can be shown in any order, to anyone,
without one revealing what another hides:

1. primary: a cell counting 1–4 people is hidden; a group (row) of fewer than
   ``MIN_CELL`` people is hidden whole, its total and all its cells;
2. complementary: every *line* — the cells that add up to a published number,
   a group's categories to its total, or a table's groups along one attribute
   to the coarser table's cell — whose hidden cells add up to 1–4 would reveal
   that sum by subtraction, so the smallest published non-zero cell of the
   line is hidden too (or, if none is left, the line's total), until nothing
   changes;
3. audit: the remaining inferences are not along one line but across several
   (a hidden cell pinned down by a chain of lines). ``audit`` solves, for each
   hidden cell, two linear programmes (its least and greatest value under all
   published numbers) and hides more until no small cell is exact. It runs
   when the family is small enough to solve quickly (``AUDIT_LIMIT``); above,
   the line rules stand alone — see the doc for what that leaves.

No published number is ever 1–4: primary suppression removes them, and a total
is only hidden, never altered. Zero cells are published as zero: a zero says
that nobody is in a cell, which identifies no one.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

MIN_CELL: int = int(getattr(settings, "HSBP_MIN_CELL", 5))
MAX_BY = 3  # at most this many attributes in one disaggregation
AUDIT_LIMIT = 600  # unknowns (value combinations × categories) above which no LP audit

Group = tuple[str, ...]  # the values of a table's attributes, in the table's order
Subset = tuple[int, ...]  # indices of the attributes of a table, ascending
# A cell: (table, group, category); category None is the group's total.
Cell = tuple[Subset, Group, str | None]
Finest = Mapping[Group, Mapping[str, int]]


def is_small(count: int) -> bool:
    return 0 < count < MIN_CELL


class Refused(Exception):
    """A request that would show one person (or a handful): refused, with a message."""


def subsets(variables: int, max_by: int = MAX_BY) -> list[Subset]:
    """Every table of the family: each subset of at most ``max_by`` attributes."""
    found: list[Subset] = []
    for size in range(min(max_by, variables) + 1):
        found.extend(itertools.combinations(range(variables), size))
    return found


@dataclass
class Table:
    """One table of the family as it may be shown: counts, or ``None`` where hidden."""

    variables: Subset
    totals: dict[Group, int | None] = field(default_factory=dict)
    cells: dict[tuple[Group, str], int | None] = field(default_factory=dict)
    raw_totals: dict[Group, int] = field(default_factory=dict)
    raw_cells: dict[tuple[Group, str], int] = field(default_factory=dict)

    def group_hidden(self, group: Group) -> bool:
        return self.totals.get(group, 0) is None


@dataclass
class Publication:
    """The suppressed family: ``tables[subset]``, and the set of hidden cells."""

    variables: tuple[str, ...]
    categories: tuple[str, ...]
    subsets: list[Subset]
    hidden: set[Cell]
    audited: bool
    structure: _Structure
    # By cell id of ``structure.net``: the counts and the hidden marks. Kept
    # here because the net is shared by every family of the same groups (its
    # own ``values`` are the last family's), so that callers can read a whole
    # table as array slices instead of through the dicts of ``tables``.
    values: Any
    mask: Any
    # Whether the pattern was completed from the last publication's (``last``)
    # rather than searched from the primaries alone.
    warm: bool = False
    _tables: dict[Subset, Table] | None = field(default=None, repr=False, compare=False)

    @property
    def tables(self) -> dict[Subset, Table]:
        """Every table of the family by subset, made on first use: a refresh
        reads the arrays (``blocks``), and making these dicts for each of its
        families took about a second."""
        if self._tables is None:
            self._tables = _tables(
                self.subsets, self.structure.net.cells, self.values, self.mask, self.categories
            )
        return self._tables

    def blocks(self) -> Iterable[tuple[Subset, list[Group], Any, Any]]:
        """Each table, in ``tables`` order: its groups (sorted) and, by group,
        the counts and hidden marks of its total then its categories (rows of
        two arrays, in ``categories`` order)."""
        structure = self.structure
        step = structure.width + 1
        cells = structure.net.cells
        for subset, (base, _projection, count) in zip(
            self.subsets, structure.projections, strict=True
        ):
            end = base + count * step
            groups = [cells[base + k * step][1] for k in range(count)]
            yield (
                subset,
                groups,
                self.values[base:end].reshape(count, step),
                self.mask[base:end].reshape(count, step),
            )

    def last(self) -> dict[Cell, int]:
        """The hidden cells and their counts: what ``suppress(last=...)``
        starts from at the next publication."""
        import numpy as np

        cells = self.structure.net.cells
        categories = self.categories
        return {
            _named(cells[i], categories): int(self.values[i])
            for i in np.nonzero(self.mask)[0].tolist()
        }

    def table(self, names: Sequence[str]) -> Table:
        return self.tables[subset_of(self.variables, names)]

    def add_up(self, values: Mapping[Group, float]) -> dict[Subset, dict[Group, float]]:
        """A number per finest group (a sum of answers) added up to every
        table's groups, with the family's projections (one pass per table in
        numpy, not a Python loop over every finest group for every table)."""
        import numpy as np

        structure = self.structure
        vector = np.array([float(values.get(g, 0.0)) for g in structure.groups])
        found: dict[Subset, dict[Group, float]] = {}
        step = structure.width + 1
        for subset, (base, projection, count) in zip(
            self.subsets, structure.projections, strict=True
        ):
            added = np.bincount(projection, weights=vector, minlength=count).tolist()
            cells = structure.net.cells
            found[subset] = {cells[base + k * step][1]: v for k, v in enumerate(added)}
        return found


def subset_of(variables: Sequence[str], names: Sequence[str]) -> Subset:
    """The table for these attribute names; more than ``MAX_BY``, or unknown, is refused."""
    if len(set(names)) != len(names):
        raise Refused("Each variable may be chosen once.")
    if len(names) > MAX_BY:
        raise Refused(f"At most {MAX_BY} variables at once.")
    try:
        return tuple(sorted(variables.index(n) for n in names))
    except ValueError as exc:
        raise Refused("Unknown variable.") from exc


def _project(group: Group, subset: Subset) -> Group:
    return tuple(group[i] for i in subset)


def _counts(finest: Finest, subset_list: Iterable[Subset]) -> dict[Cell, int]:
    """Every non-zero cell of the family, by summing the finest cells."""
    counts: dict[Cell, int] = defaultdict(int)
    for group, by_category in finest.items():
        total = sum(by_category.values())
        if not total:
            continue
        for subset in subset_list:
            g = _project(group, subset)
            counts[(subset, g, None)] += total
            for category, n in by_category.items():
                if n:
                    counts[(subset, g, category)] += n
    return dict(counts)


Line = tuple[Cell, tuple[Cell, ...]]  # (total, the cells that add up to it)


def suppress(
    finest: Finest,
    variables: Sequence[str],
    categories: Sequence[str],
    *,
    max_by: int = MAX_BY,
    hidden_groups: set[Cell] | None = None,
    previous: Iterable[Cell] = (),
    last: Mapping[Cell, int] | None = None,
    audit: bool | None = None,
    prepared: Counts | None = None,
) -> Publication:
    """Suppress the family of tables of ``finest`` (finest group → category →
    people) by every subset of at most ``max_by`` of ``variables``.

    Every respondent is in exactly one category (use a "no answer" category),
    so a group's categories add up to its total. ``hidden_groups``: group totals
    to hide from the start (the pattern of another question on the same people,
    so that group totals are hidden alike everywhere).

    ``previous``: the cells the family's last publication hid. They are hidden
    again from the start, and only what the new counts require is added (new
    primaries, and the complements that make the pattern hold again): when
    the last pattern still holds, one closure confirms it, instead of the
    dozens a search from the primaries alone takes. The result obeys the
    same rules, and the audit where it applies; it may hide more than a
    search from scratch would, and never lets a cell out of hiding (see
    docs/suppression.md, "Reusing the last pattern").

    ``last``: the cells the family's last publication hid, each with the
    count it had then. A warm start that lets cells out of hiding: the last
    pattern is kept except where the reason for a hidden cell is gone (it
    was 1–4 and is not now, or it is a group total no rule hides now) and
    the hidden cells on the lines through those (``WARM_HOPS``), then
    completed to the fixed point as from scratch. The result is checked
    with the line rules of ``problems`` (``_complement``); one that fails them
    is replaced by a search from scratch.

    ``prepared``: ``counts_of(finest, categories)``, if the caller made it
    already (the refresh digests it before it suppresses)."""
    import numpy as np

    subset_list = subsets(len(variables), max_by)
    counted = prepared if prepared is not None else counts_of(finest, categories)
    categories = counted.categories
    structure = _structure(counted.groups, len(categories), tuple(subset_list))
    net = structure.net
    net.values = structure.values_of(counted.matrix)
    h = (net.values > 0) & (net.values < MIN_CELL)  # primary suppression
    for cell in hidden_groups or ():
        if cell in net.index:
            h[net.index[cell]] = True
    position = {c: j for j, c in enumerate(categories)}
    _hide_groups(h, net)
    required = h.copy()  # what the counts and the shared group totals hide by themselves
    warm = last is not None
    if warm:
        h = _warm(h, net, last or {}, position)
    for subset, group, category in previous:
        # A cell of a group or category no longer present has nothing to hide.
        i = net.index.get((subset, group, None if category is None else position.get(category)))
        if i is not None and (category is None or category in position):
            h[i] = True
    _hide_groups(h, net)
    holds = _complement(h, net)
    if warm and not holds:
        # The warm start did not reach a pattern that holds (a line no
        # published cell can break, the rules of ``problems``): search from
        # the primaries alone.
        warm = False
        h = required
        _complement(h, net)
    audited = _audits(finest, categories, audit)
    if audited:
        names = [_named(c, categories) for c in net.cells]
        counts = {name: int(v) for name, v in zip(names, net.values.tolist(), strict=True)}
        lines = [
            (names[t], tuple(names[c] for c in _children(net, i)))
            for i, t in enumerate(net.totals.tolist())
        ]
        named_index = {name: i for i, name in enumerate(names)}
        while True:
            hidden = {names[i] for i in np.nonzero(h)[0].tolist()}
            exposed = audit_exposed(finest, subset_list, counts, hidden)
            widened = {_widen(cell, counts, hidden, lines) for cell in exposed} - {None}
            fresh = [named_index[c] for c in widened if c is not None and not h[named_index[c]]]
            if not fresh:
                break  # nothing exposed, or only the grand total is left (it pins nothing)
            h[fresh] = True
            _hide_groups(h, net)
            _complement(h, net)
    hidden_cells = {_named(net.cells[i], categories) for i in np.nonzero(h)[0].tolist()}
    return Publication(
        variables=tuple(variables),
        categories=tuple(categories),
        subsets=subset_list,
        hidden=hidden_cells,
        audited=audited,
        structure=structure,
        values=net.values,
        mask=h,
        warm=warm,
    )


WARM_LINE = 5  # lines with at most this many hidden cells are re-searched around a released cell
WARM_HOPS = 1  # how far from a cell let out of hiding the last pattern is re-searched


def _audits(finest: Finest, categories: Sequence[str], audit: bool | None) -> bool:
    """Whether the LP audit runs on this family (``audit``, else by its size)."""
    if audit is not None:
        return audit
    if len(finest) * max(len(categories), 1) > AUDIT_LIMIT:
        # Every finest group is one combination of the values seen: the
        # space is at least this large, no need to count the values (a
        # second per refresh at 12,000 combinations).
        return False
    return _space_size(finest, categories) <= AUDIT_LIMIT


def _warm(h: Any, net: _Net, last: Mapping[Cell, int], position: Mapping[str, int]) -> Any:
    """The last pattern as a starting point, minus every hidden cell whose
    reason may be gone: a cell that was 1–4 then and is not now (grown past
    the threshold, or emptied), a group total that no rule hides now (the
    group grew to 5 or more, or no other measure hides it any more) with its
    group's cells, and, ``WARM_HOPS`` times, the hidden cells of every line
    through one of those (the complements that may have been hidden to
    protect it). What the counts require now (``h``) is never let out."""
    import numpy as np

    size = len(net.cells)
    old = np.zeros(size, dtype=bool)
    was = np.zeros(size, dtype=np.int64)
    for (subset, group, category), value in last.items():
        if category is not None and category not in position:
            continue  # a category no longer present has nothing to hide
        i = net.index.get((subset, group, None if category is None else position[category]))
        if i is not None:
            old[i] = True
            was[i] = value
    free = old & ~h  # hidden last time, not required now
    released = free & (((was > 0) & (was < MIN_CELL)) | net.is_total)
    released |= free & released[net.owner]
    # Lines with few hidden cells: where a complement protected a cell (a
    # long line with many hidden cells was no one cell's reason).
    if len(net.flat):
        few = np.add.reduceat(old[net.flat].astype(np.int64), net.offsets) + old[net.totals]
        few = few <= WARM_LINE
    else:
        few = np.zeros(0, dtype=bool)
    for _ in range(WARM_HOPS):
        lines = _lines_through(net, released) & few
        near = np.zeros(size, dtype=bool)
        near[net.flat[lines[net.line_of_flat]]] = True
        near[net.totals[lines]] = True
        released |= free & near
    return h | (old & ~released)


def _leaking_lines(known: Any, net: _Net) -> Any:
    """Mask by line id: a known total whose unknown cells add up to 1–4."""
    import numpy as np

    if not len(net.totals):
        return np.zeros(0, dtype=bool)
    residual = np.add.reduceat(np.where(known[net.flat], 0, net.values[net.flat]), net.offsets)
    residual[net.lengths == 0] = 0
    return known[net.totals] & (residual > 0) & (residual < MIN_CELL)


def problems(
    finest: Finest,
    variables: Sequence[str],
    categories: Sequence[str],
    hidden: set[Cell],
    *,
    max_by: int = MAX_BY,
    audit: bool | None = None,
) -> list[str]:
    """Whether a pattern (``hidden``, as ``Publication.hidden`` names cells)
    obeys the rules ``suppress`` enforces, however it was found: every cell
    of 1–4 hidden, a hidden group hidden whole, no line whose hidden cells
    add up to 1–4 and no small cell worked out by peeling, and where the
    family is small enough (or ``audit``) the LP audit. Empty: it holds."""
    import numpy as np

    subset_list = subsets(len(variables), max_by)
    counted = counts_of(finest, categories)
    categories = counted.categories
    structure = _structure(counted.groups, len(categories), tuple(subset_list))
    net = structure.net
    net.values = structure.values_of(counted.matrix)
    names = [_named(c, categories) for c in net.cells]
    h = np.array([name in hidden for name in names], dtype=bool)
    small = (net.values > 0) & (net.values < MIN_CELL)
    found = [f"published 1-4: {names[i]}" for i in np.nonzero(small & ~h)[0].tolist()]
    found += [f"group not hidden whole: {names[i]}" for i in np.nonzero(h[net.owner] & ~h)[0]]
    known, _ = _closure(h, net)
    found += [f"worked out: {names[i]}" for i in np.nonzero(h & known & small)[0].tolist()]
    for line in np.nonzero(_leaking_lines(known, net))[0].tolist():
        found.append(f"line leaks: {names[int(net.totals[line])]}")
    if _audits(finest, categories, audit):
        counts = {name: int(v) for name, v in zip(names, net.values.tolist(), strict=True)}
        found += [f"pinned: {c}" for c in audit_exposed(finest, subset_list, counts, hidden)]
    return found


@dataclass
class Counts:
    """A family's counts as ``suppress`` reads them: the finest groups with
    anyone in them (sorted), the categories (the given ones, then any other
    seen), and people by group (rows) and category."""

    groups: tuple[Group, ...]
    categories: list[str]
    matrix: Any


def counts_of(finest: Finest, categories: Sequence[str]) -> Counts:
    categories = list(categories) + sorted(
        {c for by in finest.values() for c, n in by.items() if n and c not in categories}
    )
    groups = tuple(sorted(g for g, by in finest.items() if sum(by.values()) > 0))
    return Counts(groups, categories, _matrix(finest, groups, categories))


def _matrix(finest: Finest, groups: Sequence[Group], categories: Sequence[str]) -> Any:
    """People by finest group (rows, in ``groups`` order) and category."""
    import numpy as np

    zeros = itertools.repeat(0)
    rows = [list(map(finest[g].get, categories, zeros)) for g in groups]
    return np.array(rows, dtype=np.int64).reshape(len(groups), len(categories))


def _named(cell: tuple[Subset, Group, Any], categories: Sequence[str]) -> Cell:
    return (cell[0], cell[1], None if cell[2] is None else categories[cell[2]])


@dataclass
class _Structure:
    """The cells and lines of a family, which depend only on the groups
    present and the number of categories: built once, shared by every
    question of a questionnaire."""

    groups: list[Group]
    net: _Net
    projections: list[tuple[int, Any, int]]  # (first cell id, finest → group index, groups)
    width: int

    def values_of(self, matrix: Any) -> Any:
        import numpy as np

        values = np.zeros(len(self.net.cells), dtype=np.int64)
        width = self.width
        columns = np.arange(width, dtype=np.int64)
        weights = matrix.ravel().astype(np.float64)  # counts: exact in a float
        for base, projection, count in self.projections:
            # A bincount over (group, category) instead of np.add.at: ten times faster.
            where = (projection[:, None] * width + columns).ravel()
            table = np.bincount(where, weights=weights, minlength=count * width)
            table = table.astype(np.int64).reshape(count, width)
            block = np.concatenate((table.sum(axis=1, keepdims=True), table), axis=1)
            values[base : base + block.size] = block.ravel()
        return values


_STRUCTURES: dict[tuple[Any, ...], _Structure] = {}


def _structure(
    groups: tuple[Group, ...], width: int, subset_list: tuple[Subset, ...]
) -> _Structure:
    """The family's cells and lines, built with array operations (a Python
    loop over every cell and each of its margins took seconds per family at
    12,000 attribute combinations).

    Cell ids: the tables in ``subset_list`` order; in a table, its groups in
    sorted order; a group's total, then its ``width`` category cells. Lines
    are numbered in the order of the first cell that adds to them (then by
    margin, a total before a category), their cells in id order."""
    import numpy as np

    key = (hash(groups), len(groups), width, subset_list)
    if key in _STRUCTURES:
        return _STRUCTURES[key]
    nvars = len(groups[0]) if groups else 0
    # Each attribute's values as order-preserving codes, so that a table's
    # groups sort as their codes do.
    values: list[Any] = []
    codes = np.zeros((len(groups), nvars), dtype=np.int64)
    for i in range(nvars):
        found, inverse = np.unique(np.array([g[i] for g in groups]), return_inverse=True)
        values.append(found.tolist())
        codes[:, i] = inverse.ravel()
    sizes = [len(v) for v in values]
    cells: list[tuple[Subset, Group, int | None]] = []
    projections = []
    tables: dict[Subset, tuple[int, Any]] = {}  # first cell id, the groups' codes
    for subset in subset_list if groups else ():
        position = _ravel(codes[:, list(subset)], [sizes[i] for i in subset])
        order, projection = np.unique(position, return_inverse=True)
        projection = projection.ravel()
        first = np.zeros(len(order), dtype=np.int64)
        first[projection[::-1]] = np.arange(len(projection))[::-1]  # a finest group in each
        table_codes = codes[first][:, list(subset)]
        tables[subset] = (len(cells), table_codes)
        projections.append((len(cells), projection.astype(np.int64), len(order)))
        for row in table_codes.tolist():
            group = tuple(values[i][c] for i, c in zip(subset, row, strict=True))
            cells.append((subset, group, None))
            cells.extend((subset, group, j) for j in range(width))
    parts = _line_parts(tables, set(subset_list), sizes, width)
    net = _net(cells, width, parts)
    structure = _Structure(groups=list(groups), net=net, projections=projections, width=width)
    if len(_STRUCTURES) > 8:
        _STRUCTURES.clear()
    _STRUCTURES[key] = structure
    return structure


def _ravel(codes: Any, sizes: Sequence[int]) -> Any:
    """One integer per row of codes, ordered as the rows are lexicographically."""
    import numpy as np

    position = np.zeros(len(codes), dtype=np.int64)
    for column, size in enumerate(sizes):
        position = position * size + codes[:, column]
    return position


def _line_parts(
    tables: Mapping[Subset, tuple[int, Any]], subset_set: set[Subset], sizes: list[int], width: int
) -> list[tuple[Any, ...]]:
    """Every sum the family publishes, in batches of arrays: for each table
    and each coarser table of the family (one attribute fewer, or several,
    down to the grand total), the finer cells that add up to a coarser cell —
    by category, and over all categories to a group total. All coarser
    tables, not only the next one: hiding a margin does not stop the cells
    below it adding up to the margin above it. A group's categories add up
    to its total (the table itself as the "coarser" one).

    A batch: (total id, first child id, margin rank, kind) by line, each
    line's length, its children one line after the other."""
    import numpy as np

    step = width + 1
    parts = []
    for subset, (base, fine) in tables.items():
        rank = -1
        for size in range(len(subset) + 1):
            for kept in itertools.combinations(range(len(subset)), size):
                rank += 1
                coarser = tuple(subset[i] for i in kept)
                if coarser not in subset_set:
                    continue
                coarse_base, coarse = tables[coarser]
                keys = _ravel(coarse, [sizes[i] for i in coarser])
                mine = _ravel(fine[:, list(kept)], [sizes[subset[i]] for i in kept])
                above = np.searchsorted(keys, mine)  # the coarse group of each fine group
                order = np.argsort(above, kind="stable")
                counts = np.bincount(above, minlength=len(keys))
                starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
                lowest = order[starts]  # each coarse group's first fine group
                coarse_totals = coarse_base + np.arange(len(keys), dtype=np.int64) * step
                fine_totals = base + order.astype(np.int64) * step
                first_totals = base + lowest.astype(np.int64) * step
                ones = np.ones(len(keys), dtype=np.int64)
                if width:
                    # All categories of the groups below add up to the group's total.
                    children = (fine_totals[:, None] + 1 + np.arange(width)).ravel()
                    parts.append(
                        (
                            coarse_totals,
                            first_totals + 1,
                            rank * ones,
                            0 * ones,
                            counts * width,
                            children,
                        )
                    )
                if size == len(subset):
                    continue
                parts.append((coarse_totals, first_totals, rank * ones, ones, counts, fine_totals))
                for j in range(width):
                    parts.append(
                        (
                            coarse_totals + 1 + j,
                            first_totals + 1 + j,
                            rank * ones,
                            ones,
                            counts,
                            fine_totals + 1 + j,
                        )
                    )
    return parts


def forget_structures() -> None:
    """Drop the cached structures: they serve the measures of one refresh,
    and a worker should not hold hundreds of thousands of cells until the next."""
    _STRUCTURES.clear()


def _hide_groups(h: Any, net: _Net) -> None:
    """A hidden group total hides its group whole."""
    h |= h[net.owner]


def _space_size(finest: Finest, categories: Sequence[str]) -> int:
    """How many unknowns the audit's linear programmes have."""
    if not finest:
        return 0
    width = len(next(iter(finest)))
    values = [len({g[i] for g in finest}) for i in range(width)]
    size = max(len(categories), 1)
    for v in values:
        size *= v
    return size


@dataclass
class _Net:
    """The lines as arrays, so that what a reader can work out is computed
    for all lines at once (numpy) rather than line by line."""

    cells: list[tuple[Subset, Group, Any]]  # category: its index, or None for a total
    index: dict[tuple[Subset, Group, int | None], int]
    values: Any  # np.ndarray of counts, by cell id
    totals: Any  # the total's cell id, by line
    offsets: Any  # where each line's cells start in ``flat``
    lengths: Any
    flat: Any  # the lines' cells, one after the other
    line_of_flat: Any
    owner: Any  # by cell id: its group's total (a total: itself)
    width: int  # categories: a group total's cells are the ``width`` ids after it
    is_total: Any  # bool by cell id: a group's total
    grand: int


def _net(cells: list[Any], width: int, parts: list[tuple[Any, ...]]) -> _Net:
    """The lines of ``_line_parts`` in one set of arrays, numbered by their
    first cell (then margin, then a total before its categories)."""
    import numpy as np

    def joined(k: int) -> Any:
        return np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, dtype=np.int64)

    totals, first, rank, kind, lengths, flat = (joined(k) for k in range(6))
    order = np.lexsort((kind, rank, first))
    source = _starts(lengths)[order]
    totals, lengths = totals[order], lengths[order]
    offsets = _starts(lengths)
    flat = flat[np.repeat(source - offsets, lengths) + np.arange(int(lengths.sum()))]
    is_total = np.array([c[2] is None for c in cells], dtype=bool)
    owner = np.arange(len(cells), dtype=np.int64)
    if len(cells):
        owner = np.maximum.accumulate(np.where(is_total, owner, 0))
    index = {c: i for i, c in enumerate(cells)}
    return _Net(
        cells=cells,
        index=index,
        values=np.zeros(len(cells), dtype=np.int64),
        totals=totals.astype(np.int64),
        offsets=offsets,
        lengths=lengths.astype(np.int64),
        flat=flat.astype(np.int64),
        line_of_flat=np.repeat(np.arange(len(totals)), lengths),
        owner=owner,
        width=width,
        is_total=is_total,
        grand=index.get(_GRAND, -1),
    )


def _lines_through(net: _Net, cells: Any, *, as_total: bool = True) -> Any:
    """Mask by line id: the lines that have one of the ``cells`` (a mask by
    cell id) as a child, or as their total."""
    import numpy as np

    mask = np.add.reduceat(cells[net.flat].astype(np.int64), net.offsets) > 0
    if as_total:
        mask |= cells[net.totals]
    return mask


def _sub(net: _Net, lines: Any) -> tuple[Any, Any, Any]:
    """These lines (a mask by line id) as ids, their children one after the
    other, and each line's length."""
    import numpy as np

    return np.nonzero(lines)[0], net.flat[lines[net.line_of_flat]], net.lengths[lines]


def _complement(h: Any, net: _Net) -> bool:
    """Hide more until nothing small can be worked out (a fixed point).
    Whether the fixed point holds: no line leaks and no small cell is worked
    out (the line rules of ``problems``), which fails only where no cell is
    left to hide but the grand total.

    What a reader can work out is computed as the attacker would, line by line
    (``_closure``): a line's only unknown cell is its total minus the others,
    a hidden total is the sum of its cells when all are known, and cells of a
    line whose unknown part adds up to zero are all zero. A hidden cell that is
    worked out is as good as published — so a 10 pinned that way still reveals
    the 2 beside it in another line. Then, for every line whose total is known:
    if its unknown cells add up to 1–4, the smallest published non-zero cell of
    the line is hidden too; for a small cell worked out from a line, likewise."""
    import numpy as np

    if not net.cells or not len(net.totals):
        return True
    settled = np.zeros(len(net.cells), dtype=bool)
    while True:
        known, source = _closure(h, net, settled)
        # Hiding more only ever makes less known: what no reader could work out
        # stays so, and the next closure need not look at lines through it.
        settled = h & ~known
        # Only a line with an unknown child can leave a residual.
        lines, flat, lengths = _sub(net, _lines_through(net, ~known, as_total=False))
        residual = (
            np.add.reduceat(np.where(known[flat], 0, net.values[flat]), _starts(lengths))
            if len(flat)
            else np.zeros(0, dtype=np.int64)
        )
        bad = known[net.totals[lines]] & (residual > 0) & (residual < MIN_CELL)
        bad_lines = lines[bad]
        more: set[int] = set()
        for line in bad_lines.tolist():
            found = _breaker(_children(net, line), int(net.totals[line]), h, net, source)
            if found >= 0:
                more.add(found)
        small = (source >= 0) & h & (net.values > 0) & (net.values < MIN_CELL)
        for cell in np.nonzero(small)[0].tolist():
            line = int(source[cell])
            total = int(net.totals[line])
            others = [c for c in _children(net, line) if c != cell]
            found = _breaker(others, total if total != cell else -1, h, net, source)
            if found >= 0:
                more.add(found)
        more.discard(net.grand)
        new = [m for m in more if not h[m]]
        if not new:
            return not len(bad_lines) and not small.any()
        for m in new:
            h[m] = True
            if net.is_total[m]:  # a group's total: the whole group goes
                h[m + 1 : m + 1 + net.width] = True


def _children(net: _Net, line: int) -> list[int]:
    start = int(net.offsets[line])
    return net.flat[start : start + int(net.lengths[line])].tolist()  # type: ignore[no-any-return]


def _breaker(
    cells: Sequence[int], total: int, h: Any, net: _Net, source: Any, depth: int = 0
) -> int:
    """The published cell to hide so that a line stops giving something away:
    its smallest published non-zero cell (cells before group totals); else, if
    a cell of it is only worked out from another line, a cell of that line;
    else its total (never the grand total). -1: none."""
    shown = [c for c in cells if not h[c] and net.values[c] > 0]
    if shown:
        return min(shown, key=lambda c: (int(net.values[c]), bool(net.is_total[c]), c))
    if depth < 6:
        for cell in cells:
            if source[cell] >= 0 and net.values[cell] > 0:
                line = int(source[cell])
                parent = int(net.totals[line])
                others = [c for c in _children(net, line) if c != cell]
                found = _breaker(
                    others, parent if parent != cell else -1, h, net, source, depth + 1
                )
                if found >= 0 and found != net.grand:
                    return found
    if total >= 0 and not h[total]:
        return total
    if total >= 0 and source[total] >= 0 and depth < 6:
        line = int(source[total])
        return _breaker(_children(net, line), int(net.totals[line]), h, net, source, depth + 1)
    return -1


_GRAND: Cell = ((), (), None)


def _closure(h: Any, net: _Net, settled: Any = None) -> tuple[Any, Any]:
    """Which cells a reader can work out from the published ones (bool by
    cell id), and for each hidden one so worked out, the line it came from.

    Only a line through a hidden cell (as a child or as its total) can teach
    anything, and each step only makes more known, so the peeling runs on those
    lines alone, dropping the ones that become fully known.

    ``settled``: hidden cells known to stay unknown (an earlier closure with
    fewer cells hidden could not work them out). A line through one can never
    teach anything — its unknown part always holds that cell, so it is never
    the single unknown, never zero, never the sum of known cells — and is left
    out from the start."""
    import numpy as np

    known = ~h
    source = np.full(len(net.cells), -1, dtype=np.int64)
    if settled is None or not settled.any():
        useful = _lines_through(net, h)
    else:
        useful = _lines_through(net, h & ~settled) & ~_lines_through(net, settled)
    lines, flat, lengths = _sub(net, useful)
    vals = net.values[flat]
    while True:
        unknown = ~known[flat]
        offsets = _starts(lengths)
        count = np.add.reduceat(unknown.astype(np.int64), offsets) if len(flat) else lengths.copy()
        total_known = known[net.totals[lines]]
        live = (count > 0) | ~total_known
        if not live.all():
            keep = np.repeat(live, lengths)
            lines, lengths, count, total_known = (
                lines[live],
                lengths[live],
                count[live],
                total_known[live],
            )
            flat, vals, unknown = flat[keep], vals[keep], unknown[keep]
            offsets = _starts(lengths)
        if not len(lines):
            return known, source
        residual = np.add.reduceat(np.where(unknown, vals, 0), offsets)
        which = np.add.reduceat(np.where(unknown, flat, 0), offsets)
        single = total_known & (count == 1)
        zero = total_known & (count > 1) & (residual == 0)
        up = ~total_known & (count == 0)
        zero_flat = np.repeat(zero, lengths) & unknown
        line_of_flat = np.repeat(lines, lengths)
        found = np.concatenate((which[single], flat[zero_flat], net.totals[lines[up]]))
        found_lines = np.concatenate((lines[single], line_of_flat[zero_flat], lines[up]))
        fresh = ~known[found]
        found, found_lines = found[fresh], found_lines[fresh]
        if not len(found):
            return known, source
        cells, first = np.unique(found, return_index=True)
        source[cells] = found_lines[first]
        known[cells] = True


def _starts(lengths: Any) -> Any:
    import numpy as np

    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)


def _tables(
    subset_list: list[Subset],
    cells: list[tuple[Subset, Group, Any]],
    values: Any,
    h: Any,
    categories: Sequence[str],
) -> dict[Subset, Table]:
    tables = {s: Table(variables=s) for s in subset_list}
    for (subset, group, j), n, hidden in zip(cells, values.tolist(), h.tolist(), strict=True):
        table = tables[subset]
        shown = None if hidden else n
        if j is None:
            table.totals[group] = shown
            table.raw_totals[group] = n
        elif n or hidden:
            table.cells[(group, categories[j])] = shown
            table.raw_cells[(group, categories[j])] = n
    return tables


# --- The audit: linear programmes over the finest cells ------------------------------


def _finest_space(
    finest: Finest, categories: Sequence[str], variables: int
) -> list[tuple[Group, str]]:
    """The unknowns an attacker solves for: every combination of the values seen
    for each attribute with every category (not only the non-empty ones, which
    the attacker does not know)."""
    values: list[set[str]] = [set() for _ in range(variables)]
    for group in finest:
        for i, v in enumerate(group):
            values[i].add(v)
    cats = set(categories) | {c for by in finest.values() for c in by}
    groups = itertools.product(*[sorted(v) for v in values])
    return [(g, c) for g in groups for c in sorted(cats)]


def constraints(
    finest: Finest,
    subset_list: list[Subset],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
) -> tuple[list[tuple[Group, str]], list[tuple[list[int], int]]]:
    """What the published family says: for each published cell (zeros too), the
    finest unknowns it adds up and its value."""
    nvars = len(next(iter(finest), ()))
    categories = sorted({c for by in finest.values() for c in by})
    space = _finest_space(finest, categories, nvars)
    members: dict[Cell, list[int]] = defaultdict(list)
    for index, (group, category) in enumerate(space):
        for subset in subset_list:
            g = _project(group, subset)
            members[(subset, g, None)].append(index)
            members[(subset, g, category)].append(index)
    published = []
    for cell, indices in members.items():
        if cell not in hidden and not _in_hidden_group(cell, hidden):
            published.append((indices, counts.get(cell, 0)))
    return space, published


def _in_hidden_group(cell: Cell, hidden: set[Cell]) -> bool:
    return (cell[0], cell[1], None) in hidden


def audit_exposed(
    finest: Finest,
    subset_list: list[Subset],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
) -> list[Cell]:
    """The hidden cells (of any cross-tabulation) whose value (1–4) the
    published numbers pin down exactly."""
    import numpy as np
    from scipy.optimize import linprog

    space, published = constraints(finest, subset_list, counts, hidden)
    if not space or not published:
        return []  # nothing is bounded
    a_eq = np.zeros((len(published), len(space)))
    b_eq = np.zeros(len(published))
    for row, (indices, value) in enumerate(published):
        a_eq[row, indices] = 1
        b_eq[row] = value
    # A published zero fixes its unknowns at zero: drop them, and repeated rows,
    # so that each programme is small (the same answer, much faster).
    free = ~(a_eq[b_eq == 0].any(axis=0))
    a_eq, keep = a_eq[:, free], b_eq != 0
    a_eq, b_eq = a_eq[keep], b_eq[keep]
    if len(b_eq):
        stacked = np.unique(np.column_stack((a_eq, b_eq)), axis=0)
        a_eq, b_eq = stacked[:, :-1], stacked[:, -1]
    space = [key for key, f in zip(space, free.tolist(), strict=True) if f]
    if not space or not len(b_eq):
        return []
    index_of = {key: i for i, key in enumerate(space)}
    # Every cell of every cross-tabulation, finer ones included (with three of
    # five attributes asked for, a four-way cell must not be pinned down either).
    width = len(space[0][0])
    everything = _counts(finest, subsets(width, width))
    shown = {cell for cell in counts if cell not in hidden and not _in_hidden_group(cell, hidden)}
    small = sorted(
        (cell for cell, n in everything.items() if is_small(n) and cell not in shown),
        key=repr,
    )
    # Feasible tables other than the true one (vertices for random objectives):
    # a cell whose value differs in one of them is not pinned down, no need to
    # solve its two programmes.
    rng = np.random.default_rng(20260401)
    points = []
    for _ in range(8):
        solved = linprog(
            rng.normal(size=len(space)), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
        )
        if solved.status == 0:
            points.append(solved.x)
    found: list[Cell] = []
    for cell in small:
        subset, group, category = cell
        objective = np.zeros(len(space))
        for (g, c), i in index_of.items():
            if _project(g, subset) == group and (category is None or c == category):
                objective[i] = 1
        if not objective.any():
            continue  # all its unknowns are published zeros: it is zero, not small
        if any(abs(float(objective @ point) - everything[cell]) > 1e-6 for point in points):
            continue
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if high.status == 0 and low.status == 0 and -high.fun - low.fun < 1e-6:
            found.append(cell)
    return found


def _widen(
    exposed: Cell, counts: Mapping[Cell, int], hidden: set[Cell], lines: list[Line]
) -> Cell | None:
    """The published cell to hide so that the exposed one is no longer pinned:
    a published non-zero cell of a line through it or its margins — the finest
    and smallest first, since the coarse tables are the most read. The grand
    total is never hidden: with every other cell hidden, it pins nothing."""
    subset, group, category = exposed
    near = {exposed}  # the cell and its margins in the family
    for size in range(len(subset)):
        for coarser in itertools.combinations(range(len(subset)), size):
            s = tuple(subset[i] for i in coarser)
            g = tuple(group[i] for i in coarser)
            near.update({(s, g, category), (s, g, None)})
    candidates = []
    for total, cells in lines:
        if total in near or near.intersection(cells):
            for cell in (total, *cells):
                if cell not in hidden and counts.get(cell, 0) > 0:
                    candidates.append(cell)
    if not candidates:
        candidates = [c for c in counts if c not in hidden and counts[c] > 0]
    candidates = [c for c in candidates if c[0] or c[2] is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-len(c[0]), counts[c], c[2] is None, repr(c)))


# --- Lone counts and single lines ------------------------------------------------------
#
# Most rooms show counts that are not cross-tabulated: the votes on one
# statement, the actors of one segment, the members of one opinion group. They
# go through the same rules with these two entry points, never through an
# ad-hoc ``if n < 5``: a line is a family of one table with no attribute.

TOTAL = "total"


def suppress_count(count: int) -> int | None:
    """A lone count of people that is no part of a published sum: ``None``
    (hidden) when it is 1–4, the count otherwise (zero included)."""
    return None if is_small(count) else count


def suppress_line(counts: Mapping[str, int]) -> dict[str, int | None]:
    """Mutually exclusive counts of the same people (a statement's agree,
    disagree and pass votes; the engaged and not-yet-engaged actors of one
    segment) and their total, under ``TOTAL``. A count of 1–4 is hidden, and
    so is whatever would give it away by subtraction from the total; a total
    under 5 hides the whole line. ``None`` is hidden; zeros stay zeros."""
    categories = [c for c in counts if c != TOTAL]
    # No LP audit: one line has no inference across lines to find. Its hidden
    # cells are two or more (or the total is hidden) and add up to a known
    # sum, so each may be anything from 0 to that sum: none is pinned down.
    # The audit said so every time, at about 10 ms a line (a meetings page
    # showing 20 meetings by four dimensions spent most of a second on it).
    table = suppress(
        {(): {c: int(counts[c]) for c in categories}}, [], categories, max_by=0, audit=False
    )
    shown = table.tables[()]
    line: dict[str, int | None] = {c: shown.cells.get(((), c), 0) for c in categories}
    line[TOTAL] = shown.totals.get((), 0)
    return line


def suppress_rows(
    rows: Mapping[str, Mapping[str, int]],
    categories: Sequence[str],
    *,
    hidden_rows: Iterable[str] = (),
) -> dict[str, dict[str, int | None]]:
    """A table of people whose row totals are published on their own (each
    row's ``TOTAL``: an opinion group's size, shown as a lone count) and whose
    column totals are published nowhere (how many voters of each partner type
    a conversation has).

    With the column totals unpublished, no published sum runs across rows: a
    row's cells are tied only to its own total. So each row is one line
    (``suppress_line``): a cell of 1–4 is hidden, and so are the fewest cells
    that would give it away by subtraction from the row's total; a row under
    5, or named in ``hidden_rows`` (its total hidden elsewhere), is hidden
    whole. The LP audit of the whole table, with only those numbers published,
    then confirms that no small cell — a column total included — is pinned
    down; a row it found exposed (it cannot, by the reasoning above) would be
    hidden whole. ``None`` is hidden; zeros stay zeros."""
    hidden_keys = {str(r) for r in hidden_rows}
    shown: dict[str, dict[str, int | None]] = {}
    finest: dict[Group, dict[str, int]] = {}
    for key, counts in rows.items():
        cells = {c: int(counts.get(c, 0)) for c in categories}
        cells.update({c: int(n) for c, n in counts.items() if c not in cells})
        finest[(str(key),)] = cells
        if str(key) in hidden_keys:
            shown[str(key)] = dict.fromkeys([*cells, TOTAL], None)
        else:
            shown[str(key)] = suppress_line(cells)
    if finest and _space_size(finest, list(finest[next(iter(finest))])) <= AUDIT_LIMIT:
        subset_list = subsets(1, 1)
        counts_ = _counts(finest, subset_list)
        hidden: set[Cell] = {((), (), None)}  # nothing of the table without attributes
        for key, line in shown.items():
            for category, n in line.items():
                if n is None:
                    hidden.add(((0,), (key,), None if category == TOTAL else category))
        for exposed in audit_exposed(finest, subset_list, counts_, hidden):
            keys = [exposed[1][0]] if exposed[0] else list(shown)
            for key in keys:
                shown[key] = dict.fromkeys(shown[key], None)
    return shown
