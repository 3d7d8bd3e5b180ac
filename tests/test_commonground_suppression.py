"""An opinion group's make-up: a table whose row totals (the groups' sizes)
are published and whose column totals (a conversation's voters per partner
type or segment) are published nowhere. ``suppress_rows`` hides only the
small cells and the fewest cells that would give them away; an independent
linear-programming attack on everything it shows must never pin down a cell
of 1–4 people — nor a column total of 1–4 — and nothing shown is 1–4."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from partnerships.suppression import MIN_CELL, TOTAL, suppress_rows

CATEGORIES = ("company", "community", "government", "-")


def attack(
    table: dict[str, dict[str, int]], shown: dict[str, dict[str, int | None]]
) -> list[tuple[str, str, int]]:
    """Every small cell, row total or column total that the published numbers
    (cells and row totals; never column totals) pin down exactly."""
    rows = sorted(table)
    space = list(itertools.product(rows, CATEGORIES))
    a_eq, b_eq = [], []
    for row in rows:
        for category in (*CATEGORIES, TOTAL):
            value = shown[row].get(category, 0)
            if value is None:
                continue
            a_eq.append(
                [
                    1.0 if r == row and (category == TOTAL or c == category) else 0.0
                    for r, c in space
                ]
            )
            b_eq.append(value)
    truth: dict[tuple[str, str], int] = {}
    for row in rows:
        for category in CATEGORIES:
            truth[(row, category)] = table[row].get(category, 0)
        truth[(row, TOTAL)] = sum(table[row].values())
    for category in CATEGORIES:
        truth[("*", category)] = sum(table[r].get(category, 0) for r in rows)
    exposed = []
    for (row, category), n in truth.items():
        if not 0 < n < MIN_CELL:
            continue
        objective = np.array(
            [
                1.0 if row in ("*", r) and (category == TOTAL or c == category) else 0.0
                for r, c in space
            ]
        )
        if not a_eq:
            continue  # nothing published: nothing is bounded
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)  # the truth is feasible
        if high.status == 0 and -high.fun - low.fun < 1e-6:
            exposed.append((row, category, n))
    return exposed


def tables() -> st.SearchStrategy[dict[str, dict[str, int]]]:
    cell = st.one_of(st.integers(0, 6), st.integers(0, 40))
    row = st.fixed_dictionaries({c: cell for c in CATEGORIES})
    return st.dictionaries(st.sampled_from(["0", "1", "2", "3"]), row, min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_it_never_reveals_a_small_cell_of_an_opinion_groups_make_up(
    table: dict[str, dict[str, int]],
) -> None:
    shown = suppress_rows(table, CATEGORIES)
    published = [n for line in shown.values() for n in line.values() if n is not None]
    assert not [n for n in published if 0 < n < MIN_CELL], "a published number under 5"
    assert not attack(table, shown), "a small cell pinned down"
    # Group sizes stay published: a row of 5 or more is never hidden to protect another.
    for row, counts in table.items():
        size = sum(counts.values())
        assert shown[row][TOTAL] == (None if 0 < size < MIN_CELL else size)


def test_it_hides_only_the_small_cell_and_its_complement() -> None:
    # The demo's case: 197 community members in the largest group, 2 in the other.
    shown = suppress_rows(
        {"0": {"community": 197, "company": 30}, "1": {"community": 2, "company": 40}},
        ["community", "company"],
    )
    assert shown["0"] == {"community": 197, "company": 30, TOTAL: 227}
    assert shown["1"] == {"community": None, "company": None, TOTAL: 42}


def test_it_hides_a_row_whose_total_is_hidden_elsewhere() -> None:
    shown = suppress_rows(
        {"0": {"community": 20, "company": 30}, "1": {"community": 12, "company": 9}},
        ["community", "company"],
        hidden_rows=["1"],
    )
    assert shown["0"][TOTAL] == 50 and shown["1"] == dict.fromkeys(
        ["community", "company", TOTAL], None
    )
