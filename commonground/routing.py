"""Which statement a participant sees next.

Not a fixed order: the statements that need votes most come first, so a
conversation learns fast from people who vote on only a few. Each accepted
statement the participant has not voted on gets a weight, and one is drawn:

    weight = (1 + 8 / (1 + seen))²  ×  (1 − pass rate)  ×  (1 + spread)

- ``seen`` (votes so far): a statement few have seen is worth a lot more
  (a new statement with no votes weighs 81, one seen 100 times about 1.2);
- pass rate ((passes + 1) / (seen + 2)): a statement people keep passing on
  tells little;
- spread: how differently the opinion groups of the latest analysis agree
  with it (the largest minus the smallest group share agreeing, 0–1) — a
  statement that splits the groups, or that might bridge them, is worth
  hearing from more people.

This follows the spirit of Pol.is's comment routing (few votes and high
information first); the formula is ours. The draw is seeded by the
participant and how many votes they have cast, so a page reload shows the
same statement and tests are repeatable.
"""

from __future__ import annotations

import random
from typing import Any

from commonground.models import Conversation, Participant, Statement, StatementStatus, Vote


def weight(*, seen: int, passes: int, spread: float) -> float:
    pass_rate = (passes + 1) / (seen + 2)
    return float((1 + 8 / (1 + seen)) ** 2 * (1 - pass_rate) * (1 + spread))


def spreads(analysis_data: dict[str, Any]) -> dict[int, float]:
    """Each statement's spread of group agreement in a stored analysis."""
    counts = analysis_data.get("engine", {}).get("per_group_counts", {})
    found: dict[int, float] = {}
    for statement, by_group in counts.items():
        shares = [(g["agrees"] + 1) / (g["seen"] + 2) for g in by_group]
        found[int(statement)] = (max(shares) - min(shares)) if len(shares) > 1 else 0.0
    return found


def next_statement(
    conversation: Conversation, participant: Participant | None, *, spread: dict[int, float]
) -> Statement | None:
    candidates = Statement.objects.filter(
        conversation=conversation, status=StatementStatus.ACCEPTED
    )
    voted = 0
    if participant is not None:
        done = Vote.objects.filter(participant=participant).values("statement_id")
        candidates = candidates.exclude(pk__in=done)
        voted = participant.votes.count()
    found = list(candidates.order_by("number"))
    if not found:
        return None
    weights = [
        weight(seen=s.seen_count, passes=s.pass_count, spread=spread.get(s.pk, 0.0)) for s in found
    ]
    key = participant.key if participant is not None else "preview"
    draw = random.Random(f"{conversation.pk}:{key}:{voted}")
    chosen: Statement = draw.choices(found, weights=weights, k=1)[0]
    return chosen
