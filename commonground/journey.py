"""Common ground's part of a member's journey (``partnerships.journey``):
open conversations to vote in, statements waiting for a facilitator's
moderation, and the opinion groups found. Two queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.journey import JourneyItem, register_results, register_to_do
from partnerships.models import Member
from partnerships.permissions import Action, can

SHOWN = 10


def to_do(member: Member) -> list[JourneyItem]:
    from commonground.models import Conversation, ConversationStatus, StatementStatus

    votes = can(member, "vote", Action.CREATE)
    moderates = can(member, "statement", Action.CHANGE)
    if not (votes or moderates):
        return []
    slug = member.partnership.slug
    conversations = (
        Conversation.objects.filter(
            partnership_id=member.partnership_id, status=ConversationStatus.OPEN
        )
        .annotate(pending=Count("statements", filter=Q(statements__status=StatementStatus.PENDING)))
        .order_by("-pk")[:SHOWN]
    )
    items = []
    for conversation in conversations:
        if moderates and conversation.pending:
            # Statements, not people: a count of them reveals no one.
            items.append(
                JourneyItem(
                    title=conversation.label,
                    url=reverse("commonground:detail", args=[slug, conversation.public_id]),
                    action=ngettext(
                        "%(n)s statement waits for moderation",
                        "%(n)s statements wait for moderation",
                        conversation.pending,
                    )
                    % {"n": conversation.pending},
                )
            )
        if votes:
            items.append(
                JourneyItem(
                    title=conversation.label,
                    url=reverse("commonground:vote", args=[slug, conversation.public_id]),
                    action=_("Vote on its statements"),
                )
            )
    return items


def results(member: Member) -> list[JourneyItem]:
    from commonground.models import Analysis, Conversation

    if not can(member, "opinion_groups", Action.VIEW):
        return []
    slug = member.partnership.slug
    analysed = Conversation.objects.filter(partnership_id=member.partnership_id).filter(
        Exists(Analysis.objects.filter(conversation=OuterRef("pk")))
    )
    return [
        JourneyItem(
            title=conversation.label,
            url=reverse("commonground:results", args=[slug, conversation.public_id]),
            action=_("See the opinion groups and the common ground"),
        )
        for conversation in analysed.order_by("-pk")[:SHOWN]
    ]


def register() -> None:
    register_to_do(to_do)
    register_results(results)
