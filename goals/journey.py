"""The goals' part of a member's journey (``partnerships.journey``): goals
that wait for the position of the partner a representative speaks for,
drafts a facilitator may open for endorsement, and adopted goals. Two queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships.journey import JourneyItem, register_results, register_to_do
from partnerships.models import Member, Role
from partnerships.permissions import Action, can

SHOWN = 10


def to_do(member: Member) -> list[JourneyItem]:
    from goals.models_goals import CollectiveGoal, Endorsement, GoalStatus

    slug = member.partnership.slug
    goals = CollectiveGoal.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.PARTNER_REPRESENTATIVE and member.partner_id:
        waiting = goals.filter(
            status__in=(GoalStatus.UNDER_ENDORSEMENT, GoalStatus.REVISED)
        ).exclude(
            Exists(
                Endorsement.objects.filter(
                    goal=OuterRef("pk"), version=OuterRef("version"), partner_id=member.partner_id
                )
            )
        )
        return [
            JourneyItem(
                title=goal.label,
                url=reverse("goals:detail", args=[slug, goal.public_id]),
                action=_("Give your partner's position"),
                detail=_("Endorse, endorse with reservations, or object, with your reasons."),
            )
            for goal in waiting.order_by("-pk")[:SHOWN]
        ]
    if can(member, "goal", Action.PUBLISH):
        return [
            JourneyItem(
                title=goal.label,
                url=reverse("goals:detail", args=[slug, goal.public_id]),
                action=_("Open the draft for endorsement when it is ready"),
            )
            for goal in goals.filter(status=GoalStatus.DRAFT).order_by("-pk")[:SHOWN]
        ]
    return []


def results(member: Member) -> list[JourneyItem]:
    from goals.models_goals import CollectiveGoal, GoalStatus

    if not can(member, "goal", Action.VIEW):
        return []
    slug = member.partnership.slug
    adopted = CollectiveGoal.objects.filter(
        partnership_id=member.partnership_id, status=GoalStatus.ADOPTED
    )
    return [
        JourneyItem(
            title=goal.label,
            url=reverse("goals:detail", args=[slug, goal.public_id]),
            action=_("Adopted by every partner type"),
        )
        for goal in adopted.order_by("-adopted_at", "-pk")[:SHOWN]
    ]


def register() -> None:
    register_to_do(to_do)
    register_results(results)
