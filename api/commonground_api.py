"""/api/v1 routes of step 3: statement conversations (votes and statements
written by any channel — the web page's twin for SMS gateways and partner
systems) and their opinion groups. Collective goals are in ``api.goals_api``.

Votes go through ``commonground.services.record_vote`` like the page: the
same vote twice is one vote, a different one changes it (the latest counts).
There is deliberately no endpoint that reads single votes or who is in which
opinion group: only the stored, suppressed analysis leaves.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from api.ops import needs, scoped
from api.schemas import Problem
from commonground import analysis
from commonground import services as talk
from commonground.models import Conversation, ConversationStatus, Statement, StatementStatus
from partnerships.permissions import Action, Ctx

router = Router(tags=["common ground"])


class ConversationOut(Schema):
    id: uuid.UUID
    title: dict[str, str]
    prompt: dict[str, str]
    status: str
    anonymous: bool
    allow_statements: bool
    participants: int
    votes: int
    statements: list[dict[str, Any]]


class VoteIn(Schema):
    statement: int = Field(description="The statement's number in the conversation.")
    choice: int | str = Field(description="1 or agree, -1 or disagree, 0 or pass.")


class VoteOut(Schema):
    statement: int
    choice: int
    changes: int


class StatementIn(Schema):
    text: str = Field(max_length=2000)
    language: str = Field(default="en", max_length=10)


class StatementCreated(Schema):
    number: int
    status: str


def _conversation(ctx: Ctx, conversation_id: uuid.UUID) -> Conversation:
    rows = Conversation.objects.filter(partnership=ctx.partnership)
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.exclude(status=ConversationStatus.DRAFT)
    found: Conversation = get_object_or_404(rows, public_id=conversation_id)
    return found


def _statements(ctx: Ctx, conversation: Conversation) -> list[dict[str, Any]]:
    rows = Statement.objects.filter(conversation=conversation).order_by("number")
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.filter(status=StatementStatus.ACCEPTED)
    return [
        {
            "number": s.number,
            "text": s.text,
            "status": s.status,
            "agree": s.agree_count,
            "disagree": s.disagree_count,
            "pass": s.pass_count,
        }
        for s in rows
    ]


@router.get(
    "/partnerships/{slug}/conversations",
    response=list[ConversationOut],
    openapi_extra=needs("conversation", Action.VIEW),
)
def list_conversations(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Conversations with their statements (accepted ones; facilitators see all)."""
    ctx = scoped(request, slug, "conversation", Action.VIEW)
    rows = Conversation.objects.filter(partnership=ctx.partnership).order_by("-created_at")
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.exclude(status=ConversationStatus.DRAFT)
    return [
        {
            "id": c.public_id,
            "title": c.title,
            "prompt": c.prompt,
            "status": c.status,
            "anonymous": c.anonymous,
            "allow_statements": c.allow_statements,
            "participants": c.participant_count,
            "votes": c.vote_count,
            "statements": _statements(ctx, c),
        }
        for c in rows[:100]
    ]


@router.post(
    "/partnerships/{slug}/conversations/{conversation_id}/votes",
    response={200: VoteOut, 400: Problem},
    openapi_extra=needs("vote", Action.CREATE),
)
def vote(
    request: HttpRequest, slug: str, conversation_id: uuid.UUID, payload: VoteIn
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
    request: HttpRequest, slug: str, conversation_id: uuid.UUID, payload: StatementIn
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
def opinion_groups(request: HttpRequest, slug: str, conversation_id: uuid.UUID) -> dict[str, Any]:
    """The latest analysis: groups with their make-up (suppressed), representative,
    consensus and bridging statements by number, and when it was computed."""
    ctx = scoped(request, slug, "opinion_groups", Action.VIEW)
    conversation = _conversation(ctx, conversation_id)
    latest = analysis.latest(conversation)
    if latest is None:
        return {"version": None, "pending": analysis.analysis_pending(conversation.pk)}
    numbers = dict(Statement.objects.filter(conversation=conversation).values_list("pk", "number"))
    engine = latest.data.get("engine", {})

    def number(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "statement": numbers.get(int(item["statement"]))}

    return {
        "version": latest.version,
        "computed_at": latest.computed_at,
        "votes": latest.votes_seen,
        "pending": analysis.analysis_pending(conversation.pk),
        "reason": engine.get("reason", ""),
        "group_sizes": engine.get("group_sizes", []),
        "composition": latest.data.get("composition", {}),
        "representative": {
            g: [number(i) for i in items] for g, items in engine.get("representative", {}).items()
        },
        "consensus": [number(i) for i in engine.get("consensus", [])],
        "bridging": [number(i) for i in latest.data.get("bridging", [])],
    }
