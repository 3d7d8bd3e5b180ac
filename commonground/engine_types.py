"""Value types of the common-ground engine (pure; no Django). Re-exported by
:mod:`commonground.engine`, which is where callers import them from."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, NamedTuple

Side = Literal["agree", "disagree"]


class GroupCounts(NamedTuple):
    """One group's votes on one statement."""

    agrees: int
    disagrees: int
    passes: int
    seen: int


@dataclass(frozen=True)
class Repness:
    """How a statement sets one group apart (Pol.is's "repness").

    ``pa``/``pd``: the group's agree/disagree probability with a +1/+2 prior; ``pat``/``pdt``:
    their one-proportion z-scores; ``ra``/``rd``: the ratio to everyone else's probability;
    ``rat``/``rdt``: the two-proportion z-scores against everyone else. ``side`` is the side
    that represents the group; ``best_agree`` marks the statement Pol.is puts first.
    """

    statement: Hashable
    side: Side
    agrees: int
    disagrees: int
    seen: int
    pa: float
    pd: float
    pat: float
    pdt: float
    ra: float
    rd: float
    rat: float
    rdt: float
    best_agree: bool = False

    @property
    def p_success(self) -> float:
        return self.pa if self.side == "agree" else self.pd

    @property
    def p_test(self) -> float:
        return self.pat if self.side == "agree" else self.pdt

    @property
    def repness(self) -> float:
        return self.ra if self.side == "agree" else self.rd

    @property
    def repness_test(self) -> float:
        return self.rat if self.side == "agree" else self.rdt

    @property
    def metric(self) -> float:
        """The sort key Pol.is ranks representative statements by."""
        return self.repness * self.repness_test * self.p_success * self.p_test


@dataclass(frozen=True)
class Consensus:
    """A statement most of the conversation agrees (or disagrees) with."""

    statement: Hashable
    side: Side
    agrees: int
    disagrees: int
    seen: int
    p: float  # probability of the side, with the +1/+2 prior
    p_test: float  # its one-proportion z-score


@dataclass(frozen=True)
class Bridging:
    """A statement that bridges the opinion groups: more than half of those in *every* group
    who voted on it agree (the platform's rule, here on exact counts)."""

    statement: Hashable
    score: float  # group-aware consensus: the product over groups of (agrees + 1)/(seen + 2)
    agree: tuple[float, ...]  # each group's share of agrees among its votes on the statement
