"""Opinion groups: who enters the conversation, the PCA projection, and the two-level k-means.

Pure numerics (numpy, scipy, scikit-learn), no Django. Follows the Pol.is math
(conversation.clj, pca.clj, clusters.clj); ``docs/commonground.md`` has the derivations.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.linalg import eigh
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.linalg import LinearOperator, eigsh
from sklearn.cluster import KMeans

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: A participant enters the conversation after voting on this many statements (or on all of
#: them when there are fewer) ...
MIN_VOTES = 7
#: ... and while fewer than this many qualify, the heaviest voters are taken in anyway.
GREEDY_PARTICIPANTS = 15
BASE_CLUSTERS = 100
BASE_ITERATIONS = 100
MAX_GROUPS = 5
#: Pol.is allows one more group per this many base clusters, from two (max-k-fn).
BASES_PER_EXTRA_GROUP = 12
#: Weighted k-means restarts per group count, and Lloyd iterations per restart.
GROUP_RESTARTS = 200
GROUP_ITERATIONS = 100
#: Conversations small enough are clustered several times over, from independent base
#: clusterings, and every participant takes the group most runs give them (see
#: :func:`cluster`): ``ENSEMBLE_BUDGET // participants`` runs, at most ``ENSEMBLE_RUNS``, each
#: with ``ENSEMBLE_RESTARTS`` restarts per group count. From 20,000 participants on, one run
#: with ``GROUP_RESTARTS`` restarts, as before: large conversations have stable base clusters,
#: and the time targets (1 s at 20,000, 5 s at 100,000) leave no room.
ENSEMBLE_BUDGET = 20_000
ENSEMBLE_RUNS = 16
ENSEMBLE_RESTARTS = 50
#: Up to this many statements, PCA diagonalises the statements × statements Gram matrix (cost
#: linear in participants, quadratic in statements); beyond it, Lanczos on the sparse matrix.
GRAM_MAX_STATEMENTS = 1500
#: Cells per dense block when building the Gram matrix (bounds the extra memory to ~16 MB).
BLOCK_CELLS = 4_000_000


def in_conversation(counts: IntArray, columns: int, keep: IntArray) -> IntArray:
    """Rows taken into the clustering: those with at least min(7, columns) votes, those kept
    from a previous run, then the heaviest voters until there are 15 (ties: the row first in
    canonical order, i.e. the smaller id, first)."""
    voted = counts > 0
    chosen = voted & (counts >= min(MIN_VOTES, columns))
    if keep.size:
        chosen[keep] = voted[keep]
    missing = GREEDY_PARTICIPANTS - int(chosen.sum())
    if missing > 0:
        candidates = np.flatnonzero(voted & ~chosen)
        # Stable sort on -count keeps row order (canonical: by id) among equal counts.
        order = candidates[np.argsort(-counts[candidates], kind="stable")]
        chosen[order[:missing]] = True
    return np.flatnonzero(chosen)


def project(
    indptr: IntArray,
    rows: IntArray,
    indices: npt.NDArray[np.int32],
    data: FloatArray,
    on_active: BoolArray,
    n_cols: int,
    zeroed: BoolArray,
) -> FloatArray:
    """Every participant's sparsity-aware position on the first two principal components.

    ``data`` is the vote of each stored entry with moderated-out statements already set to 0;
    ``on_active`` marks entries on statements that are not moderated out; ``zeroed`` marks the
    moderated-out columns someone voted on.

    The matrix PCA sees is the vote matrix with unseen cells imputed by their column's mean;
    centred, those cells are exactly 0, so the centred matrix is as sparse as the votes and is
    never built densely in full. A participant's projection sums only the statements they saw,
    then is scaled by sqrt(columns / votes) so that people who saw little are not all pulled
    to the centre (pca.clj, sparsity-aware-project-ptpt).
    """
    n_rows = indptr.size - 1
    column_votes = np.bincount(indices[on_active], minlength=n_cols)
    column_sums = np.bincount(indices, weights=data, minlength=n_cols)
    centre = column_sums / np.maximum(column_votes, 1)
    centred = np.where(on_active, data - centre[indices], 0.0)
    components = principal_components(indptr, rows, indices, centred, n_cols)
    projection = np.zeros((n_rows, 2))
    for c in range(components.shape[0]):
        projection[:, c] = np.bincount(
            rows, weights=centred * components[c, indices], minlength=n_rows
        )
    # A zeroed column is a 0 in every row of Pol.is's rating matrix, so it counts as a vote
    # (not a missing cell) for everyone; columns are those with at least one vote.
    columns = int(np.count_nonzero(column_votes) + zeroed.sum())
    votes = np.bincount(rows[on_active], minlength=n_rows) + int(zeroed.sum())
    projection *= np.sqrt(columns / np.maximum(votes, 1))[:, None]
    return projection


def principal_components(
    indptr: IntArray,
    rows: IntArray,
    indices: npt.NDArray[np.int32],
    centred: FloatArray,
    n_cols: int,
) -> FloatArray:
    """The top two principal axes (rows of the result; fewer if the data has fewer dimensions,
    zero where there is no variance) of the centred sparse matrix.

    Pol.is runs 100 steps of power iteration from a random start; the exact eigenvectors are
    what that converges to, so they are computed directly: deterministic and cheaper.
    """
    n_comps = min(2, n_cols)
    if n_comps == 0:
        return np.zeros((0, n_cols))
    if n_cols <= GRAM_MAX_STATEMENTS:
        gram = _gram(indptr, rows, indices, centred, n_cols)
        # Only the top two eigenpairs are needed; LAPACK's subset driver skips the rest.
        eigenvalues, eigenvectors = eigh(gram, subset_by_index=[n_cols - n_comps, n_cols - 1])
        values, vectors = eigenvalues[::-1], eigenvectors[:, ::-1].T
    else:
        values, vectors = _lanczos(indptr, indices, centred, n_cols, n_comps)
    scale = max(float(values.max(initial=0.0)), 1.0)
    components = np.zeros((n_comps, n_cols))
    for c in range(n_comps):
        if values[c] <= 1e-10 * scale:
            continue  # no variance left along this axis: a zero axis, as Pol.is's factor-matrix
        axis = vectors[c] / np.linalg.norm(vectors[c])
        # An eigenvector's sign is arbitrary; fix it so that runs are comparable.
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        components[c] = axis
    return components


def _gram(
    indptr: IntArray,
    rows: IntArray,
    indices: npt.NDArray[np.int32],
    centred: FloatArray,
    n_cols: int,
) -> FloatArray:
    """CᵀC of the centred matrix, built from dense blocks of rows (float32 products, float64
    sum), so memory stays bounded and the work is BLAS matrix products."""
    n_rows = indptr.size - 1
    gram = np.zeros((n_cols, n_cols))
    step = max(256, BLOCK_CELLS // max(n_cols, 1))
    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        first, last = int(indptr[start]), int(indptr[stop])
        if first == last:
            continue
        block = np.zeros((stop - start, n_cols), dtype=np.float32)
        block[rows[first:last] - start, indices[first:last]] = centred[first:last]
        gram += block.T @ block
    return gram


def _lanczos(
    indptr: IntArray,
    indices: npt.NDArray[np.int32],
    centred: FloatArray,
    n_cols: int,
    n_comps: int,
) -> tuple[FloatArray, FloatArray]:
    """Top eigenpairs of CᵀC by Lanczos on the sparse matrix, for very many statements."""
    matrix = csr_array((centred, indices, indptr), shape=(indptr.size - 1, n_cols))

    def gram_times(vector: FloatArray) -> FloatArray:
        product: FloatArray = matrix.T @ (matrix @ vector)
        return product

    operator = LinearOperator((n_cols, n_cols), matvec=gram_times, dtype=np.float64)
    start = np.full(n_cols, 1.0 / np.sqrt(n_cols))  # fixed start: deterministic
    values, vectors = eigsh(operator, k=n_comps, which="LA", v0=start)
    order = np.argsort(values)[::-1]
    return np.asarray(values[order]), np.asarray(vectors[:, order].T)


def no_spread(points: FloatArray) -> bool:
    """True when every point sits in the same place (nothing to split)."""
    if points.shape[0] < 2:
        return True
    spread = float(np.max(points.max(axis=0) - points.min(axis=0)))
    return spread <= 1e-9 * max(1.0, float(np.abs(points).max()))


@dataclass(frozen=True)
class Clustering:
    labels: IntArray  # group of each point, 0 = largest group
    base_count: int
    silhouettes: dict[int, float]


def ensemble_runs(participants: int) -> int:
    """How many independent runs :func:`cluster` makes for this many participants."""
    return max(1, min(ENSEMBLE_RUNS, ENSEMBLE_BUDGET // max(participants, 1)))


def cluster(points: FloatArray, *, seed: int) -> Clustering:
    """The opinion groups of the points: Pol.is's two-level k-means (:func:`cluster_once`),
    made stable over seeds by running it ``ensemble_runs`` times and letting each point vote.

    One run depends on its seed mostly through its base clusters (which 100 centres k-means
    lands on); on small conversations, where a base cluster is one or two people, that moves
    the groups' boundary from seed to seed (pairs of seeds agreeing at an adjusted Rand index
    down to 0.44 on 15-per-hour-seattle). So: run r uses seed ``seed`` (r = 0) or one drawn from
    (seed, r); the group count is the one most runs choose (ties: the smaller); the runs with
    that count have their group labels matched to a template (the most overlap, Hungarian
    method), and each point takes the group most of them give it (ties: the template's
    lowest label). Twice: the first vote, matched back to the runs, is the second's template,
    so the result does not hang on which run came first. With one run this is that run.
    """
    runs = ensemble_runs(points.shape[0])
    if runs == 1 or np.unique(points, axis=0).shape[0] <= BASE_CLUSTERS:
        # Up to 100 distinct positions, each is its own base cluster whatever the seed:
        # nothing for the runs to differ in but the restarts, which one run has plenty of.
        return cluster_once(points, seed=seed, restarts=GROUP_RESTARTS)
    found = [
        cluster_once(points, seed=_run_seed(seed, r), restarts=ENSEMBLE_RESTARTS)
        for r in range(runs)
    ]
    counts = [int(c.labels.max()) + 1 for c in found]
    k = max(sorted(set(counts)), key=counts.count)  # the most common; ties: the smaller
    chosen = [c for c, n in zip(found, counts, strict=True) if n == k]
    template = chosen[0].labels
    if k > 1:
        everyone = np.arange(points.shape[0])
        for _ in range(2):
            votes = np.zeros((points.shape[0], k))
            for c in chosen:
                votes[everyone, _matched(c.labels, template, k)] += 1
            template = np.asarray(votes.argmax(axis=1), dtype=np.int64)
    return Clustering(_by_size(template), chosen[0].base_count, chosen[0].silhouettes)


def _run_seed(seed: int, run: int) -> int:
    if run == 0:
        return seed
    return int(np.random.SeedSequence([seed, run]).generate_state(1)[0])


def _matched(labels: IntArray, template: IntArray, k: int) -> IntArray:
    """``labels`` renamed so that each group carries the template label it overlaps most
    (one to one, maximising the total overlap)."""
    overlap = np.zeros((k, k), dtype=np.int64)
    np.add.at(overlap, (labels, template), 1)
    rows, columns = linear_sum_assignment(-overlap)
    rename = np.empty(k, dtype=np.int64)
    rename[rows] = columns
    result: IntArray = rename[labels]
    return result


def cluster_once(points: FloatArray, *, seed: int, restarts: int) -> Clustering:
    """Two-level k-means as Pol.is does it: up to 100 base clusters of the participants, then
    groups of base clusters (weighted by their sizes) for k = 2 .. min(5, 2 + bases // 12),
    keeping the k with the best silhouette over the base-cluster centres."""
    base_labels, centres, sizes = _base_clusters(points, seed)
    n_bases = centres.shape[0]
    if n_bases < 2:  # every point in one place after all: one group
        return Clustering(np.zeros(points.shape[0], dtype=np.int64), n_bases, {})
    max_k = min(MAX_GROUPS, 2 + n_bases // BASES_PER_EXTRA_GROUP, n_bases)
    distances = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    silhouettes: dict[int, float] = {}
    best: IntArray = np.zeros(n_bases, dtype=np.int64)
    best_score = -np.inf
    for k in range(2, max_k + 1):
        group_of_base = _consensus_partition(centres, sizes, k, seed, restarts)
        score = silhouette(distances, group_of_base)
        silhouettes[k] = score
        if score > best_score:  # strict: on a tie the smaller k stays
            best, best_score = group_of_base, score
    labels = best[base_labels]
    return Clustering(_by_size(labels), n_bases, silhouettes)


def _base_clusters(points: FloatArray, seed: int) -> tuple[IntArray, FloatArray, FloatArray]:
    """k-means with k = min(100, distinct points), seeded k-means++ start. Returns each point's
    base cluster and the centres and sizes of the non-empty base clusters."""
    distinct = np.unique(points, axis=0)
    k = min(BASE_CLUSTERS, distinct.shape[0])
    if k == 1:
        return (
            np.zeros(points.shape[0], dtype=np.int64),
            distinct,
            np.array([points.shape[0]], float),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "fewer distinct clusters than k" is handled below
        model = KMeans(
            n_clusters=k, init="k-means++", n_init=1, max_iter=BASE_ITERATIONS, random_state=seed
        ).fit(points)
    labels = np.asarray(model.labels_, dtype=np.int64)
    sizes = np.bincount(labels, minlength=k)
    kept = np.flatnonzero(sizes)  # Pol.is drops clusters that end up empty
    renumber = np.full(k, -1, dtype=np.int64)
    renumber[kept] = np.arange(kept.size)
    return renumber[labels], np.asarray(model.cluster_centers_)[kept], sizes[kept].astype(float)


def _consensus_partition(
    centres: FloatArray, sizes: FloatArray, k: int, seed: int, restarts: int = GROUP_RESTARTS
) -> IntArray:
    """Groups of base clusters for one k: the consensus of many weighted k-means restarts.

    On real conversations the k-means objective is flat: a single run lands in one of several
    local optima within a fraction of a percent of the best, which split people differently
    (on vtaiwan.uberx, 2-group optima whose adjusted Rand index to Pol.is's groups ranges from
    0.65 to 0.96). Pol.is warm-starts every update from the previous one, so what it publishes
    is a partition that survives many small perturbations. The batch equivalent: run
    ``restarts`` seeded restarts and keep the restart whose partition agrees best, pair of
    participants by pair, with how often all the restarts put each pair together (the median
    partition under the Rand index, weighted by base-cluster sizes).
    """
    rng = np.random.default_rng([seed, k])
    labels = _weighted_lloyd(centres, sizes, k, rng, restarts)
    onehot = (labels[:, :, None] == np.arange(k)[None, None, :]).astype(np.float64)
    complete = onehot.sum(axis=1).min(axis=1) > 0  # restarts that kept all k groups
    if not complete.any():
        result: IntArray = labels[0]
        return result
    onehot, labels = onehot[complete], labels[complete]
    runs, n = labels.shape
    flat = onehot.transpose(1, 0, 2).reshape(n, runs * k)
    together = (flat @ flat.T) / runs  # share of restarts that put base clusters i, j together
    # Agreement of restart r with the co-association A, up to a constant:
    # sum over pairs of w_i w_j same_r(i, j) (2 A_ij - 1).
    pair_weights = np.outer(sizes, sizes) * (2.0 * together - 1.0)
    scores = (flat * (pair_weights @ flat)).sum(axis=0).reshape(runs, k).sum(axis=1)
    chosen: IntArray = labels[int(np.argmax(scores))]
    return chosen


def _weighted_lloyd(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator, restarts: int
) -> IntArray:
    """``restarts`` runs of weighted k-means at once (k-means++ seeding, Lloyd's iterations),
    vectorised over the runs; cheap because there are at most 100 points. Returns the labels
    of every run (restarts × points)."""
    n = points.shape[0]
    share = weights / weights.sum()
    centres = np.empty((restarts, k, points.shape[1]))
    centres[:, 0] = points[rng.choice(n, size=restarts, p=share)]
    nearest = ((points[None, :, :] - centres[:, None, 0, :]) ** 2).sum(axis=2)
    for c in range(1, k):
        # k-means++: the next centre is drawn with probability ∝ weight × squared distance.
        mass = nearest * weights[None, :]
        total = mass.sum(axis=1, keepdims=True)
        mass = np.where(total > 0, mass / np.where(total > 0, total, 1.0), 1.0 / n)
        draw = rng.random(restarts)[:, None]
        pick = np.minimum((np.cumsum(mass, axis=1) < draw).sum(axis=1), n - 1)
        centres[:, c] = points[pick]
        step = ((points[None, :, :] - centres[:, None, c, :]) ** 2).sum(axis=2)
        nearest = np.minimum(nearest, step)
    # Iterate with every restart's centres side by side, (restarts · k) columns, so that each
    # step is two plain matrix products rather than a loop over restarts.
    flat_centres = centres.reshape(restarts * k, points.shape[1])
    squared = (points**2).sum(axis=1)
    groups = np.arange(k)
    labels = np.full((n, restarts), -1, dtype=np.int64)
    for _ in range(GROUP_ITERATIONS):
        # |x - c|² = |x|² - 2 x·c + |c|²
        distance = (
            squared[:, None] - 2.0 * (points @ flat_centres.T) + (flat_centres**2).sum(axis=1)
        ).reshape(n, restarts, k)
        assigned = distance.argmin(axis=2)
        if np.array_equal(assigned, labels):
            break  # Lloyd's iterations have converged in every restart
        labels = assigned
        member = ((labels[:, :, None] == groups) * weights[:, None, None]).reshape(n, -1)
        mass = member.sum(axis=0)
        sums = member.T @ points
        # A group left empty keeps its centre (Pol.is drops it; here the restart is set aside).
        flat_centres = np.where(
            mass[:, None] > 0, sums / np.maximum(mass, 1e-300)[:, None], flat_centres
        )
    result: IntArray = np.ascontiguousarray(labels.T)
    return result


def silhouette(distances: FloatArray, labels: IntArray) -> float:
    """Mean silhouette over the points (here base-cluster centres, unweighted, as Pol.is). A
    point alone in its cluster scores 0; so does a point whose distances are all zero."""
    n = labels.size
    k = int(labels.max()) + 1 if n else 0
    if n < 2 or k < 2:
        return 0.0
    member = labels[:, None] == np.arange(k)[None, :]
    sizes = member.sum(axis=0)
    totals = distances @ member  # each point's summed distance to each cluster
    own = sizes[labels]
    a = totals[np.arange(n), labels] / np.maximum(own - 1, 1)
    mean_to = np.where(sizes > 0, totals / np.maximum(sizes, 1), np.inf)
    mean_to[np.arange(n), labels] = np.inf
    b = mean_to.min(axis=1)
    largest = np.maximum(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where((own > 1) & (largest > 0) & np.isfinite(b), (b - a) / largest, 0.0)
    return float(scores.mean())


def _by_size(labels: IntArray) -> IntArray:
    """Renumber groups so that 0 is the largest (ties: the group of the point first in
    canonical order)."""
    present = np.unique(labels)
    sizes = np.array([np.count_nonzero(labels == g) for g in present])
    firsts = np.array([np.argmax(labels == g) for g in present])
    order = np.lexsort((firsts, -sizes))
    renumber = np.empty(int(present.max()) + 1, dtype=np.int64)
    renumber[present[order]] = np.arange(present.size)
    result: IntArray = renumber[labels]
    return result
