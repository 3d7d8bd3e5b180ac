"""The common-ground engine beside red-dwarf 0.4.0 (polis-community/red-dwarf, a Python
re-implementation of the Pol.is math), on the six Pol.is open-data conversations and on the
synthetic conversations of ``commonground_seed.py``.

red-dwarf is never a dependency of the platform: this script makes its own virtual environment
(``REDDWARF_VENV``, default /tmp/reddwarf-venv; ``python3 -m venv`` then
``pip install red-dwarf==0.4.0``) and runs red-dwarf there, in a subprocess with a one-minute
timeout (``REDDWARF_TIMEOUT``). Both engines get the same votes (each participant's latest
vote per statement), the same moderated-out statements and the same seed.

For each conversation: both engines' group counts; each one's adjusted Rand index (ARI)
against Pol.is's own groups (``group-id`` in participants-votes.csv), over the participants
both place in groups; the ARI between the two engines; their times (ours: ``build_matrix``
on the vote tuples plus ``analyse``, median of three; red-dwarf: ``run_pipeline``, which
takes vote dicts) and the ratio. Then our ARI over ten seeds, since k-means depends on it.
On synthetic conversations the reference is the planted groups instead of Pol.is's.

    .venv/bin/python benchmarks/commonground_reddwarf.py
    BENCH_SIZES=1000,5000 .venv/bin/python benchmarks/commonground_reddwarf.py --synthetic-only
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import numpy as np  # noqa: E402
from commonground_seed import synthetic  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from commonground.engine import Analysis, VoteMatrix, analyse, build_matrix  # noqa: E402
from commonground.polis_data import read_export  # noqa: E402

VENV = Path(os.environ.get("REDDWARF_VENV", "/tmp/reddwarf-venv"))
VERSION = "0.4.0"
TIMEOUT = float(os.environ.get("REDDWARF_TIMEOUT", "60"))
DATA = Path(os.environ.get("POLIS_DATA", ROOT.parent / "shared" / "data" / "polis"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,5000,20000,100000").split(",")]
SEED = int(os.environ.get("BENCH_SEED", "0"))
SEEDS_SHOWN = 10

# Runs inside red-dwarf's venv: reads the votes (.npy: participant, statement, vote rows) and
# the options (.json), prints the groups and the time run_pipeline took.
WORKER = """
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from reddwarf.implementations.polis import run_pipeline
table = np.load(sys.argv[1])
options = json.load(open(sys.argv[2]))
votes = [
    {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": i}
    for i, (p, s, v) in enumerate(table.tolist())
]
started = time.perf_counter()
result = run_pipeline(votes=votes, mod_out_statement_ids=options["mod_out"],
                      random_state=options["seed"])
seconds = time.perf_counter() - started
labels = {str(p): int(g) for p, g in result.participants_df["cluster_id"].dropna().items()}
print(json.dumps({"labels": labels, "seconds": seconds}))
"""


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"making {VENV} with red-dwarf=={VERSION} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"red-dwarf=={VERSION}"], check=True
        )
    return python


def red_dwarf(
    python: Path, cells: np.ndarray, moderated_out: Sequence[int], seed: int
) -> dict[str, Any] | None:
    """red-dwarf's groups ({participant: group}) and time, or None if it ran out of time."""
    with tempfile.TemporaryDirectory() as scratch:
        table, options = Path(scratch) / "votes.npy", Path(scratch) / "options.json"
        np.save(table, cells)
        options.write_text(json.dumps({"mod_out": sorted(moderated_out), "seed": seed}))
        try:
            done = subprocess.run(
                [str(python), "-c", WORKER, str(table), str(options)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=True,
            )
        except subprocess.TimeoutExpired:
            return None
        except subprocess.CalledProcessError as error:
            raise SystemExit(f"red-dwarf failed:\n{error.stderr[-3000:]}") from None
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["labels"] = {int(p): g for p, g in found["labels"].items()}
    return found


def cells_of(matrix: VoteMatrix) -> np.ndarray:
    """Each participant's latest vote per statement as (participant, statement, vote) rows."""
    people = np.asarray(matrix.participants, dtype=np.int64)
    items = np.asarray(matrix.statements, dtype=np.int64)
    rows = matrix.entry_rows()
    return np.column_stack([people[rows], items[matrix.indices], matrix.data.astype(np.int64)])


def ours(triples: list[tuple[int, int, int]], statements: Sequence[int],
         moderated_out: Sequence[int], seed: int) -> tuple[Analysis, float]:  # fmt: skip
    times, analysis = [], None
    for _ in range(3):
        started = time.perf_counter()
        matrix = build_matrix(triples, statements=statements, moderated_out=moderated_out)
        analysis = analyse(matrix, seed=seed)
        times.append(time.perf_counter() - started)
    assert analysis is not None
    return analysis, statistics.median(times)


def ari(a: dict[Hashable, int], b: dict[Hashable, int]) -> tuple[float, int]:
    both = [p for p in a if p in b]
    if not both:
        return float("nan"), 0
    return float(adjusted_rand_score([a[p] for p in both], [b[p] for p in both])), len(both)


HEADER = (
    f"{'conversation':<28} {'placed':>7} {'k ours':>6} {'k rd':>4} {'ours~ref':>8} "
    f"{'rd~ref':>7} {'ours~rd':>7} {'ours s':>7} {'rd s':>7} {'rd/ours':>7}"
)


def row(name: str, placed: int, mine: Analysis, seconds: float, other: dict[str, Any] | None,
        reference: dict[Hashable, int]) -> str:  # fmt: skip
    mine_ref, _ = ari(mine.groups, reference)
    if other is None:
        return (
            f"{name:<28} {placed:>7,} {mine.group_count:>6} {'—':>4} {mine_ref:>8.3f} "
            f"{'—':>7} {'—':>7} {seconds:>7.3f} {'>' + str(int(TIMEOUT)):>7} {'—':>7}"
        )
    labels = other["labels"]
    rd_ref, _ = ari(labels, reference)
    between, _ = ari(dict(mine.groups), labels)
    return (
        f"{name:<28} {placed:>7,} {mine.group_count:>6} {len(set(labels.values())):>4} "
        f"{mine_ref:>8.3f} {rd_ref:>7.3f} {between:>7.3f} {seconds:>7.3f} "
        f"{other['seconds']:>7.3f} {other['seconds'] / seconds:>7.1f}"
    )


def polis_conversations(python: Path) -> None:
    if not DATA.is_dir():
        print(f"(no Pol.is data at {DATA}; skipped)")
        return
    print(f"\nPol.is open data (reference: Pol.is's own groups), seed {SEED}")
    print(HEADER)
    print("-" * len(HEADER))
    spreads = []
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        export = read_export(folder)
        matrix = export.matrix()
        moderated = sorted(export.moderated_out)
        mine, seconds = ours(list(export.votes), export.statement_ids, moderated, SEED)
        other = red_dwarf(python, cells_of(matrix), moderated, SEED)
        placed = ari(mine.groups, export.polis_groups)[1]
        print(row(folder.name, placed, mine, seconds, other, dict(export.polis_groups)))
        by_seed = [
            ari(analyse(matrix, seed=s).groups, export.polis_groups)[0] for s in range(SEEDS_SHOWN)
        ]
        floor = ari(other["labels"], export.polis_groups)[0] if other else float("nan")
        spreads.append(
            f"{folder.name:<28} min {min(by_seed):.3f}  median {statistics.median(by_seed):.3f}  "
            f"max {max(by_seed):.3f}  seeds at or above red-dwarf: "
            f"{sum(x >= floor - 1e-5 for x in by_seed)}/{SEEDS_SHOWN}"
        )
    print(f"\nours~Pol.is over seeds 0..{SEEDS_SHOWN - 1} (red-dwarf does not depend on the seed)")
    print("\n".join(spreads))


def synthetic_conversations(python: Path) -> None:
    print(f"\nsynthetic, 300 statements (reference: the planted groups), seed {SEED}")
    print(HEADER)
    print("-" * len(HEADER))
    for size in SIZES:
        data = synthetic(size, seed=SEED)
        triples = data.triples()
        mine, seconds = ours(triples, range(data.statements), [], SEED)
        matrix = VoteMatrix.from_arrays(
            data.rows, data.columns, data.votes,
            participants=range(size), statements=range(data.statements),
        )  # fmt: skip
        other = red_dwarf(python, cells_of(matrix), [], SEED)
        planted = dict(enumerate(data.planted.tolist()))
        print(row(f"synthetic {size:,}", mine.participants_in, mine, seconds, other, planted))


def main() -> None:
    python = ensure_venv()
    print(f"red-dwarf {VERSION} in {VENV}; timeout {TIMEOUT:.0f} s; {os.cpu_count()} CPUs")
    if "--synthetic-only" not in sys.argv:
        polis_conversations(python)
    if "--polis-only" not in sys.argv:
        synthetic_conversations(python)


if __name__ == "__main__":
    main()
