"""An opinion group's make-up: a table whose row totals (the groups' sizes)
are published and whose column totals (a conversation's voters per partner
type or segment) are published nowhere. ``suppress_rows`` hides only the
small cells and the fewest cells that would give them away; an independent
linear-programming attack on everything it shows must never pin down a cell
of 1–4 people — nor a column total of 1–4 — and nothing shown is 1–4."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from partnerships.suppression import MIN_CELL, TOTAL, suppress_rows

CATEGORIES = ("company", "community", "government", "-")


def attack(
    table: dict[str, dict[str, int]],
    shown: dict[str, dict[str, int | None]],
    categories: tuple[str, ...] = CATEGORIES,
) -> list[tuple[str, str, int]]:
    """Every small cell, row total or column total that the published numbers
    (cells and row totals; never column totals) pin down exactly."""
    rows = sorted(table)
    space = list(itertools.product(rows, categories))
    a_eq, b_eq = [], []
    for row in rows:
        for category in (*categories, TOTAL):
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
        for category in categories:
            truth[(row, category)] = table[row].get(category, 0)
        truth[(row, TOTAL)] = sum(table[row].values())
    for category in categories:
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


# --- On the platform: a conversation's voters per partner type and segment --------------


def made_up_conversation(world: Any) -> Any:
    """Two camps of 24 and 23 people whose partner types and segments cut
    across the camps: voters per partner type and per segment are 19, 25 and
    3 (company, community, government) and 15, 10 and 22 (women, youth, none)."""
    import random

    from commonground import services
    from commonground.models import ConversationStatus, Participant, Statement
    from stakeholders.models import Segment
    from tests.test_commonground_groups import camp_votes

    c = services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Who is in which camp"}
    )
    for i in range(6):  # the statements on which the camps are sure (see camp_votes)
        services.add_statement(
            conversation=c, text=f"Camp statement {i + 1}", seed=True, actor=world.facilitator
        )
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    c.refresh_from_db()
    women = Segment.objects.get(partnership=world.own, code="women")
    youth = Segment.objects.get(partnership=world.own, code="youth")
    camps = (
        [("company", None)] * 13
        + [("community", women)] * 6
        + [("community", youth)] * 2
        + [("government", None)] * 3,
        [("community", women)] * 9 + [("community", youth)] * 8 + [("company", None)] * 6,
    )
    rng = random.Random(11)
    statements = {s.number: s for s in Statement.objects.filter(conversation=c)}
    for camp, people in enumerate(camps):
        for i, (partner_type, segment) in enumerate(people):
            person = Participant.objects.create(
                partnership=world.own,
                conversation=c,
                key=f"made-{camp}-{i}",
                partner_type=partner_type,
                segment=segment,
            )
            for number, statement in statements.items():
                services.record_vote(
                    participant=person, statement=statement, choice=camp_votes(camp, number, i, rng)
                )
    return c


def _numbers(value: Any) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_numbers(v) for v in value)) if value else set()
    return set()


def test_it_publishes_no_voter_total_per_partner_type_or_segment(world: Any) -> None:
    import re

    from django.test import Client
    from django.urls import reverse

    from accounts.models import ApiToken
    from commonground import analysis
    from commonground.models import Participant

    c = made_up_conversation(world)
    found = analysis.analyse(c.pk)
    assert found is not None and found.state == "groups"
    groups = found.data["published"]["groups"]
    assert sorted(g["size"] for g in groups) == [23, 24]
    # Most of the make-up is shown: only small cells and their complements are hidden.
    shown_cells = [n for g in groups for n in g["partner_type"].values()]
    assert 13 in shown_cells and 17 in shown_cells
    totals = {19, 25, 15, 10, 22}  # per partner type and per segment (3: too small to search)
    kwargs = {"slug": world.own.slug, "conversation_id": c.public_id}
    seen: set[int] = set()
    for persona in ("facilitator", "participant", "observer"):
        client = world.client_for(persona)
        for url in (
            reverse("commonground:list", kwargs={"slug": world.own.slug}),
            reverse("commonground:detail", kwargs=kwargs),
            reverse("commonground:results", kwargs=kwargs),
            reverse("goals:create", kwargs={"slug": world.own.slug}),
        ):
            response = client.get(url)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            text = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
            seen.update(int(n) for n in re.findall(r"(?<![\d.,:])\d+(?![\d.,:])", text))
    _token, raw = ApiToken.issue(user=world.observer, name="totals")
    base = f"/api/v1/partnerships/{world.own.slug}/conversations"
    for url in (base, f"{base}/{c.public_id}/groups"):
        seen |= _numbers(Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").json())
    assert not totals & seen, f"voter totals published: {totals & seen}"
    # And the LP attack on each make-up table, from exact counts and what was published.
    membership = {int(k): v for k, v in found.membership["groups"].items()}
    people = Participant.objects.filter(pk__in=list(membership)).values_list(
        "pk", "partner_type", "segment_id"
    )
    for name in ("partner_type", "segment"):
        table: dict[str, dict[str, int]] = {}
        for pk, partner_type, segment in people:
            code = partner_type if name == "partner_type" else str(segment or "-")
            row = table.setdefault(str(membership[pk]), {})
            row[code] = row.get(code, 0) + 1
        categories = tuple(sorted({code for row in table.values() for code in row}))
        published = {str(i): {**g[name], TOTAL: g["size"]} for i, g in enumerate(groups)}
        assert not attack(table, published, categories), name
