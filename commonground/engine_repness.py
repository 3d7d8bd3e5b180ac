"""Representative statements per group, consensus statements, group-aware consensus.

Pure numerics, no Django. Follows repness.clj and stats.clj of Pol.is: probabilities with a
+1/+2 (Laplace) prior, one- and two-proportion z-tests, significance at one-tailed 90 %
(z > 1.2816), and Pol.is's rules for picking at most five statements per group with the best
"agree" statement first. Counts use agree = +1 (Pol.is stores agree as −1 internally and
counts accordingly; the meaning is the same).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commonground.engine_types import Bridging, Consensus, Repness, Side

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: One-tailed 90 % significance (stats.clj, z-sig-90?).
Z_90 = 1.2816
#: At most this many representative statements per group, consensus statements per side.
PICK = 5


@dataclass(frozen=True)
class VoteStats:
    """Vote counts per group (rows) and statement (columns), and over everyone who voted."""

    group_agrees: IntArray
    group_disagrees: IntArray
    group_seen: IntArray
    all_agrees: IntArray
    all_disagrees: IntArray
    all_seen: IntArray


def count_votes(
    rows: IntArray,
    indices: npt.NDArray[np.int32],
    data: npt.NDArray[np.int8],
    labels: IntArray,
    group_count: int,
    n_cols: int,
) -> VoteStats:
    """All counts from two passes over the stored votes (a pass counts as seen, not agree):
    each vote is binned by (group, statement, outcome) and by (statement, outcome)."""
    outcome = data.astype(np.int64) + 1  # 0 disagree, 1 pass, 2 agree
    group = labels[rows]
    placed = group >= 0
    key = (group[placed] * n_cols + indices[placed]) * 3 + outcome[placed]
    grouped = np.bincount(key, minlength=group_count * n_cols * 3).reshape(group_count, n_cols, 3)
    overall = np.bincount(indices.astype(np.int64) * 3 + outcome, minlength=n_cols * 3)
    overall = overall.reshape(n_cols, 3)
    return VoteStats(
        group_agrees=grouped[:, :, 2].astype(np.int64),
        group_disagrees=grouped[:, :, 0].astype(np.int64),
        group_seen=grouped.sum(axis=2).astype(np.int64),
        all_agrees=overall[:, 2].astype(np.int64),
        all_disagrees=overall[:, 0].astype(np.int64),
        all_seen=overall.sum(axis=1).astype(np.int64),
    )


def probability(successes: FloatArray, trials: FloatArray) -> FloatArray:
    """(successes + 1) / (trials + 2): the +1/+2 prior keeps small counts from extremes."""
    result: FloatArray = (successes + 1.0) / (trials + 2.0)
    return result


def prop_test(successes: FloatArray, trials: FloatArray) -> FloatArray:
    """One-proportion z-score against 1/2, with +1 pseudo-counts (stats.clj, prop-test)."""
    n = trials + 1.0
    result: FloatArray = 2.0 * np.sqrt(n) * ((successes + 1.0) / n - 0.5)
    return result


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, n_in: FloatArray, n_out: FloatArray
) -> FloatArray:
    """Two-proportion z-score, group vs the rest, +1 pseudo-counts (stats.clj, two-prop-test).
    0 when the pooled proportion is 1 (no variance), as Pol.is."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(variance)
    result: FloatArray = np.where(variance > 0, z, 0.0)
    return result


@dataclass
class _Stats:
    """One group × statement: the fields Pol.is's selection rules read."""

    column: int
    na: int
    nd: int
    ns: int
    pa: float
    pd: float
    pat: float
    pdt: float
    ra: float
    rd: float
    rat: float
    rdt: float

    def passes(self) -> bool:
        return (self.rat > Z_90 and self.pat > Z_90) or (self.rdt > Z_90 and self.pdt > Z_90)

    def side(self) -> Side:
        return "agree" if self.rat > self.rdt else "disagree"

    def beats_best_by_test(self, best: Repness | None) -> bool:
        return best is None or max(self.rat, self.rdt) > best.repness_test

    def beats_best_agree(self, best: _Stats | None) -> bool:
        """repness.clj, beats-best-agr?: never a statement without a single agree or disagree;
        against a best that is representative (ra > 1), compare ra·rat·pa·pat; against
        another, pa·pat; with none yet, take one that is significantly agreed with, or more
        agreed with here than elsewhere by a majority of the group."""
        if self.na == 0 and self.nd == 0:
            return False
        if best is not None and best.ra > 1.0:
            return self.ra * self.rat * self.pa * self.pat > best.ra * best.rat * best.pa * best.pat
        if best is not None:
            return self.pa * self.pat > best.pa * best.pat
        return self.pat > Z_90 or (self.ra > 1.0 and self.pa > 0.5)

    def finalise(self, statement: Hashable, *, best_agree: bool = False) -> Repness:
        return Repness(
            statement=statement,
            side=self.side(),
            agrees=self.na,
            disagrees=self.nd,
            seen=self.ns,
            pa=self.pa,
            pd=self.pd,
            pat=self.pat,
            pdt=self.pdt,
            ra=self.ra,
            rd=self.rd,
            rat=self.rat,
            rdt=self.rdt,
            best_agree=best_agree,
        )


