"""Running the engine on a conversation and storing what it found.

``analyse(conversation_id)`` reads the current votes (one row per participant
and statement), runs ``commonground.engine`` (pure numerics), and stores a new
numbered ``Analysis`` with, beyond the engine's own output:

- each opinion group's **make-up by partner type and by segment** — does a
  group mean "the company", or does it cut across constituencies? Counts of
  people, so they go through the suppression every count of people goes
  through (a make-up cell of 1–4 people is hidden, and so is what would
  reveal it);
- the **bridging statements**: accepted statements ranked by group-aware
  consensus (agreement that holds in every group at once), with each group's
  share agreeing.

A burst of votes makes one analysis: ``analyse_later`` queues the task unless
one is queued already, and the task releases that lock as it starts.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from commonground.models import (
    Analysis,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from partnerships.suppression import is_small, suppress

LOCK_TTL = 15 * 60
SEED = 0  # the engine is deterministic for a given seed; one seed for every run
BRIDGING_SHOWN = 10
NOT_STATED = "-"


def lock_key(conversation_id: int) -> str:
    return f"commonground-analysis-queued:{conversation_id}"


def analyse_later(conversation_id: int) -> bool:
    from commonground.tasks import analyse_conversation

    if not cache.add(lock_key(conversation_id), True, LOCK_TTL):
        return False
    try:
        analyse_conversation.enqueue(conversation_id)
    except Exception:
        cache.delete(lock_key(conversation_id))
        raise
    return True


def analysis_pending(conversation_id: int) -> bool:
    return bool(cache.get(lock_key(conversation_id)))


def latest(conversation: Conversation) -> Analysis | None:
    """The latest analysis, without who is in which group (pages never need it)."""
    found: Analysis | None = (
        Analysis.objects.filter(conversation=conversation)
        .defer("membership")
        .order_by("-version")
        .first()
    )
    return found


def analyse(conversation_id: int) -> Analysis:
    conversation = Conversation.objects.get(pk=conversation_id)
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=StatementStatus.PENDING)
        .values_list("pk", "status")
    )
    moderated_out = [pk for pk, status in statements if status != StatementStatus.ACCEPTED]
    votes = list(
        Vote.objects.filter(
            conversation=conversation,
            statement__status__in=[
                StatementStatus.ACCEPTED,
                StatementStatus.REJECTED,
                StatementStatus.META,
            ],
        ).values_list("participant_id", "statement_id", "choice")
    )
    previous = Analysis.objects.filter(conversation=conversation).order_by("-version").first()
    keep = [int(k) for k in (previous.membership.get("groups", {}) if previous else {})]
    from commonground import engine  # numpy and scikit-learn: loaded by the worker only

    started = time.perf_counter()
    # One row per participant and statement (the latest vote), so the engine's
    # fast path from index arrays applies: participants and statements in id order.
    table = np.fromiter(
        itertools.chain.from_iterable(votes), dtype=np.int64, count=3 * len(votes)
    ).reshape(-1, 3)
    people, rows = np.unique(table[:, 0], return_inverse=True)
    columns = np.array(sorted(pk for pk, _status in statements), dtype=np.int64)
    matrix = engine.VoteMatrix.from_arrays(
        rows,
        np.searchsorted(columns, table[:, 1]),
        table[:, 2],
        participants=people.tolist(),
        statements=columns.tolist(),
        moderated_out=moderated_out,
    )
    result = engine.analyse(matrix, seed=SEED, keep=keep)
    elapsed = (time.perf_counter() - started) * 1000
    found = result.to_dict()
    groups = {int(str(k)): int(v) for k, v in result.groups.items()}
    # Who is in which group, and where: large (one entry per participant), so
    # kept apart from what the pages read.
    membership = {"groups": found.pop("groups"), "coordinates": found.pop("coordinates")}
    data = {
        "engine": found,
        "composition": _composition(groups),
        "bridging": _bridging(result),
    }
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        version = (
            Analysis.objects.filter(conversation=locked).aggregate(n=Max("version"))["n"] or 0
        ) + 1
        return Analysis.objects.create(
            partnership_id=locked.partnership_id,
            conversation=locked,
            version=version,
            votes_seen=len(votes),
            participants_seen=result.participants,
            elapsed_ms=elapsed,
            data=data,
            membership=membership,
        )


def _composition(groups: dict[int, int]) -> dict[str, Any]:
    """Each group's size, and its people by partner type and by segment,
    suppressed (a table per attribute, each a family of its own)."""
    people = Participant.objects.filter(pk__in=list(groups)).values_list(
        "pk", "partner_type", "segment_id"
    )
    by_type: dict[tuple[str], Counter[str]] = defaultdict(Counter)
    by_segment: dict[tuple[str], Counter[str]] = defaultdict(Counter)
    for pk, partner_type, segment_id in people:
        group = (str(groups[pk]),)
        by_type[group][partner_type or NOT_STATED] += 1
        by_segment[group][str(segment_id) if segment_id else NOT_STATED] += 1
    made: dict[str, Any] = {}
    for name, finest in (("partner_type", by_type), ("segment", by_segment)):
        if not finest:
            continue
        categories = sorted({c for counts in finest.values() for c in counts})
        table = suppress(
            {g: dict(c) for g, c in finest.items()}, ["group"], categories, max_by=1
        ).table(["group"])
        for key, total in table.totals.items():
            entry = made.setdefault(key[0], {"size": total})
            # A cell the table lacks is a zero; one it holds as None is hidden.
            cells = {c: table.cells.get((key, c), 0) for c in categories}
            entry[name] = {c: n for c, n in cells.items() if n != 0}
    return made


def _bridging(result: Any) -> list[dict[str, Any]]:
    """Statements that hold in every group at once, best first, with each
    group's share agreeing (hidden where fewer than 5 of a group voted on it:
    a share of 1 in 3 people says how those people voted)."""
    ranked = sorted(result.group_aware_consensus.items(), key=lambda kv: (-kv[1], str(kv[0])))
    shown = []
    for statement, score in ranked[:BRIDGING_SHOWN]:
        shares: list[float | None] = []
        for counts in result.per_group_counts.get(statement, ()):
            small = counts.seen == 0 or is_small(counts.seen)
            shares.append(None if small else counts.agrees / counts.seen)
        shown.append({"statement": int(str(statement)), "score": score, "agree": shares})
    return shown
