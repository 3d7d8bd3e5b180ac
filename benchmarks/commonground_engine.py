"""Benchmark of the common-ground engine alone (no database): time, memory and recovery of
planted groups on synthetic conversations of 1k, 5k, 20k and 100k participants × 300 statements.

Each size runs in a fresh subprocess (so one size's memory does not inflate the next):

* ``build`` — ``VoteMatrix.from_arrays`` on the votes as index arrays (the platform's path),
  and ``build_matrix`` on (participant, statement, vote) tuples for sizes up to 20k;
* ``analyse`` — the median of ``BENCH_REPEATS`` (default 5) runs of ``analyse``;
* ``peak MB`` — the largest memory Python allocated during one more ``analyse`` run
  (tracemalloc, which numpy reports to), and the process's maximum resident set size;
* ``ARI`` — adjusted Rand index of the groups found against the planted groups, over the
  participants placed in groups, beside the ceiling set by the votes themselves (``oracle``:
  each participant's most likely planted group given the planted probabilities).

    .venv/bin/python benchmarks/commonground_engine.py
    BENCH_SIZES=1000,5000 BENCH_REPEATS=3 .venv/bin/python benchmarks/commonground_engine.py

Figures are reported, never asserted.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,5000,20000,100000").split(",")]
STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "300"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
TUPLES_UP_TO = 20_000  # build_matrix from Python tuples is timed up to this size
SEED = 0


def measure(participants: int) -> dict[str, float | int]:
    """One size, in this process."""
    import numpy as np
    from commonground_seed import oracle_labels, synthetic
    from sklearn.metrics import adjusted_rand_score

    from commonground.engine import VoteMatrix, analyse, build_matrix

    data = synthetic(participants, STATEMENTS, seed=SEED)
    started = time.perf_counter()
    matrix = VoteMatrix.from_arrays(
        data.rows,
        data.columns,
        data.votes,
        participants=range(participants),
        statements=range(STATEMENTS),
    )
    build_arrays = time.perf_counter() - started
    build_tuples = float("nan")
    if participants <= TUPLES_UP_TO:
        triples = data.triples()
        started = time.perf_counter()
        build_matrix(triples, statements=range(STATEMENTS))
        build_tuples = time.perf_counter() - started
        del triples
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        analysis = analyse(matrix, seed=SEED)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    analyse(matrix, seed=SEED)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    placed = np.fromiter(analysis.groups, dtype=np.int64)
    found = np.fromiter(analysis.groups.values(), dtype=np.int64)
    return {
        "participants": participants,
        "votes": int(data.votes.size),
        "placed": int(placed.size),
        "groups": analysis.group_count,
        "build_arrays_s": build_arrays,
        "build_tuples_s": build_tuples,
        "analyse_s": statistics.median(times),
        "analyse_min_s": min(times),
        "peak_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ari": float(adjusted_rand_score(data.planted[placed], found)),
        "oracle_ari": float(adjusted_rand_score(data.planted[placed], oracle_labels(data)[placed])),
    }


def run_size(participants: int) -> dict[str, float | int]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(participants)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float | int] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    print(
        f"common-ground engine, {STATEMENTS} statements, seed {SEED}, "
        f"median of {REPEATS} runs, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'participants':>12} {'votes':>10} {'placed':>8} {'k':>2} {'from arrays s':>13} "
        f"{'from tuples s':>13} {'analyse s':>9} {'peak MB':>8} {'max RSS MB':>10} "
        f"{'ARI planted':>11} {'oracle ARI':>10}"
    )
    print(header)
    print("-" * len(header))
    results = []
    for size in SIZES:
        r = run_size(size)
        results.append(r)
        tuples = "—" if r["build_tuples_s"] != r["build_tuples_s"] else f"{r['build_tuples_s']:.2f}"
        print(
            f"{r['participants']:>12,} {r['votes']:>10,} {r['placed']:>8,} {r['groups']:>2} "
            f"{r['build_arrays_s']:>13.3f} {tuples:>13} {r['analyse_s']:>9.3f} "
            f"{r['peak_mb']:>8.0f} {r['max_rss_mb']:>10.0f} {r['ari']:>11.3f} "
            f"{r['oracle_ari']:>10.3f}",
            flush=True,
        )
    # Growth between successive sizes as an exponent: 1.0 is linear in participants (fixed
    # costs, like the group step on at most 100 base clusters, pull small sizes below it).
    for small, large in itertools.pairwise(results):
        exponent = math.log(large["analyse_s"] / small["analyse_s"]) / math.log(
            large["participants"] / small["participants"]
        )
        print(
            f"time grows as participants^{exponent:.2f} from {small['participants']:,} "
            f"to {large['participants']:,}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()
