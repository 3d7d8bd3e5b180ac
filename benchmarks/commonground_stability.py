"""How stable the engine's opinion groups are on the Pol.is conversations: over seeds, over the
order the votes arrive in, and between the two files a Pol.is export gives the votes in.

For each conversation in ``POLIS_DATA`` (default ``../shared/data/polis``; each a Pol.is
open-data export, CC BY 4.0, The Computational Democracy Project):

* ``vs Pol.is`` — the adjusted Rand index (ARI) against Pol.is's own groups for seeds
  0 .. ``BENCH_SEEDS - 1`` (default 10): min, median, max;
* ``between seeds`` — the ARI between the partitions of every pair of seeds: min and median
  (1.000 everywhere means the seed does not change the groups);
* ``shuffled`` — the lowest ARI between the seed-0 partition and that of the same votes with
  the rows of votes.csv shuffled (``BENCH_SHUFFLES`` times, default 3) and with the votes read
  from participants-votes.csv instead (1.000: the order does not matter).

    .venv/bin/python benchmarks/commonground_stability.py
    BENCH_SEEDS=5 .venv/bin/python benchmarks/commonground_stability.py --markdown

Figures are reported, never asserted (the tests assert the order independence exactly).
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Hashable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from commonground.engine import analyse  # noqa: E402
from commonground.polis_data import PolisExport, read_export  # noqa: E402

DATA = Path(os.environ.get("POLIS_DATA", ROOT.parent / "shared" / "data" / "polis"))
SEEDS = int(os.environ.get("BENCH_SEEDS", "10"))
SHUFFLES = int(os.environ.get("BENCH_SHUFFLES", "3"))


def ari(a: Mapping[Hashable, int], b: Mapping[Hashable, int]) -> float:
    both = [p for p in a if p in b]
    return float(adjusted_rand_score([a[p] for p in both], [b[p] for p in both]))


def shuffled_copy(source: Path, target: Path, seed: int, *, table_only: bool = False) -> Path:
    """The export with the rows of its vote file shuffled (header first), or with
    participants-votes.csv as its only vote file."""
    target.mkdir()
    shutil.copy(source / "comments.csv", target / "comments.csv")
    if table_only:
        shutil.copy(source / "participants-votes.csv", target / "participants-votes.csv")
        return target
    lines = (source / "votes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines[1:]
    np.random.default_rng(seed).shuffle(body)  # type: ignore[arg-type]
    (target / "votes.csv").write_text(lines[0] + "".join(body), encoding="utf-8")
    return target


def groups_of(export: PolisExport, seed: int) -> dict[Hashable, int]:
    return analyse(export.matrix(), seed=seed).groups


def main() -> None:
    if not DATA.is_dir():
        raise SystemExit(f"no Pol.is data at {DATA} (set POLIS_DATA)")
    markdown = "--markdown" in sys.argv
    header = (
        "| conversation | vs Pol.is min | median | max | between seeds min | median "
        "| shuffled / other file |"
    )
    if markdown:
        print(header)
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    else:
        print(f"seeds 0..{SEEDS - 1}, {SHUFFLES} shuffles, data {DATA}")
        print(
            f"{'conversation':<28} {'Pol.is min':>10} {'median':>7} {'max':>6} "
            f"{'seeds min':>9} {'median':>7} {'shuffled':>8}"
        )
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        export = read_export(folder)
        by_seed = [groups_of(export, seed) for seed in range(SEEDS)]
        versus = [ari(g, export.polis_groups) for g in by_seed]
        between = [ari(a, b) for a, b in itertools.combinations(by_seed, 2)] or [1.0]
        orders = []
        with tempfile.TemporaryDirectory() as scratch:
            for i in range(SHUFFLES):
                copy = shuffled_copy(folder, Path(scratch) / f"shuffle{i}", seed=i)
                orders.append(ari(by_seed[0], groups_of(read_export(copy), 0)))
            if (folder / "participants-votes.csv").exists():
                copy = shuffled_copy(folder, Path(scratch) / "table", 0, table_only=True)
                orders.append(ari(by_seed[0], groups_of(read_export(copy), 0)))
        figures = (
            min(versus),
            statistics.median(versus),
            max(versus),
            min(between),
            statistics.median(between),
            min(orders),
        )
        if markdown:
            print(f"| {folder.name} | " + " | ".join(f"{x:.3f}" for x in figures) + " |")
        else:
            print(
                f"{folder.name:<28} {figures[0]:>10.3f} {figures[1]:>7.3f} {figures[2]:>6.3f} "
                f"{figures[3]:>9.3f} {figures[4]:>7.3f} {figures[5]:>8.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
