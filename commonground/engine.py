"""The common-ground engine: opinion groups, representative and consensus statements.

Pure numerics (numpy, scipy, scikit-learn); nothing here imports Django, so the engine can be
tested, benchmarked and reused alone. It follows the math Pol.is publishes in its source
(``math/src/polismath/math``: conversation.clj, pca.clj, clusters.clj, repness.clj), written
afresh; ``docs/commonground.md`` explains each step and where a batch run differs from Pol.is's
incremental one.

The flow: votes -> :func:`build_matrix` -> :class:`VoteMatrix` -> :func:`analyse` ->
:class:`Analysis` (-> :meth:`Analysis.to_dict` for storage and the command line).

The engine knows no language: when it returns a single group, :attr:`Analysis.reason` is a short
code (see :data:`REASONS`) that the caller translates.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from commonground import engine_groups as groups_math
from commonground import engine_repness as repness_math
from commonground.engine_types import Bridging, Consensus, GroupCounts, Repness, Side

__all__ = [
    "REASONS",
    "Analysis",
    "Bridging",
    "Consensus",
    "GroupCounts",
    "Repness",
    "Side",
    "VoteError",
    "VoteMatrix",
    "analyse",
    "build_matrix",
    "canonical_order",
]

#: Why an analysis has one group (or none). ``""`` means the groups were found normally.
REASONS: dict[str, str] = {
    "no_votes": "nobody has voted yet (no groups)",
    "all_moderated_out": "every statement that was voted on is moderated out",
    "one_participant": "only one participant has voted",
    "one_statement": "only one statement carries votes",
    "all_pass": "every vote is a pass",
    "identical_votes": "everyone in the conversation voted the same way",
    "too_few_participants": "too few participants to form two groups",
}

#: Threads for BLAS and OpenMP (k-means) inside :func:`analyse`. One: the engine runs in a
#: background worker on a small machine beside web processes, and a two-thread parallel region
#: waits for a busy core at every step (a 20,000-participant run took 2.5 s instead of 0.3 s
#: with the other core loaded). ``None`` leaves the libraries' own setting.
THREADS: int | None = 1

#: Below this many participants in the conversation, two groups of at least two people are
#: impossible, so the engine reports one group rather than a split into singletons.
MIN_PARTICIPANTS_FOR_GROUPS = 4

_VOTE_CODES: dict[object, int] = {-1: -1, 0: 0, 1: 1}


class VoteError(ValueError):
    """A vote the engine cannot take. ``code`` is ``"invalid_vote"`` or ``"unknown_statement"``;
    ``participant``, ``statement`` and ``value`` say which vote, for the caller's own message."""

    def __init__(
        self, message: str, *, code: str, participant: Hashable, statement: Hashable, value: object
    ) -> None:
        super().__init__(message)
        self.code = code
        self.participant = participant
        self.statement = statement
        self.value = value


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants × statements: +1 agree, −1 disagree, 0 pass, unseen missing.

    Stored row by row as a compressed sparse matrix (``indptr``/``indices``/``data``) because
    real conversations are sparse: most people see a fraction of the statements. A pass is a
    stored 0, distinct from unseen. :attr:`values` gives the dense view with NaN for unseen.
    Moderated-out statements keep their column; the analysis zeroes them. ``meta`` statements
    (about the conversation or the voter, "I am unemployed") keep their votes, which shape the
    groups, but are never ranked as representative, consensus or bridging.
    """

    participants: tuple[Hashable, ...]
    statements: tuple[Hashable, ...]
    moderated_out: frozenset[Hashable]
    indptr: IntArray  # row i's votes are entries indptr[i]:indptr[i + 1]
    indices: npt.NDArray[np.int32]  # statement column of each entry, ascending within a row
    data: npt.NDArray[np.int8]  # the vote of each entry: -1, 0 or 1
    meta: frozenset[Hashable] = frozenset()

    def __post_init__(self) -> None:
        if self.indptr.shape != (len(self.participants) + 1,):
            raise ValueError("indptr must have one entry per participant, plus one")
        if self.indices.shape != self.data.shape or self.indptr[-1] != self.data.size:
            raise ValueError("indices and data must hold indptr[-1] entries")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @property
    def vote_count(self) -> int:
        return int(self.data.size)

    @property
    def values(self) -> FloatArray:
        """The dense matrix, NaN where unseen (for inspection and small matrices)."""
        dense = np.full(self.shape, np.nan)
        dense[self.entry_rows(), self.indices] = self.data
        return dense

    def entry_rows(self) -> IntArray:
        """The participant row of each stored entry."""
        return np.repeat(np.arange(len(self.participants), dtype=np.int64), np.diff(self.indptr))

    def canonical(self) -> VoteMatrix:
        """The same votes with participants and statements sorted by their keys
        (:func:`canonical_order`): any permutation of the rows, the columns or the votes that
        built a matrix gives the same canonical matrix, array for array, so :func:`analyse`
        (which starts here) gives the same groups whatever order the votes arrived in."""
        row_order = canonical_order(self.participants)
        column_order = canonical_order(self.statements)
        rows_in_order = bool(np.array_equal(row_order, np.arange(row_order.size)))
        columns_in_order = bool(np.array_equal(column_order, np.arange(column_order.size)))
        if rows_in_order and columns_in_order:
            return self
        counts = np.diff(self.indptr)[row_order]
        indptr = np.zeros_like(self.indptr)
        np.cumsum(counts, out=indptr[1:])
        if columns_in_order:
            # Rows move as blocks: gather each row's entries from its old place.
            gather = np.repeat(self.indptr[:-1][row_order] - indptr[:-1], counts)
            gather += np.arange(gather.size, dtype=np.int64)
            indices, data = self.indices[gather], self.data[gather]
        else:
            new_row = np.empty(row_order.size, dtype=np.int64)
            new_row[row_order] = np.arange(row_order.size)
            new_column = np.empty(column_order.size, dtype=np.int64)
            new_column[column_order] = np.arange(column_order.size)
            row, column = new_row[self.entry_rows()], new_column[self.indices]
            order = np.argsort(row * max(column_order.size, 1) + column, kind="stable")
            indices, data = column[order].astype(np.int32), self.data[order]
        return VoteMatrix(
            participants=tuple(self.participants[i] for i in row_order.tolist()),
            statements=tuple(self.statements[i] for i in column_order.tolist()),
            moderated_out=self.moderated_out,
            indptr=indptr,
            indices=indices,
            data=data,
            meta=self.meta,
        )

    @classmethod
    def from_arrays(
        cls,
        rows: npt.ArrayLike,
        columns: npt.ArrayLike,
        votes: npt.ArrayLike,
        *,
        participants: Sequence[Hashable],
        statements: Sequence[Hashable],
        moderated_out: Collection[Hashable] = (),
        meta: Collection[Hashable] = (),
    ) -> VoteMatrix:
        """Build from parallel arrays of row index, column index and vote, in time order (the
        last vote on a cell wins). The fast path for large imports; :func:`build_matrix` takes
        keyed votes and checks each one."""
        row = np.asarray(rows, dtype=np.int64).ravel()
        col = np.asarray(columns, dtype=np.int64).ravel()
        value = np.asarray(votes).ravel()
        if not (row.size == col.size == value.size):
            raise ValueError("rows, columns and votes must have the same length")
        n_p, n_s = len(participants), len(statements)
        if row.size and (row.min() < 0 or row.max() >= n_p or col.min() < 0 or col.max() >= n_s):
            raise ValueError("a row or column index is outside the matrix")
        bad = ~np.isin(value, (-1, 0, 1))
        if bad.any():
            i = int(np.argmax(bad))
            p, s = participants[int(row[i])], statements[int(col[i])]
            raise VoteError(
                _invalid_message(p, s, value[i]),
                code="invalid_vote",
                participant=p,
                statement=s,
                value=value[i],
            )
        return cls._compress(
            row, col, value.astype(np.int8), participants, statements, moderated_out, meta
        )

    @classmethod
    def from_dense(
        cls,
        values: npt.ArrayLike,
        *,
        participants: Sequence[Hashable] | None = None,
        statements: Sequence[Hashable] | None = None,
        moderated_out: Collection[Hashable] = (),
        meta: Collection[Hashable] = (),
    ) -> VoteMatrix:
        """Build from a dense array with NaN for unseen (keys default to 0, 1, 2, ...)."""
        dense = np.asarray(values, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError("a vote matrix is two-dimensional")
        row, col = np.nonzero(~np.isnan(dense))
        people = tuple(range(dense.shape[0])) if participants is None else tuple(participants)
        items = tuple(range(dense.shape[1])) if statements is None else tuple(statements)
        if len(people) != dense.shape[0] or len(items) != dense.shape[1]:
            raise ValueError("participants and statements must match the matrix's shape")
        return cls.from_arrays(
            row,
            col,
            dense[row, col],
            participants=people,
            statements=items,
            moderated_out=moderated_out,
            meta=meta,
        )

    @classmethod
    def _compress(
        cls,
        row: IntArray,
        col: IntArray,
        value: npt.NDArray[np.int8],
        participants: Sequence[Hashable],
        statements: Sequence[Hashable],
        moderated_out: Collection[Hashable],
        meta: Collection[Hashable] = (),
    ) -> VoteMatrix:
        # Latest vote wins: find each cell's last occurrence by looking at the reversed stream.
        n_s = max(len(statements), 1)
        key = row * n_s + col
        unique, first_in_reversed = np.unique(key[::-1], return_index=True)
        last = key.size - 1 - first_in_reversed
        counts = np.bincount(row[last], minlength=len(participants))
        indptr = np.zeros(len(participants) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        known = set(statements)
        return cls(
            participants=tuple(participants),
            statements=tuple(statements),
            moderated_out=frozenset(s for s in moderated_out if s in known),
            indptr=indptr,
            indices=(unique % n_s).astype(np.int32),
            data=value[last].astype(np.int8),
            meta=frozenset(s for s in meta if s in known),
        )


def canonical_order(keys: Sequence[Hashable]) -> IntArray:
    """The positions of ``keys`` in canonical order: numbers by value, then strings, then
    anything else by type name and ``repr``. Keys are participant or statement ids, unique
    in a matrix, so the order depends on the keys alone, never on the order they came in.
    (Ids are given in order of arrival by Pol.is and by the platform, so id order is also
    close to the order of first votes that Pol.is's own matrix has.)"""
    n = len(keys)
    if all(isinstance(k, int | np.integer) for k in keys):
        try:
            ids = np.fromiter(keys, dtype=np.int64, count=n)
        except OverflowError:  # ids beyond 64 bits: the general path below
            pass
        else:
            order: IntArray = np.argsort(ids, kind="stable")
            return order
    ranked = sorted(range(n), key=lambda i: _sort_key(keys[i]))
    return np.asarray(ranked, dtype=np.int64).reshape(n)


def _sort_key(key: Hashable) -> tuple[int, Any, str]:
    if isinstance(key, int | float | np.integer | np.floating):
        return (0, key, "")
    if isinstance(key, str):
        return (1, 0, key)
    return (2, 0, f"{type(key).__qualname__}:{key!r}")


def _invalid_message(participant: Hashable, statement: Hashable, value: object) -> str:
    return (
        f"vote {value!r} by participant {participant!r} on statement {statement!r} is not "
        "-1 (disagree), 0 (pass) or 1 (agree)"
    )


def build_matrix(
    votes: Iterable[tuple[Hashable, Hashable, int]],
    *,
    statements: Sequence[Hashable] | None = None,
    moderated_out: Collection[Hashable] = (),
    meta: Collection[Hashable] = (),
) -> VoteMatrix:
    """Build the vote matrix from ``(participant, statement, vote)`` triples in time order.

    A participant's latest vote on a statement wins. A vote other than −1/0/1, or (when
    ``statements`` is given) on a statement not in it, raises :class:`VoteError` naming the
    participant and statement. Participants are rows in order of their first vote; statements
    are ``statements`` in the order given, or columns in order of their first vote (the
    analysis puts both in canonical order, :meth:`VoteMatrix.canonical`, so this order never
    changes its result).
    """
    people: dict[Hashable, int] = {}
    known = statements is not None
    columns: dict[Hashable, int] = {s: i for i, s in enumerate(statements or ())}
    if known and len(columns) != len(statements or ()):
        raise ValueError("statements must not repeat")
    rows: list[int] = []
    cols: list[int] = []
    values: list[int] = []
    # Bound methods and one dict lookup per field: this loop is the cost of building from
    # keyed votes (about half a microsecond a vote); VoteMatrix.from_arrays is the fast path.
    add_row, add_col, add_value = rows.append, cols.append, values.append
    column_of, row_of, code_of = columns.get, people.get, _VOTE_CODES.get
    for participant, statement, value in votes:
        column = column_of(statement)
        if column is None:
            if known:
                raise VoteError(
                    f"vote by participant {participant!r} on statement {statement!r}, "
                    "which is not one of the conversation's statements",
                    code="unknown_statement",
                    participant=participant,
                    statement=statement,
                    value=value,
                )
            column = columns[statement] = len(columns)
        try:
            code = code_of(value)  # 1.0 and numpy integers match; "1", 2 and NaN do not
        except TypeError:  # an unhashable value
            code = None
        if code is None:
            raise VoteError(
                _invalid_message(participant, statement, value),
                code="invalid_vote",
                participant=participant,
                statement=statement,
                value=value,
            )
        row = row_of(participant)
        if row is None:
            row = people[participant] = len(people)
        add_row(row)
        add_col(column)
        add_value(code)
    return VoteMatrix._compress(
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(values, dtype=np.int8),
        tuple(people),
        tuple(columns),
        moderated_out,
        meta,
    )


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyse`. Group indices run 0..group_count-1, largest group first
    (equal sizes: the group of the participant first in canonical order first). Mappings keyed
    by participant or statement list them in canonical order."""

    groups: dict[Hashable, int]
    group_count: int
    reason: str
    coordinates: dict[Hashable, tuple[float, float]]
    representative: dict[int, list[Repness]]
    consensus: list[Consensus]
    group_aware_consensus: dict[Hashable, float]
    group_aware_consensus_disagree: dict[Hashable, float]
    per_group_counts: dict[Hashable, tuple[GroupCounts, ...]]
    seed: int
    participants_in: int
    statements: int
    elapsed_ms: float
    participants: int = 0  # everyone with at least one vote
    moderated_out: tuple[Hashable, ...] = ()
    base_clusters: int = 0
    silhouettes: dict[int, float] = field(default_factory=dict)  # group count k -> silhouette
    meta: tuple[Hashable, ...] = ()
    bridging: list[Bridging] = field(default_factory=list)  # best first

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict: mapping keys become strings, statement keys in values keep
        JSON's own types (str, int, float) and anything else becomes its ``str``."""
        return {
            "group_count": self.group_count,
            "reason": self.reason,
            "seed": self.seed,
            "participants": self.participants,
            "participants_in": self.participants_in,
            "statements": self.statements,
            "moderated_out": [_json_key(s) for s in self.moderated_out],
            "meta": [_json_key(s) for s in self.meta],
            "base_clusters": self.base_clusters,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "elapsed_ms": self.elapsed_ms,
            "groups": {str(p): g for p, g in self.groups.items()},
            "group_sizes": [
                sum(1 for g in self.groups.values() if g == i) for i in range(self.group_count)
            ],
            "coordinates": {str(p): [x, y] for p, (x, y) in self.coordinates.items()},
            "representative": {
                str(g): [_repness_dict(r) for r in items]
                for g, items in self.representative.items()
            },
            "consensus": [_consensus_dict(c) for c in self.consensus],
            "bridging": [
                {"statement": _json_key(b.statement), "score": b.score, "agree": list(b.agree)}
                for b in self.bridging
            ],
            "group_aware_consensus": {
                "agree": {str(s): v for s, v in self.group_aware_consensus.items()},
                "disagree": {str(s): v for s, v in self.group_aware_consensus_disagree.items()},
            },
            "per_group_counts": {
                str(s): [c._asdict() for c in counts] for s, counts in self.per_group_counts.items()
            },
        }


def _json_key(key: Hashable) -> str | int | float:
    if isinstance(key, bool):
        return str(key)
    if isinstance(key, str | int | float):
        return key
    if isinstance(key, np.integer):
        return int(key)
    return str(key)


def _repness_dict(r: Repness) -> dict[str, Any]:
    return {
        "statement": _json_key(r.statement),
        "side": r.side,
        "agrees": r.agrees,
        "disagrees": r.disagrees,
        "seen": r.seen,
        "pa": r.pa,
        "pd": r.pd,
        "pat": r.pat,
        "pdt": r.pdt,
        "ra": r.ra,
        "rd": r.rd,
        "rat": r.rat,
        "rdt": r.rdt,
        "best_agree": r.best_agree,
    }


def _consensus_dict(c: Consensus) -> dict[str, Any]:
    return {
        "statement": _json_key(c.statement),
        "side": c.side,
        "agrees": c.agrees,
        "disagrees": c.disagrees,
        "seen": c.seen,
        "p": c.p,
        "p_test": c.p_test,
    }


def analyse(matrix: VoteMatrix, *, seed: int = 0, keep: Collection[Hashable] = ()) -> Analysis:
    """Find the opinion groups and what represents each, and the common ground.

    ``keep``: participants a previous run placed in the conversation; they stay in (Pol.is keeps
    a participant once included). Deterministic for a given ``seed``, and independent of the
    order of the matrix's rows and columns: the analysis runs on :meth:`VoteMatrix.canonical`.
    """
    with threadpool_limits(limits=THREADS):
        return _analyse(matrix, seed, keep)


def _analyse(given: VoteMatrix, seed: int, keep: Collection[Hashable]) -> Analysis:
    started = time.perf_counter()
    matrix = given.canonical()
    n_p, n_s = matrix.shape
    rows = matrix.entry_rows()
    voted_columns = np.bincount(matrix.indices, minlength=n_s) > 0
    moderated = np.fromiter((s in matrix.moderated_out for s in matrix.statements), bool, n_s)
    # Pol.is's rating matrix has a column for each statement someone voted on; moderated-out
    # columns are zeroed there (every cell becomes 0), so they count as seen but carry nothing.
    active = voted_columns & ~moderated
    zeroed = voted_columns & moderated
    # Meta statements vote in the clustering like any other, but are never ranked.
    meta = np.fromiter((s in matrix.meta for s in matrix.statements), bool, n_s)
    rankable = active & ~meta
    counts = np.diff(matrix.indptr)  # votes per participant, moderated statements included
    voters = np.flatnonzero(counts > 0)
    keep_rows = _rows_of(matrix.participants, keep)
    in_conv = groups_math.in_conversation(counts, int(voted_columns.sum()), keep_rows)

    on_active = active[matrix.indices]
    data = np.where(on_active, matrix.data, 0).astype(np.float64)
    reason = _degenerate_reason(voters.size, int(active.sum()), data, on_active, in_conv.size)

    coordinates: dict[Hashable, tuple[float, float]] = {}
    labels = np.full(n_p, -1, dtype=np.int64)
    base_count = 0
    silhouettes: dict[int, float] = {}
    if voters.size and (active.any() or zeroed.any()):
        projection = groups_math.project(
            matrix.indptr, rows, matrix.indices, data, on_active, n_s, zeroed
        )
        people = [matrix.participants[i] for i in in_conv.tolist()]
        coordinates = dict(zip(people, map(tuple, projection[in_conv].tolist()), strict=True))
        if not reason and groups_math.no_spread(projection[in_conv]):
            reason = "identical_votes"
        if not reason:
            clustering = groups_math.cluster(projection[in_conv], seed=seed)
            labels[in_conv] = clustering.labels
            if not clustering.labels.any():
                reason = "identical_votes"
            base_count = clustering.base_count
            silhouettes = clustering.silhouettes
    if reason and voters.size:
        labels[in_conv] = 0
    group_count = int(labels.max()) + 1 if voters.size else 0

    stats = repness_math.count_votes(rows, matrix.indices, matrix.data, labels, group_count, n_s)
    representative: dict[int, list[Repness]] = {g: [] for g in range(group_count)}
    if group_count >= 2:
        representative = repness_math.select_representative(stats, rankable, matrix.statements)
    consensus = repness_math.select_consensus(stats, rankable, matrix.statements)
    gac_agree, gac_disagree = repness_math.group_aware_consensus(stats)
    bridging = repness_math.select_bridging(stats, rankable, matrix.statements, gac_agree)
    statements_voted = [i for i in range(n_s) if voted_columns[i]]
    return Analysis(
        groups={
            matrix.participants[i]: g
            for i, g in zip(in_conv.tolist(), labels[in_conv].tolist(), strict=True)
            if g >= 0
        },
        group_count=group_count,
        reason=reason,
        coordinates=coordinates,
        representative=representative,
        consensus=consensus,
        group_aware_consensus={
            matrix.statements[i]: float(gac_agree[i]) for i in statements_voted if rankable[i]
        },
        group_aware_consensus_disagree={
            matrix.statements[i]: float(gac_disagree[i]) for i in statements_voted if rankable[i]
        },
        per_group_counts=_per_group_counts(stats, matrix.statements, statements_voted),
        seed=seed,
        participants_in=int(in_conv.size) if voters.size else 0,
        statements=n_s,
        elapsed_ms=(time.perf_counter() - started) * 1000.0,
        participants=int(voters.size),
        moderated_out=tuple(s for s in matrix.statements if s in matrix.moderated_out),
        base_clusters=base_count,
        silhouettes=silhouettes,
        meta=tuple(s for s in matrix.statements if s in matrix.meta),
        bridging=bridging,
    )


def _rows_of(participants: Sequence[Hashable], keep: Collection[Hashable]) -> IntArray:
    if not keep:
        return np.zeros(0, dtype=np.int64)
    wanted = set(keep)
    return np.asarray([i for i, p in enumerate(participants) if p in wanted], dtype=np.int64)


def _degenerate_reason(
    voters: int,
    active_statements: int,
    data: FloatArray,
    on_active: npt.NDArray[np.bool_],
    participants_in: int,
) -> str:
    """The reason code when no split into groups can mean anything, else ``""``."""
    if voters == 0:
        return "no_votes"
    if active_statements == 0:
        return "all_moderated_out"
    if voters == 1:
        return "one_participant"
    if active_statements == 1:
        return "one_statement"
    if not np.any(data[on_active]):
        return "all_pass"
    if participants_in < MIN_PARTICIPANTS_FOR_GROUPS:
        return "too_few_participants"
    return ""


def _per_group_counts(
    stats: repness_math.VoteStats, statements: Sequence[Hashable], columns: Sequence[int]
) -> dict[Hashable, tuple[GroupCounts, ...]]:
    agrees = stats.group_agrees.tolist()
    disagrees = stats.group_disagrees.tolist()
    seen = stats.group_seen.tolist()
    return {
        statements[j]: tuple(
            GroupCounts(a[j], d[j], s[j] - a[j] - d[j], s[j])
            for a, d, s in zip(agrees, disagrees, seen, strict=True)
        )
        for j in columns
    }


def repness_by_statement(analysis: Analysis) -> Mapping[Hashable, dict[int, Repness]]:
    """Representative statements indexed by statement, then group (a convenience for pages)."""
    result: dict[Hashable, dict[int, Repness]] = {}
    for group, items in analysis.representative.items():
        for item in items:
            result.setdefault(item.statement, {})[group] = item
    return result
