"""A synthetic Pol.is-like conversation with planted opinion groups, for the common-ground
benchmarks (seeded with ``numpy.random.default_rng``; no database).

The model:

* ``groups`` opinion groups of unequal size (50 %, 30 %, 20 % for the default three).
* Each statement has, per group, a lean: agree (agree 0.90, disagree 0.05, pass 0.05),
  disagree (0.05, 0.90, 0.05) or split (0.40, 0.40, 0.20). One statement in ten is common
  ground (every group leans agree); the rest draw each group's lean independently.
* Participation is sparse and skewed as in real Pol.is conversations: the number of
  statements a participant votes on is log-normal (median 40 of 300, clipped to 1..300), so
  about one in seventy votes on fewer than seven and stays out of the clustering; statements
  shown early (low index) are seen more often, as Pol.is's prioritised queue does.

The groups are clear-cut on purpose: the benchmark checks that the engine finds planted groups
that the votes do reveal. ``oracle_labels`` classifies each participant with the planted
probabilities themselves (the best any method could do from these votes), as a ceiling.
Three groups, because the method sees two principal components: four planted groups span
three dimensions, and two of them overlap in the projection (adjusted Rand ~0.85).

``synthetic(participants, ...)`` returns the votes as parallel arrays (the fast path into
``VoteMatrix.from_arrays``) and the planted group of each participant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

AGREE_LEAN = (0.90, 0.05, 0.05)  # P(agree), P(disagree), P(pass)
DISAGREE_LEAN = (0.05, 0.90, 0.05)
SPLIT_LEAN = (0.40, 0.40, 0.20)
GROUP_SHARES = {2: (0.6, 0.4), 3: (0.5, 0.3, 0.2), 4: (0.4, 0.3, 0.2, 0.1)}
CONSENSUS_SHARE = 0.1
MEDIAN_VOTES = 40
VOTES_SIGMA = 0.8
BLOCK = 10_000  # participants generated at a time, to bound memory


@dataclass(frozen=True)
class Synthetic:
    rows: npt.NDArray[np.int64]  # participant index of each vote
    columns: npt.NDArray[np.int64]  # statement index of each vote
    votes: npt.NDArray[np.int8]  # -1, 0, 1
    planted: npt.NDArray[np.int64]  # planted group of each participant
    participants: int
    statements: int
    probabilities: npt.NDArray[np.float64]  # statements × groups × (agree, disagree, pass)

    def triples(self) -> list[tuple[int, int, int]]:
        """The votes as (participant, statement, vote) tuples, for ``build_matrix``."""
        return list(
            zip(self.rows.tolist(), self.columns.tolist(), self.votes.tolist(), strict=True)
        )


def synthetic(
    participants: int, statements: int = 300, groups: int = 3, seed: int = 0
) -> Synthetic:
    rng = np.random.default_rng(seed)
    shares = np.asarray(GROUP_SHARES[groups])
    planted = rng.choice(groups, size=participants, p=shares).astype(np.int64)

    # Per statement and group: cumulative probabilities of (agree, disagree, pass).
    leans = np.asarray([AGREE_LEAN, DISAGREE_LEAN, SPLIT_LEAN])
    choice = rng.integers(0, 3, size=(statements, groups))
    consensus = rng.random(statements) < CONSENSUS_SHARE
    choice[consensus] = 0
    cumulative = np.cumsum(leans[choice], axis=2)  # statements × groups × 3

    seen_count = np.clip(
        np.round(rng.lognormal(np.log(MEDIAN_VOTES), VOTES_SIGMA, size=participants)), 1, statements
    ).astype(np.int64)
    # Earlier statements are shown more: Gumbel top-k sampling without replacement with
    # weights 1 / (1 + index / 50).
    log_weight = -np.log1p(np.arange(statements) / 50.0)

    rows_parts, cols_parts, vote_parts = [], [], []
    for start in range(0, participants, BLOCK):
        stop = min(start + BLOCK, participants)
        keys = log_weight[None, :] + rng.gumbel(size=(stop - start, statements))
        order = np.argsort(-keys, axis=1)
        rank_ok = np.arange(statements)[None, :] < seen_count[start:stop, None]
        local_rows, ranks = np.nonzero(rank_ok)
        cols = order[local_rows, ranks]
        rows = local_rows + start
        draw = rng.random(rows.size)
        thresholds = cumulative[cols, planted[rows]]  # votes × 3
        vote = np.where(draw < thresholds[:, 0], 1, np.where(draw < thresholds[:, 1], -1, 0))
        rows_parts.append(rows)
        cols_parts.append(cols)
        vote_parts.append(vote.astype(np.int8))
    rows = np.concatenate(rows_parts).astype(np.int64)
    cols = np.concatenate(cols_parts).astype(np.int64)
    votes = np.concatenate(vote_parts)
    # Votes arrive interleaved in time, not participant by participant.
    shuffle = rng.permutation(rows.size)
    return Synthetic(
        rows[shuffle],
        cols[shuffle],
        votes[shuffle],
        planted,
        participants,
        statements,
        leans[choice],
    )


def oracle_labels(data: Synthetic) -> npt.NDArray[np.int64]:
    """Each participant's most likely planted group given their votes and the planted
    probabilities (maximum likelihood): the ceiling for any method's recovery."""
    groups = data.probabilities.shape[1]
    outcome = np.where(data.votes == 1, 0, np.where(data.votes == -1, 1, 2))
    likelihood = np.zeros((data.participants, groups))
    for g in range(groups):
        np.add.at(likelihood[:, g], data.rows, np.log(data.probabilities[data.columns, g, outcome]))
    result: npt.NDArray[np.int64] = likelihood.argmax(axis=1).astype(np.int64)
    return result
