"""/api/v1 routes of step 3: statement conversations (votes and statements
written by any channel — the web page's twin for SMS gateways and partner
systems) and their opinion groups. Collective goals are in ``api.goals_api``.

Votes go through ``commonground.services.record_vote`` like the page: the
same vote twice is one vote, a different one changes it (the latest counts).
There is deliberately no endpoint that reads single votes or who is in which
opinion group, and no live count: every count comes from what the latest
analysis published (a snapshot, suppressed; ``None`` is hidden), as on the pages.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from api.ops import needs, scoped
from api.schemas import Int, Problem, Slug, Text
from commonground import analysis
from commonground import services as talk
from commonground.models import (
    Analysis,
    AnalysisState,
    Conversation,
    ConversationStatus,
    Statement,
    StatementStatus,
)
from commonground.results import group_name, published
from partnerships.permissions import Action, Ctx
from stakeholders.models import Segment

router = Router(tags=["common ground"])


class ConversationOut(Schema):
    id: uuid.UUID
    title: dict[str, str]
    prompt: dict[str, str]
    status: str
    anonymous: bool
    allow_statements: bool
    counts_as_of: datetime | None = Field(
        description="When the published counts were taken (they change in batches)."
    )
    participants: int | None = Field(description="People who voted; null: hidden (1-4).")
    votes: int | None = Field(description="Published votes; null: hidden.")
    statements: list[dict[str, Any]]


class VoteIn(Schema):
    statement: Int = Field(description="The statement's number in the conversation.")
    choice: Int | Text = Field(description="1 or agree, -1 or disagree, 0 or pass.")


class VoteOut(Schema):
    statement: int
    choice: int
    changes: int


class StatementIn(Schema):
    text: Text = Field(max_length=2000)
    language: Text = Field(default="en", max_length=10)


class StatementCreated(Schema):
    number: int
    status: str


def _conversation(ctx: Ctx, conversation_id: uuid.UUID) -> Conversation:
    rows = Conversation.objects.filter(partnership=ctx.partnership)
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.exclude(status=ConversationStatus.DRAFT)
    found: Conversation = get_object_or_404(rows, public_id=conversation_id)
    return found


def _published_statements(conversations: list[Conversation]) -> dict[int, dict[str, Any]]:
    """Each conversation's published statement counts, from its latest
    analysis: two queries, whatever the number of conversations."""
    newest = (
        Analysis.objects.filter(conversation=OuterRef("pk")).order_by("-version").values("pk")[:1]
    )
    ids = Conversation.objects.filter(pk__in=[c.pk for c in conversations]).annotate(
        latest=Subquery(newest)
    )
    rows = Analysis.objects.filter(pk__in=ids.values("latest")).values_list(
        "conversation_id", "data__published__statements"
    )
    return {pk: found for pk, found in rows if isinstance(found, dict)}


def _statements(
    ctx: Ctx, conversation: Conversation, counts: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = Statement.objects.filter(conversation=conversation).order_by("number")
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.filter(status=StatementStatus.ACCEPTED)
    found = []
    for s in rows:
        shown = counts.get(str(s.pk)) or {"agree": 0, "disagree": 0, "pass": 0, "total": 0}
        found.append(
            {
                "number": s.number,
                "text": s.text,
                "status": s.status,
                "agree": shown["agree"],
                "disagree": shown["disagree"],
                "pass": shown["pass"],
                "votes": shown["total"],
            }
        )
    return found


@router.get(
    "/partnerships/{slug}/conversations",
    response=list[ConversationOut],
    openapi_extra=needs("conversation", Action.VIEW),
)
def list_conversations(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """Conversations with their statements (accepted ones; facilitators see
    all) and the published counts: a snapshot, suppressed (null: hidden)."""
    ctx = scoped(request, slug, "conversation", Action.VIEW)
    rows = Conversation.objects.filter(partnership=ctx.partnership).order_by("-created_at")
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.exclude(status=ConversationStatus.DRAFT)
    conversations = list(rows[:100])
    counts = _published_statements(conversations)
    return [
        {
            "id": c.public_id,
            "title": c.title,
            "prompt": c.prompt,
            "status": c.status,
            "anonymous": c.anonymous,
            "allow_statements": c.allow_statements,
            "counts_as_of": c.published_at,
            "participants": c.published_participants,
            "votes": c.published_votes,
            "statements": _statements(ctx, c, counts.get(c.pk, {})),
        }
        for c in conversations
    ]


@router.post(
    "/partnerships/{slug}/conversations/{conversation_id}/votes",
    response={200: VoteOut, 400: Problem},
    openapi_extra=needs("vote", Action.CREATE),
)
def vote(
    request: HttpRequest, slug: Slug, conversation_id: uuid.UUID, payload: VoteIn
) -> dict[str, Any]:
    """The caller's vote; again on the same statement, it changes (the latest counts)."""
    ctx = scoped(request, slug, "vote", Action.CREATE)
    conversation = _conversation(ctx, conversation_id)
    participant = talk.participant_for(conversation=conversation, member=ctx.member)
    statement = Statement.objects.filter(
        conversation=conversation, number=payload.statement
    ).first()
    recorded = talk.record_vote(participant=participant, statement=statement, choice=payload.choice)
    return {"statement": payload.statement, "choice": recorded.choice, "changes": recorded.changes}