def select_representative(
    stats: VoteStats, active: BoolArray, statements: Sequence[Hashable]
) -> dict[int, list[Repness]]:
    """Per group, up to five statements that set it apart (repness.clj, select-rep-comments).

    A statement qualifies when the group agrees (or disagrees) significantly more than the
    rest AND significantly more than not (both z > 1.2816). Qualifiers are ranked by
    ra·rat·pa·pat; the group's best-agree statement goes first; agrees are listed before
    disagrees. With no qualifier the group still gets one: its best agree, else its most
    representative by test. Moderated-out statements are never picked.
    """
    na = stats.group_agrees.astype(np.float64)
    nd = stats.group_disagrees.astype(np.float64)
    ns = stats.group_seen.astype(np.float64)
    rest_na, rest_nd, rest_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = probability(na, ns), probability(nd, ns)
    arrays = {
        "pa": pa,
        "pd": pd,
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": pa / probability(rest_na, rest_ns),
        "rd": pd / probability(rest_nd, rest_ns),
        "rat": two_prop_test(na, rest_na, ns, rest_ns),
        "rdt": two_prop_test(nd, rest_nd, ns, rest_ns),
    }
    as_lists = {name: values.tolist() for name, values in arrays.items()}
    counts = (
        stats.group_agrees.tolist(),
        stats.group_disagrees.tolist(),
        stats.group_seen.tolist(),
    )
    columns = np.flatnonzero(active).tolist()
    result: dict[int, list[Repness]] = {}
    for g in range(na.shape[0]):
        row = {name: values[g] for name, values in as_lists.items()}
        sufficient: list[Repness] = []
        best: Repness | None = None
        best_agree: _Stats | None = None
        for j in columns:
            item = _Stats(
                j,
                counts[0][g][j],
                counts[1][g][j],
                counts[2][g][j],
                **{name: values[j] for name, values in row.items()},
            )
            if item.passes():
                sufficient.append(item.finalise(statements[j]))
            if not sufficient and item.beats_best_by_test(best):
                best = item.finalise(statements[j])
            if item.beats_best_agree(best_agree):
                best_agree = item
        head = (
            []
            if best_agree is None
            else [best_agree.finalise(statements[best_agree.column], best_agree=True)]
        )
        if not sufficient:
            result[g] = head or ([best] if best is not None else [])
            continue
        others = [r for r in sufficient if not head or r.statement != head[0].statement]
        picked = (head + sorted(others, key=lambda r: -r.metric))[:PICK]  # sorted() is stable
        result[g] = [r for r in picked if r.side == "agree"] + [
            r for r in picked if r.side == "disagree"
        ]
    return result


def select_consensus(
    stats: VoteStats, active: BoolArray, statements: Sequence[Hashable]
) -> list[Consensus]:
    """Up to five statements per side that most of everyone agrees (disagrees) with: p > 0.5
    and significant (z > 1.2816), ranked by p·z (repness.clj, select-consensus-comments)."""
    na = stats.all_agrees.astype(np.float64)
    nd = stats.all_disagrees.astype(np.float64)
    ns = stats.all_seen.astype(np.float64)
    chosen: list[Consensus] = []
    sides: tuple[tuple[Side, FloatArray], ...] = (("agree", na), ("disagree", nd))
    for side, successes in sides:
        p, z = probability(successes, ns), prop_test(successes, ns)
        eligible = np.flatnonzero(active & (p > 0.5) & (z > Z_90))
        ranked = eligible[np.argsort(-(p * z)[eligible], kind="stable")][:PICK]
        chosen.extend(
            Consensus(
                statement=statements[j],
                side=side,
                agrees=int(na[j]),
                disagrees=int(nd[j]),
                seen=int(ns[j]),
                p=float(p[j]),
                p_test=float(z[j]),
            )
            for j in ranked
        )
    return chosen


def group_aware_consensus(stats: VoteStats) -> tuple[FloatArray, FloatArray]:
    """Per statement, the product over groups of (agrees + 1) / (votes + 2), and the same for
    disagrees: high only when every group, not just the largest, leans the same way."""
    seen = stats.group_seen.astype(np.float64)
    agree = np.prod(probability(stats.group_agrees.astype(np.float64), seen), axis=0)
    disagree = np.prod(probability(stats.group_disagrees.astype(np.float64), seen), axis=0)
    return np.asarray(agree, dtype=np.float64), np.asarray(disagree, dtype=np.float64)


def select_bridging(
    stats: VoteStats, rankable: BoolArray, statements: Sequence[Hashable], agree: FloatArray
) -> list[Bridging]:
    """Statements more than half of every group agrees with (among the group's votes on it),
    ranked by their group-aware consensus ``agree`` (ties: canonical statement order). Needs
    two groups or more: with one, "every group" is just everyone, and that is consensus."""
    seen = stats.group_seen
    if seen.shape[0] < 2:
        return []
    bridges = rankable & np.all(2 * stats.group_agrees > seen, axis=0)
    columns = np.flatnonzero(bridges)
    ranked = columns[np.argsort(-agree[columns], kind="stable")]
    shares = stats.group_agrees / np.maximum(seen, 1)
    return [
        Bridging(
            statement=statements[j],
            score=float(agree[j]),
            agree=tuple(float(x) for x in shares[:, j]),
        )
        for j in ranked.tolist()
    ]
