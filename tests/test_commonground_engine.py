"""The common-ground engine alone: pure numerics, no database."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from commonground import engine_groups, engine_repness
from commonground.engine import (
    REASONS,
    Analysis,
    VoteError,
    VoteMatrix,
    analyse,
    build_matrix,
    canonical_order,
)

# Pure computation, no database: CI runs it once, on SQLite, not again on PostgreSQL.
pytestmark = pytest.mark.database_free


def planted(
    participants: int = 120, statements: int = 30, seed: int = 1, groups: int = 3
) -> tuple[list[tuple[int, int, int]], dict[int, int]]:
    """Groups that agree and disagree in opposite blocks of statements; everyone sees about
    two thirds of the statements; one statement everyone agrees with."""
    rng = np.random.default_rng(seed)
    lean = rng.choice([-1, 1], size=(groups, statements))
    lean[:, 0] = 1  # common ground
    votes: list[tuple[int, int, int]] = []
    truth: dict[int, int] = {}
    for p in range(participants):
        g = p % groups
        truth[p] = g
        for s in rng.permutation(statements)[: statements * 2 // 3]:
            draw = rng.random()
            vote = int(lean[g, s]) if draw < 0.8 else (0 if draw < 0.9 else -int(lean[g, s]))
            votes.append((p, int(s), vote))
    return votes, truth


def dense(rows: list[list[float]], **kwargs: object) -> VoteMatrix:
    return VoteMatrix.from_dense(np.asarray(rows, dtype=float), **kwargs)  # type: ignore[arg-type]


# Building the matrix ------------------------------------------------------------------------


def test_it_takes_a_participants_latest_vote() -> None:
    matrix = build_matrix(
        [("ana", "s1", 1), ("ben", "s1", -1), ("ana", "s1", -1), ("ana", "s2", 0)]
    )
    assert matrix.participants == ("ana", "ben")
    assert matrix.statements == ("s1", "s2")
    np.testing.assert_array_equal(matrix.values, [[-1, 0], [-1, np.nan]])
    assert matrix.vote_count == 3


def test_it_refuses_a_vote_that_is_not_minus_one_zero_or_one() -> None:
    for bad in (7, 2, -2, "1", 0.5, float("nan"), None, [1]):
        with pytest.raises(VoteError) as caught:
            build_matrix([("ana", "s1", 1), ("ben", "s9", bad)])  # type: ignore[list-item]
        assert caught.value.code == "invalid_vote"
        assert "'ben'" in str(caught.value) and "'s9'" in str(caught.value)
        assert caught.value.participant == "ben" and caught.value.statement == "s9"


def test_it_accepts_votes_as_floats_or_numpy_integers() -> None:
    matrix = build_matrix([(1, 1, 1.0), (1, 2, np.int64(-1)), (2, 1, np.int8(0))])  # type: ignore[list-item]
    np.testing.assert_array_equal(matrix.values, [[1, -1], [0, np.nan]])


def test_it_refuses_a_vote_on_an_unknown_statement() -> None:
    with pytest.raises(VoteError) as caught:
        build_matrix([("ana", "s1", 1), ("ana", "gone", 1)], statements=["s1", "s2"])
    assert caught.value.code == "unknown_statement"
    assert "'gone'" in str(caught.value) and "'ana'" in str(caught.value)


def test_it_keeps_the_statement_order_it_is_given_and_unvoted_statements() -> None:
    matrix = build_matrix([("ana", "b", 1)], statements=["a", "b", "c"])
    assert matrix.statements == ("a", "b", "c")
    np.testing.assert_array_equal(matrix.values, [[np.nan, 1, np.nan]])


def test_it_builds_the_same_matrix_from_dense_arrays_and_votes() -> None:
    votes, _ = planted(participants=20, statements=8)
    matrix = build_matrix(votes)
    again = VoteMatrix.from_dense(
        matrix.values, participants=matrix.participants, statements=matrix.statements
    )
    np.testing.assert_array_equal(again.values, matrix.values)
    np.testing.assert_array_equal(again.indptr, matrix.indptr)


def test_it_refuses_a_bad_value_in_a_dense_matrix() -> None:
    with pytest.raises(VoteError, match="participant 1 on statement 0"):
        dense([[1, 0], [3, np.nan]])


# Degenerate conversations: one group (or none), a reason code, no crash, no division by zero


@pytest.fixture(autouse=True)
def no_silent_nan() -> Iterator[None]:
    """Any division by zero, overflow or invalid operation inside the engine fails the test."""
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        yield


def assert_one_group(analysis: Analysis, reason: str) -> None:
    assert analysis.reason == reason
    assert reason in REASONS
    assert analysis.group_count == 1
    assert set(analysis.groups.values()) == {0}
    assert analysis.representative == {0: []}
    json.dumps(analysis.to_dict(), allow_nan=False)


def test_it_reports_no_groups_without_votes() -> None:
    for matrix in (build_matrix([]), build_matrix([], statements=["a", "b"])):
        analysis = analyse(matrix)
        assert analysis.reason == "no_votes"
        assert analysis.group_count == 0
        assert analysis.groups == {} and analysis.representative == {}
        assert analysis.participants_in == 0
        json.dumps(analysis.to_dict(), allow_nan=False)


def test_it_returns_one_group_for_one_participant() -> None:
    analysis = analyse(build_matrix([("ana", s, 1) for s in range(10)]))
    assert_one_group(analysis, "one_participant")
    assert analysis.groups == {"ana": 0}


def test_it_returns_one_group_for_one_statement() -> None:
    analysis = analyse(build_matrix([(p, "only", 1 if p % 2 else -1) for p in range(30)]))
    assert_one_group(analysis, "one_statement")
    assert len(analysis.groups) == 30


def test_it_returns_one_group_when_every_vote_is_a_pass() -> None:
    analysis = analyse(build_matrix([(p, s, 0) for p in range(20) for s in range(10)]))
    assert_one_group(analysis, "all_pass")
    assert analysis.consensus == []


def test_it_returns_one_group_when_everyone_votes_alike() -> None:
    votes = [(p, s, 1 if s % 3 else -1) for p in range(25) for s in range(12)]
    analysis = analyse(build_matrix(votes))
    assert_one_group(analysis, "identical_votes")
    assert {c.statement for c in analysis.consensus if c.side == "agree"} <= set(range(12))
    assert analysis.group_aware_consensus[1] == pytest.approx(26 / 27)


def test_it_returns_one_group_when_people_agree_wherever_they_overlap() -> None:
    # Different people see different statements but never differ from one another.
    votes = [(p, s, 1) for p in range(30) for s in range(10) if (p + s) % 3]
    assert_one_group(analyse(build_matrix(votes)), "identical_votes")


def test_it_returns_one_group_when_every_statement_is_moderated_out() -> None:
    votes, _ = planted(participants=30, statements=6)
    analysis = analyse(build_matrix(votes, moderated_out=range(6)))
    assert_one_group(analysis, "all_moderated_out")
    assert analysis.consensus == [] and analysis.group_aware_consensus == {}


def test_it_returns_one_group_for_too_few_participants() -> None:
    votes = [(p, s, 1 if (p + s) % 2 else -1) for p in range(3) for s in range(10)]
    assert_one_group(analyse(build_matrix(votes)), "too_few_participants")


def test_it_survives_a_participant_with_no_votes_in_a_dense_matrix() -> None:
    rows = [[1, -1, 1, 0]] * 5 + [[-1, 1, -1, 1]] * 5 + [[np.nan] * 4]
    analysis = analyse(dense(rows))
    assert analysis.group_count == 2 and analysis.reason == ""
    assert 10 not in analysis.groups and analysis.participants == 10


# The math -----------------------------------------------------------------------------------


def test_it_recovers_planted_groups() -> None:
    votes, truth = planted()
    analysis = analyse(build_matrix(votes))
    assert analysis.reason == "" and analysis.group_count == 3
    people = list(analysis.groups)
    ari = adjusted_rand_score([truth[p] for p in people], [analysis.groups[p] for p in people])
    assert ari > 0.95
    assert analysis.silhouettes and max(analysis.silhouettes.values()) > 0


def test_it_is_deterministic_for_a_seed() -> None:
    votes, _ = planted(participants=90)
    first = analyse(build_matrix(votes), seed=3).to_dict()
    second = analyse(build_matrix(votes), seed=3).to_dict()
    first.pop("elapsed_ms"), second.pop("elapsed_ms")
    assert first == second


def test_it_numbers_groups_from_the_largest() -> None:
    votes, _ = planted(participants=200, groups=2)
    votes = [v for v in votes if v[0] % 2 == 0 or v[0] % 4 == 1]  # group 1 loses half its people
    analysis = analyse(build_matrix(votes))
    sizes = [sum(1 for g in analysis.groups.values() if g == i) for i in range(2)]
    assert sizes[0] > sizes[1]


def test_it_lets_in_participants_by_the_pol_is_rule() -> None:
    # 20 people with 7+ votes are in; 5 with 3 votes are out; 2 with no votes do not exist.
    votes = [(p, s, 1 if (p * s) % 3 else -1) for p in range(20) for s in range(10)]
    votes += [(p, s, 1) for p in range(20, 25) for s in range(3)]
    counts = np.diff(build_matrix(votes).indptr)
    included = engine_groups.in_conversation(counts, 10, np.zeros(0, dtype=np.int64))
    assert included.tolist() == list(range(20))


def test_it_tops_up_to_fifteen_with_the_heaviest_voters() -> None:
    counts = np.array([9, 2, 8, 5, 5, 1, 3, 0] + [4] * 10)
    included = engine_groups.in_conversation(counts, 20, np.zeros(0, dtype=np.int64))
    # 2 qualify (9 and 8 votes); the 13 heaviest of the rest, earlier first on ties, join them.
    assert len(included) == 15
    assert {0, 2, 3, 4} <= set(included.tolist()) and 7 not in included and 5 not in included
    # With few statements, voting on all of them is enough.
    assert engine_groups.in_conversation(np.array([3, 3, 2]), 3, np.zeros(0, np.int64)).size == 3


def test_it_keeps_participants_included_before() -> None:
    votes, _ = planted(participants=40, statements=20)
    votes += [("late", s, 1) for s in range(2)]
    matrix = build_matrix(votes)
    assert "late" not in analyse(matrix).groups
    assert "late" in analyse(matrix, keep=["late", "nobody"]).groups


def test_it_projects_as_pol_is_does() -> None:
    """Column-mean imputation, centring, top two eigenvectors, projection over seen cells only,
    scaled by sqrt(statements / votes); checked against a plain dense computation."""
    rng = np.random.default_rng(5)
    values = rng.choice([-1.0, 0.0, 1.0], size=(40, 9))
    values[rng.random(values.shape) < 0.3] = np.nan
    matrix = VoteMatrix.from_dense(values)
    seen = ~np.isnan(values)
    mean = np.nanmean(values, axis=0)
    centred = np.where(seen, values - mean, 0.0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = (centred @ vt[:2].T) * np.sqrt(9 / seen.sum(axis=1))[:, None]
    data = matrix.data.astype(float)
    on_active = np.ones(data.size, dtype=bool)
    got = engine_groups.project(
        matrix.indptr, matrix.entry_rows(), matrix.indices, data, on_active, 9, np.zeros(9, bool)
    )
    for c in range(2):  # an eigenvector's sign is arbitrary
        sign = np.sign(got[:, c] @ expected[:, c])
        np.testing.assert_allclose(got[:, c] * sign, expected[:, c], atol=1e-5)


def test_it_counts_a_moderated_statement_as_a_zero_in_the_scaling() -> None:
    # Pol.is zeroes the whole column, so every participant "saw" it: votes + 1 in the scale.
    values = np.array([[1.0, -1.0, np.nan, 1.0], [-1.0, 1.0, 1.0, np.nan], [1.0, np.nan, -1, 1]])
    matrix = VoteMatrix.from_dense(values, moderated_out=[3])
    rows, data = matrix.entry_rows(), matrix.data.astype(float)
    on_active = matrix.indices != 3
    zeroed = np.array([False, False, False, True])
    got = engine_groups.project(
        matrix.indptr, rows, matrix.indices, np.where(on_active, data, 0), on_active, 4, zeroed
    )
    plain = engine_groups.project(
        matrix.indptr, rows, matrix.indices, np.where(on_active, data, 0), on_active, 4,
        np.zeros(4, bool),
    )  # fmt: skip
    # Same axes; only the scale differs: sqrt(4 / (votes + 1)) against sqrt(3 / votes).
    votes = np.array([2, 3, 2])
    ratio = np.sqrt(4 / (votes + 1)) / np.sqrt(3 / votes)
    np.testing.assert_allclose(got, plain * ratio[:, None], atol=1e-9)


def test_it_ignores_votes_on_moderated_statements() -> None:
    votes, _ = planted(participants=60, statements=12)
    noise = [(p, 99, 1 if p % 2 else -1) for p in range(60)]
    with_noise = analyse(build_matrix(votes + noise, moderated_out=[99]))
    assert 99 not in with_noise.group_aware_consensus
    assert all(c.statement != 99 for c in with_noise.consensus)
    assert all(r.statement != 99 for rs in with_noise.representative.values() for r in rs)
    assert with_noise.moderated_out == (99,)
    assert with_noise.per_group_counts[99]  # still counted, for the record


def test_it_computes_pol_is_statistics() -> None:
    # prop-test: 2·sqrt(n+1)·((s+1)/(n+1) − 1/2); two-prop-test with +1 pseudo-counts.
    z = engine_repness.prop_test(np.array([8.0]), np.array([10.0]))[0]
    assert z == pytest.approx(2 * math.sqrt(11) * (9 / 11 - 0.5))
    two = engine_repness.two_prop_test(
        np.array([8.0]), np.array([2.0]), np.array([10.0]), np.array([10.0])
    )[0]
    p1, p2, pooled = 9 / 11, 3 / 11, 12 / 22
    assert two == pytest.approx((p1 - p2) / math.sqrt(pooled * (1 - pooled) * (2 / 11)))
    # A pooled proportion of 1 has no variance: 0, as Pol.is, not a division by zero.
    assert engine_repness.two_prop_test(*(np.array([4.0]),) * 4)[0] == 0.0


def test_it_picks_representative_statements_by_the_pol_is_rules() -> None:
    # Group A (first 10) agrees with s0 and disagrees with s1; group B the opposite; both
    # agree with s2 (common ground, represents neither).
    rows = [[1, -1, 1, 1]] * 10 + [[-1, 1, 1, -1]] * 10
    analysis = analyse(dense(rows, statements=["s0", "s1", "s2", "s3"]))
    assert analysis.group_count == 2
    first = analysis.groups[0]
    mine = analysis.representative[first]
    assert mine[0].statement in {"s0", "s3"} and mine[0].side == "agree" and mine[0].best_agree
    assert [r.side for r in mine] == sorted((r.side for r in mine), key=lambda s: s != "agree")
    assert "s2" not in {r.statement for r in mine}
    assert len(mine) <= 5
    for r in mine:
        assert (r.rat > 1.2816 and r.pat > 1.2816) or (r.rdt > 1.2816 and r.pdt > 1.2816)
        assert r.pa == pytest.approx((r.agrees + 1) / (r.seen + 2))


def test_it_gives_each_group_a_statement_even_without_a_significant_one() -> None:
    # Two groups of three, split votes on two statements: nothing is significant at 90 %.
    def counts(rows: list[list[int]]) -> np.ndarray:
        return np.array(rows, dtype=np.int64)

    stats = engine_repness.VoteStats(
        group_agrees=counts([[2, 1], [1, 2]]),
        group_disagrees=counts([[1, 2], [2, 1]]),
        group_seen=counts([[3, 3], [3, 3]]),
        all_agrees=counts([3, 3]),
        all_disagrees=counts([3, 3]),
        all_seen=counts([6, 6]),
    )
    picked = engine_repness.select_representative(stats, np.array([True, True]), ["a", "b"])
    assert [len(items) for items in picked.values()] == [1, 1]
    first, second = picked[0][0], picked[1][0]
    assert not (first.rat > 1.2816 and first.pat > 1.2816)
    # Each group's one statement is the one it agrees with more than the other group does.
    assert (first.statement, second.statement) == ("a", "b")
    assert first.best_agree and second.best_agree


def test_it_finds_consensus_and_group_aware_consensus() -> None:
    rows = [[1, -1, 1, -1]] * 8 + [[1, 1, -1, -1]] * 8
    analysis = analyse(dense(rows))
    agree = [c.statement for c in analysis.consensus if c.side == "agree"]
    disagree = [c.statement for c in analysis.consensus if c.side == "disagree"]
    assert agree == [0] and disagree == [3]
    # Product over the two groups of (agrees + 1) / (votes + 2).
    assert analysis.group_aware_consensus[0] == pytest.approx((9 / 10) ** 2)
    assert analysis.group_aware_consensus[1] == pytest.approx((1 / 10) * (9 / 10))
    assert analysis.group_aware_consensus_disagree[3] == pytest.approx((9 / 10) ** 2)
    counts = analysis.per_group_counts[1]
    assert sorted(c.agrees for c in counts) == [0, 8] and all(c.seen == 8 for c in counts)


def test_it_serialises_to_json_with_string_keys() -> None:
    votes, _ = planted(participants=45, statements=10)
    analysis = analyse(build_matrix(votes))
    data = json.loads(json.dumps(analysis.to_dict(), allow_nan=False))
    assert data["group_count"] == analysis.group_count
    assert set(data["groups"]) == {str(p) for p in analysis.groups}
    assert len(data["coordinates"]["0"]) == 2
    item = data["representative"]["0"][0]
    assert {"statement", "side", "pa", "pat", "ra", "rat", "agrees", "seen"} <= set(item)
    assert set(data["group_aware_consensus"]) == {"agree", "disagree"}
    assert sum(data["group_sizes"]) == analysis.participants_in


def test_it_uses_lanczos_for_very_many_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    votes, _ = planted(participants=60, statements=24)
    exact = analyse(build_matrix(votes))
    monkeypatch.setattr(engine_groups, "GRAM_MAX_STATEMENTS", 4)
    sparse = analyse(build_matrix(votes))
    people = list(exact.groups)
    assert adjusted_rand_score(
        [exact.groups[p] for p in people], [sparse.groups[p] for p in people]
    ) == pytest.approx(1.0)


def test_it_scores_a_singleton_cluster_zero_in_the_silhouette() -> None:
    distances = np.array([[0.0, 1.0, 5.0], [1.0, 0.0, 5.0], [5.0, 5.0, 0.0]])
    labels = np.array([0, 0, 1])
    a, b = 1.0, 5.0
    assert engine_groups.silhouette(distances, labels) == pytest.approx(2 * (b - a) / b / 3)
    assert engine_groups.silhouette(np.zeros((3, 3)), np.array([0, 0, 1])) == 0.0


# The same votes, the same groups ---------------------------------------------------------------


def comparable(analysis: Analysis) -> dict[str, object]:
    found = analysis.to_dict()
    found.pop("elapsed_ms")
    return found


def test_it_gives_the_same_groups_whatever_order_the_votes_arrive_in() -> None:
    """Shuffled votes make a matrix with rows and columns in another order; the analysis
    starts from the canonical matrix, so everything it says is the same, bit for bit."""
    votes, _ = planted(participants=150, statements=24, seed=4)
    matrix = build_matrix(votes)
    expected = comparable(analyse(matrix, seed=2))
    for seed in range(4):
        shuffled = [votes[i] for i in np.random.default_rng(seed).permutation(len(votes))]
        other = build_matrix(shuffled)
        assert other.participants != matrix.participants
        assert other.statements != matrix.statements
        canonical, again = matrix.canonical(), other.canonical()
        for name in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(canonical, name), getattr(again, name))
        assert canonical.participants == again.participants == tuple(range(150))
        assert comparable(analyse(other, seed=2)) == expected
    # Statements given in another order, and a dense matrix with rows reversed: the same.
    assert comparable(analyse(build_matrix(votes, statements=range(23, -1, -1)), seed=2)) == (
        expected
    )
    values = matrix.values
    reverse = VoteMatrix.from_dense(
        values[::-1], participants=matrix.participants[::-1], statements=matrix.statements
    )
    assert comparable(analyse(reverse, seed=2)) == expected


def test_it_orders_keys_of_any_kind_canonically() -> None:
    keys = ["b", 10, (1, 2), 2.5, "a", np.int64(-3), True]
    order = canonical_order(keys).tolist()
    assert [keys[i] for i in order] == [-3, True, 2.5, 10, "a", "b", (1, 2)]
    assert canonical_order([5, 3, 9]).tolist() == [1, 0, 2]
    assert canonical_order([2**70, 1]).tolist() == [1, 0]  # beyond 64 bits


def test_it_numbers_equal_groups_by_their_first_member() -> None:
    # Two groups of ten; the group of participant "a0" (first in canonical order) is group 0.
    rows = [[1, -1, 1, -1, 1, -1, 1]] * 10 + [[-1, 1, -1, 1, -1, 1, -1]] * 10
    people = [f"b{i}" for i in range(10)] + [f"a{i}" for i in range(10)]
    analysis = analyse(dense(rows, participants=people))
    assert analysis.groups["a0"] == 0 and analysis.groups["b0"] == 1
    assert list(analysis.groups)[:2] == ["a0", "a1"]  # listed in canonical order


def test_it_finds_nearly_the_same_groups_whatever_the_seed() -> None:
    # 300 people, more than 100 distinct positions: the ensemble of runs is used.
    assert engine_groups.ensemble_runs(300) == engine_groups.ENSEMBLE_RUNS
    assert engine_groups.ensemble_runs(20_000) == engine_groups.ensemble_runs(100_000) == 1
    votes, truth = planted(participants=300, statements=30, seed=6)
    matrix = build_matrix(votes)
    found = [analyse(matrix, seed=seed).groups for seed in range(3)]
    people = list(found[0])
    for groups in found[1:]:
        assert (
            adjusted_rand_score([found[0][p] for p in people], [groups[p] for p in people]) > 0.95
        )
    assert adjusted_rand_score([truth[p] for p in people], [found[0][p] for p in people]) > 0.9


# Meta statements and bridging statements --------------------------------------------------------


def test_it_never_ranks_a_meta_statement_but_lets_its_votes_place_people() -> None:
    votes, _ = planted(participants=90, statements=12, seed=3)
    plain = analyse(build_matrix(votes))
    assert 0 in {c.statement for c in plain.consensus}  # everyone leans agree on statement 0
    assert 0 in {b.statement for b in plain.bridging}
    marked = analyse(build_matrix(votes, meta=[0, "not a statement"]))
    assert marked.meta == (0,) and marked.to_dict()["meta"] == [0]
    assert marked.groups == plain.groups  # its votes still count
    assert 0 not in {c.statement for c in marked.consensus}
    assert 0 not in {b.statement for b in marked.bridging}
    assert all(r.statement != 0 for items in marked.representative.values() for r in items)
    assert 0 not in marked.group_aware_consensus and 0 not in marked.group_aware_consensus_disagree
    assert marked.per_group_counts[0]  # still counted, for the record


def test_it_ranks_bridging_statements_by_group_aware_consensus() -> None:
    # s0 and s1 unite both groups (s0 more so), s2 only most of the first, s3 splits them.
    rows = (
        [[1, 1, 1, 1]] * 9
        + [[1, 0, 1, 1]]
        + [[1, 1, -1, -1]] * 6
        + [[1, -1, 1, -1]] * 2
        + [[-1, 1, -1, -1]] * 2
    )
    analysis = analyse(dense(rows, statements=["s0", "s1", "s2", "s3"]))
    assert analysis.group_count == 2
    ranked = [b.statement for b in analysis.bridging]
    assert ranked == ["s0", "s1"]  # by group-aware consensus: 0.6875, then 0.625
    for item in analysis.bridging:
        counts = analysis.per_group_counts[item.statement]
        assert all(2 * c.agrees > c.seen for c in counts)
        assert item.agree == tuple(c.agrees / c.seen for c in counts)
        assert item.score == analysis.group_aware_consensus[item.statement]
    for statement, counts in analysis.per_group_counts.items():
        if statement not in ranked:
            assert any(2 * c.agrees <= c.seen for c in counts)
    data = analysis.to_dict()["bridging"]
    assert [b["statement"] for b in data] == ranked and all(len(b["agree"]) == 2 for b in data)


def test_it_finds_no_bridging_statements_with_one_group() -> None:
    votes = [(p, s, 1 if s % 3 else -1) for p in range(25) for s in range(12)]
    analysis = analyse(build_matrix(votes))
    assert analysis.group_count == 1 and analysis.bridging == []