@router.post(
    "/partnerships/{slug}/conversations/{conversation_id}/statements",
    response={201: StatementCreated, 400: Problem},
    openapi_extra=needs("statement", Action.CREATE),
)
def submit_statement(
    request: HttpRequest, slug: Slug, conversation_id: uuid.UUID, payload: StatementIn
) -> Status[dict[str, Any]]:
    """A participant's statement: it waits for a facilitator's moderation."""
    ctx = scoped(request, slug, "statement", Action.CREATE)
    conversation = _conversation(ctx, conversation_id)
    statement = talk.add_statement(
        conversation=conversation,
        text=payload.text,
        language=payload.language[:2],
        author=ctx.member,
    )
    return Status(201, {"number": statement.number, "status": statement.status})


@router.get(
    "/partnerships/{slug}/conversations/{conversation_id}/groups",
    response=dict[str, Any],
    openapi_extra=needs("opinion_groups", Action.VIEW),
)
def opinion_groups(request: HttpRequest, slug: Slug, conversation_id: uuid.UUID) -> dict[str, Any]:
    """What the latest analysis published, as the page shows it: its state
    (too few votes to form groups, one group, or groups found), the groups
    with their size and make-up, what sets each apart, what nearly everyone
    shares and the bridging statements (majority agreement in every group),
    by statement number, with shares only where both counts are published.
    Counts are a snapshot, suppressed: null is hidden."""
    ctx = scoped(request, slug, "opinion_groups", Action.VIEW)
    conversation = _conversation(ctx, conversation_id)
    latest, shown = published(conversation)
    pending = analysis.analysis_pending(conversation.pk)
    if latest is None:
        return {"version": None, "pending": pending, "state": AnalysisState.TOO_FEW.value}
    numbers = dict(Statement.objects.filter(conversation=conversation).values_list("pk", "number"))
    codes = {
        str(pk): code
        for pk, code in Segment.objects.filter(partnership=ctx.partnership).values_list(
            "pk", "code"
        )
    }

    def item(found: dict[str, Any]) -> dict[str, Any]:
        return {
            "statement": numbers.get(int(found["statement"])),
            "side": found["side"],
            "share": found["share"],
        }

    groups = [
        {
            "name": group_name(index),
            "size": entry["size"],
            "partner_type": entry["partner_type"],
            "segment": {codes.get(k, k): n for k, n in entry["segment"].items()},
            "representative": [item(r) for r in entry["representative"]],
        }
        for index, entry in enumerate(shown.get("groups", []))
    ]
    bridging = latest.data.get("bridging", []) if latest.state == AnalysisState.GROUPS else []
    return {
        "version": latest.version,
        "counts_as_of": latest.computed_at,
        "pending": pending,
        "state": latest.state,
        "reason": latest.data.get("engine", {}).get("reason", ""),
        "participants": shown.get("participants"),
        "not_placed": shown.get("not_placed"),
        "votes": shown.get("votes"),
        "groups": groups,
        "consensus": [item(c) for c in shown.get("consensus", [])],
        "bridging": [
            {"statement": numbers.get(int(b["statement"])), "agree": b["agree"]} for b in bridging
        ],
    }
