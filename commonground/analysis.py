"""Running the engine on a conversation's published votes, and publishing
what it found.

**Published counts are a snapshot, never live.** A count that moves with
each vote says how the last voter voted to anyone who knows who that was
("she voted at 10:02"), so pages, the API and the stepper read only what the
latest ``Analysis`` published, and the votes behind it change in batches:

- ``release`` publishes a statement's votes (``Vote.published_choice``
  catches up with ``choice``) only once at least ``MIN_CELL`` (5) people's
  votes on it differ from what was published: new votes and changed ones.
  So two successive snapshots differ, on any statement, by the votes of no
  one or of at least five people. The engine runs on published votes only,
  so the opinion groups follow the same batches.
- ``analyse`` releases what is ready and, when anything changed (votes
  released, statements moderated, or no analysis yet), runs the engine and
  stores a new numbered ``Analysis``: the engine's exact output (read by the
  next run and by routing, never shown), what ``commonground.published``
  publishes from it (suppressed), the bridging statements (the goals room
  reads them), and its state: too few votes to form groups, one group, or
  opinion groups found.

A burst of votes makes one analysis: ``analyse_later`` queues the task unless
one is queued already, and the task releases that lock as it starts. The
limits of the scheme (what a timing attacker still learns) are in
``docs/step3.md``.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from commonground import published as publication
from commonground.models import (
    Analysis,
    AnalysisState,
    Conversation,
    Statement,
    StatementStatus,
    Vote,
)
from partnerships import background
from partnerships.suppression import MIN_CELL

LOCK_TTL = 15 * 60
SEED = 0  # the engine is deterministic for a given seed; one seed for every run
BRIDGING_SHOWN = publication.BRIDGING_SHOWN
# The engine's reasons for one group that mean "not enough to go on yet".
TOO_FEW_REASONS = frozenset(
    {"no_votes", "all_moderated_out", "one_participant", "one_statement", "too_few_participants"}
)


def lock_key(conversation_id: int) -> str:
    return f"commonground-analysis-queued:{conversation_id}"


def bridging_statements(partnership_id: int) -> list[int]:
    """The bridging statements of the latest analysis of each conversation
    that found opinion groups (the goals room offers them to build on)."""
    newest = (
        Analysis.objects.filter(conversation=OuterRef("pk")).order_by("-version").values("pk")[:1]
    )
    latest = (
        Conversation.objects.filter(partnership_id=partnership_id)
        .annotate(latest=Subquery(newest))
        .values("latest")
    )
    found: list[int] = []
    rows = Analysis.objects.filter(pk__in=latest, state=AnalysisState.GROUPS).values_list(
        "data__bridging", flat=True
    )
    for bridging in rows:
        found.extend(int(item["statement"]) for item in bridging or [])
    return found


def analyse_later(conversation_id: int) -> bool:
    if not cache.add(lock_key(conversation_id), True, LOCK_TTL):
        return False
    try:
        background.enqueue("commonground.analyse_conversation", conversation_id)
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


def release(conversation_id: int) -> list[int]:
    """Publish the votes of every statement on which at least MIN_CELL
    people's votes differ from the published ones; the ids of those statements."""
    unpublished = Q(published_choice__isnull=True) | ~Q(published_choice=F("choice"))
    ready = list(
        Vote.objects.filter(unpublished, conversation_id=conversation_id)
        .order_by()
        .values("statement_id")
        .annotate(people=Count("pk"))
        .filter(people__gte=MIN_CELL)
        .values_list("statement_id", flat=True)
    )
    if ready:
        with transaction.atomic():
            Vote.objects.filter(conversation_id=conversation_id, statement_id__in=ready).update(
                published_choice=F("choice")
            )
            Conversation.objects.filter(pk=conversation_id).update(released_at=timezone.now())
    return ready


def state_of(result: Any) -> str:
    if result.reason in TOO_FEW_REASONS or result.group_count == 0:
        return str(AnalysisState.TOO_FEW)
    if result.group_count >= 2:
        return str(AnalysisState.GROUPS)
    return str(AnalysisState.ONE_GROUP)


def analyse(conversation_id: int, *, force: bool = False) -> Analysis | None:
    """Release the votes that are ready and, if anything changed since the
    latest analysis (or ``force``: a facilitator's "recompute now", which
    still sees only published votes), run the engine and store the result.
    None when nothing changed."""
    released = release(conversation_id)
    conversation = Conversation.objects.get(pk=conversation_id)
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=StatementStatus.PENDING)
        .values_list("pk", "status")
    )
    moderated_out = sorted(pk for pk, status in statements if status != StatementStatus.ACCEPTED)
    scope = {
        "accepted": sorted(pk for pk, status in statements if status == StatementStatus.ACCEPTED),
        "out": moderated_out,
    }
    previous = Analysis.objects.filter(conversation=conversation).order_by("-version").first()
    unchanged = (
        previous is not None
        and previous.data.get("scope") == scope
        and (conversation.released_at is None or previous.computed_at >= conversation.released_at)
    )
    if unchanged and not released and not force:
        return None
    votes = list(
        Vote.objects.filter(
            conversation=conversation,
            published_choice__isnull=False,
            statement__status__in=[
                StatementStatus.ACCEPTED,
                StatementStatus.REJECTED,
                StatementStatus.META,
            ],
        ).values_list("participant_id", "statement_id", "published_choice")
    )
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
    places = np.searchsorted(columns, table[:, 1])
    matrix = engine.VoteMatrix.from_arrays(
        rows,
        places,
        table[:, 2],
        participants=people.tolist(),
        statements=columns.tolist(),
        moderated_out=moderated_out,
        # About the conversation itself: moderated out (its votes zeroed) and, should it ever
        # stop being so, still never ranked as representative, consensus or bridging.
        meta=[pk for pk, status in statements if status == StatementStatus.META],
    )
    result = engine.analyse(matrix, seed=SEED, keep=keep)
    elapsed = (time.perf_counter() - started) * 1000
    found = result.to_dict()
    groups = {int(str(k)): int(v) for k, v in result.groups.items()}
    # Who is in which group, and where: large (one entry per participant), so
    # kept apart from what the pages read.
    membership = {"groups": found.pop("groups"), "coordinates": found.pop("coordinates")}
    state = state_of(result)
    shown, bridging = publication.publish(
        result=result, groups=groups, counts=_counts(columns, places, table[:, 2]), state=state
    )
    data = {"engine": found, "published": shown, "bridging": bridging, "scope": scope}
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        version = (
            Analysis.objects.filter(conversation=locked).aggregate(n=Max("version"))["n"] or 0
        ) + 1
        stored = Analysis.objects.create(
            partnership_id=locked.partnership_id,
            conversation=locked,
            version=version,
            votes_seen=len(votes),
            participants_seen=result.participants,
            elapsed_ms=elapsed,
            state=state,
            bridging_count=len(bridging),
            data=data,
            membership=membership,
        )
        Conversation.objects.filter(pk=locked.pk).update(
            published_at=stored.computed_at,
            published_votes=shown["votes"],
            published_participants=shown["participants"],
        )
    return stored


def _counts(columns: Any, places: Any, choices: Any) -> dict[int, tuple[int, int, int]]:
    """Each statement's published votes: (agree, disagree, pass)."""
    found: dict[int, tuple[int, int, int]] = {}
    width = len(columns)
    tallies = [np.bincount(places[choices == value], minlength=width) for value in (1, -1, 0)]
    for index, pk in enumerate(columns.tolist()):
        agree, disagree, passed = (int(t[index]) for t in tallies)
        if agree or disagree or passed:
            found[int(pk)] = (agree, disagree, passed)
    return found
