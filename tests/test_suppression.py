"""Small-cell suppression is proven on random microdata: every table a viewer
could ask for (each subset of attributes, with its group totals) is published
at once, and an independent linear-programming attack on all of them must never
pin down a cell of 1–4 people, in any cross-tabulation (finer ones included)."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from partnerships import suppression
from partnerships.suppression import MIN_CELL, Refused, suppress

# Pure computation, no database: CI runs it once, on SQLite, not again on PostgreSQL.
pytestmark = pytest.mark.database_free

CATEGORIES = ("a", "b", "c")


def finest_of(people: list[tuple[tuple[str, ...], str]]) -> dict[tuple[str, ...], dict[str, int]]:
    finest: dict[tuple[str, ...], dict[str, int]] = {}
    for group, category in people:
        finest.setdefault(group, dict.fromkeys(CATEGORIES, 0))[category] += 1
    return finest


def published_numbers(publication, values):
    """What a viewer sees in every table: (subset, group, category or None) → number.
    Groups absent from a table are empty and shown as such (zero)."""
    seen = {}
    for subset, table in publication.tables.items():
        for group in itertools.product(*[values[i] for i in subset]):
            total = table.totals.get(group, 0)
            if total is None:
                continue  # a hidden group: nothing of it is shown
            seen[(subset, group, None)] = total
            for category in CATEGORIES:
                n = table.cells.get((group, category), 0)
                if n is not None:
                    seen[(subset, group, category)] = n
    return seen


def attack(people, nvars, publication):
    """For every cell of every cross-tabulation counting 1–4 people: its least
    and greatest value under all published numbers (and non-negativity)."""
    values = [sorted({g[i] for g, _ in people}) for i in range(nvars)]
    space = [(g, c) for g in itertools.product(*values) for c in CATEGORIES]
    seen = published_numbers(publication, values)

    def member(cell, g, c):
        subset, group, category = cell
        return tuple(g[i] for i in subset) == group and category in (None, c)

    a_eq = np.zeros((max(len(seen), 1), len(space)))
    b_eq = np.zeros(max(len(seen), 1))
    for row, (cell, value) in enumerate(seen.items()):
        a_eq[row] = [1.0 if member(cell, g, c) else 0.0 for g, c in space]
        b_eq[row] = value
    truth = Counter()
    for g, c in people:
        for size in range(nvars + 1):
            for subset in itertools.combinations(range(nvars), size):
                key = tuple(g[i] for i in subset)
                truth[(subset, key, None)] += 1
                truth[(subset, key, c)] += 1
    exposed = []
    for cell, n in truth.items():
        if not 0 < n < MIN_CELL:
            continue
        objective = np.array([1.0 if member(cell, g, c) else 0.0 for g, c in space])
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)  # the truth is feasible
        if high.status == 0 and -high.fun - low.fun < 1e-6:
            exposed.append((cell, n))
    return seen, exposed


def microdata(nvars: int):
    group = st.tuples(*[st.sampled_from(["x", "y", "z"][: 2 + (i % 2)]) for i in range(nvars)])
    person = st.tuples(group, st.sampled_from(CATEGORIES))
    return st.lists(person, min_size=0, max_size=45)


def check(people, nvars, max_by):
    publication = suppress(
        finest_of(people), [f"v{i}" for i in range(nvars)], CATEGORIES, max_by=max_by
    )
    seen, exposed = attack(people, nvars, publication)
    assert not [n for n in seen.values() if 0 < n < MIN_CELL], "a published number under 5"
    assert not exposed, f"cells pinned down: {exposed}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata(2))
def test_it_never_reveals_a_small_cell_with_two_attributes(people):
    check(people, 2, 2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata(3))
def test_it_never_reveals_a_small_cell_with_three_attributes(people):
    check(people, 3, 3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata(4))
def test_it_never_reveals_a_finer_cell_than_may_be_asked_for(people):
    # Four attributes, at most two at once: the three- and four-way cells must hold too.
    check(people, 4, 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata(3), microdata(3), st.booleans())
def test_it_never_reveals_a_small_cell_when_it_keeps_the_last_pattern(earlier, later, audit):
    # A refresh keeps the pattern of the last publication (fewer respondents)
    # and adds what the new counts require: the result must hold by itself,
    # against the same attack, with the audit and with the line rules alone.
    names = ["v0", "v1", "v2"]
    last = suppress(finest_of(earlier), names, CATEGORIES, audit=audit)
    people = earlier + later
    publication = suppress(finest_of(people), names, CATEGORIES, previous=last.hidden, audit=audit)
    seen, exposed = attack(people, 3, publication)
    assert not [n for n in seen.values() if 0 < n < MIN_CELL], "a published number under 5"
    assert not exposed, f"cells pinned down: {exposed}"
    still_there = {cell for cell in last.hidden if cell[1] in publication.tables[cell[0]].totals}
    assert still_there <= publication.hidden  # what was hidden stays hidden
    assert not suppression.problems(finest_of(people), names, CATEGORIES, publication.hidden)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata(3), microdata(3), st.booleans())
def test_it_never_reveals_a_small_cell_when_it_starts_from_the_last_pattern(earlier, later, audit):
    # The refresh's warm start: the last pattern minus what no longer needs
    # hiding, completed. It must hold by itself against the same attack.
    names = ["v0", "v1", "v2"]
    last = suppress(finest_of(earlier), names, CATEGORIES, audit=audit)
    people = earlier + later
    publication = suppress(finest_of(people), names, CATEGORIES, last=last.last(), audit=audit)
    seen, exposed = attack(people, 3, publication)
    assert not [n for n in seen.values() if 0 < n < MIN_CELL], "a published number under 5"
    assert not exposed, f"cells pinned down: {exposed}"
    assert not suppression.problems(finest_of(people), names, CATEGORIES, publication.hidden)


def test_it_lets_cells_out_of_hiding_when_counts_grow_from_the_last_pattern():
    # At 10 people the men (3) are hidden, and the women (7) with them (10 - 7
    # would give 3). At 40 both groups are large: a kept pattern would hide
    # them still; the warm start shows them, as a search from scratch does.
    earlier = [(("woman",), "a")] * 7 + [(("man",), "b")] * 3
    later = earlier + [(("woman",), "b")] * 13 + [(("man",), "a")] * 17
    last = suppress(finest_of(earlier), ["gender"], CATEGORIES, audit=False)
    assert {((0,), ("man",), None), ((0,), ("woman",), None)} <= last.hidden
    scratch = suppress(finest_of(later), ["gender"], CATEGORIES, audit=False)
    kept = suppress(finest_of(later), ["gender"], CATEGORIES, previous=last.hidden, audit=False)
    warm = suppress(finest_of(later), ["gender"], CATEGORIES, last=last.last(), audit=False)
    assert ((0,), ("man",), None) in kept.hidden
    assert warm.warm
    assert warm.hidden == scratch.hidden
    assert warm.table(["gender"]).totals == {("man",): 20, ("woman",): 20}


def test_it_hides_the_difference_between_women_and_young_women():
    people = [(("woman", "18-29"), "a")] * 9 + [(("woman", "30-44"), "a")] * 2
    people += [(("man", "18-29"), "b")] * 8 + [(("man", "30-44"), "b")] * 7
    publication = suppress(finest_of(people), ["gender", "age_band"], CATEGORIES)
    by_both = publication.table(["gender", "age_band"])
    assert by_both.totals[("woman", "30-44")] is None
    women_total = publication.table(["gender"]).totals[("woman",)]
    young_women = by_both.totals[("woman", "18-29")]
    # Either the women's total or the young women's is hidden: no subtraction gives 2.
    assert women_total is None or young_women is None


def test_it_refuses_more_than_three_variables_and_repeats():
    variables = ["segment", "gender", "age_band", "locality", "partner_type"]
    with pytest.raises(Refused):
        suppression.subset_of(variables, ["segment", "gender", "age_band", "locality"])
    with pytest.raises(Refused):
        suppression.subset_of(variables, ["gender", "gender"])
    with pytest.raises(Refused):
        suppression.subset_of(variables, ["shoe_size"])


def test_it_suppresses_a_line_as_the_lp_audit_would_without_running_it() -> None:
    import random

    from partnerships.suppression import TOTAL, suppress, suppress_line

    rng = random.Random(13)
    for _ in range(300):
        categories = [f"c{i}" for i in range(rng.randint(1, 6))]
        counts = {c: rng.choice([0, 1, 2, 3, 4, 5, 7, 12, 40]) for c in categories}
        audited = suppress({(): counts}, [], categories, max_by=0, audit=True).tables[()]
        line = suppress_line({**counts, TOTAL: sum(counts.values())})
        assert line == {
            **{c: audited.cells.get(((), c), 0) for c in categories},
            TOTAL: audited.totals.get((), 0),
        }
