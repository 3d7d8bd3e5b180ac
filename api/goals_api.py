"""/api/v1 routes of step 3's collective goals: the goals with each partner
type's endorsement, and recording a partner's position (the goal page's twin
for partner systems). Positions go through ``goals.services.endorse`` like the
page, so the same rules hold on both.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from api.ops import needs, scoped
from api.schemas import Problem
from goals import services as goal_services
from goals.models import CollectiveGoal
from partnerships.models import Partner
from partnerships.permissions import Action
from partnerships.services import ServiceError

router = Router(tags=["collective goals"])


class EndorsementIn(Schema):
    partner: uuid.UUID
    position: str = Field(description="endorse, reservations or object.")
    reason: str = Field(default="", max_length=4000)


class EndorsementOut(Schema):
    goal: uuid.UUID
    version: int
    partner: uuid.UUID
    position: str
    goal_status: str


class GoalOut(Schema):
    id: uuid.UUID
    title: dict[str, str]
    description: dict[str, str]
    outcomes: dict[str, str]
    status: str
    version: int
    adopted_at: datetime | None
    sdg_targets: list[str]
    endorsement: list[dict[str, Any]]


def _goal_out(goal: CollectiveGoal) -> dict[str, Any]:
    return {
        "id": goal.public_id,
        "title": goal.title,
        "description": goal.description,
        "outcomes": goal.outcomes,
        "status": goal.status,
        "version": goal.version,
        "adopted_at": goal.adopted_at,
        "sdg_targets": [t.code for t in goal.sdg_targets.all()],
        "endorsement": [
            {
                "partner_type": state.partner_type,
                "endorsed": state.endorsed,
                "objected": state.objected,
                "positions": [
                    {
                        "partner": str(partner.public_id),
                        "position": e.position if e else None,
                        "reason": e.reason if e else "",
                    }
                    for partner, e in state.partners
                ],
            }
            for state in goal_services.endorsement_state(goal)
        ],
    }


@router.get(
    "/partnerships/{slug}/goals",
    response=list[GoalOut],
    openapi_extra=needs("goal", Action.VIEW),
)
def list_goals(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Collective goals, newest first, with each partner type's endorsement."""
    ctx = scoped(request, slug, "goal", Action.VIEW)
    rows = CollectiveGoal.objects.filter(partnership=ctx.partnership).prefetch_related(
        "sdg_targets"
    )
    return [_goal_out(g) for g in rows.order_by("-created_at")[:100]]


@router.post(
    "/partnerships/{slug}/goals/{goal_id}/endorsements",
    response={200: EndorsementOut, 400: Problem},
    openapi_extra=needs("endorsement", Action.CREATE),
)
def endorse(
    request: HttpRequest, slug: str, goal_id: uuid.UUID, payload: EndorsementIn
) -> dict[str, Any]:
    """A partner's position on the goal's current version (its representatives;
    facilitators may record a meeting's)."""
    ctx = scoped(request, slug, "endorsement", Action.CREATE)
    goal: CollectiveGoal = get_object_or_404(
        CollectiveGoal, partnership=ctx.partnership, public_id=goal_id
    )
    partner = Partner.objects.filter(partnership=ctx.partnership, public_id=payload.partner).first()
    if partner is None:
        raise ServiceError(_("Unknown partner."), field="partner")
    recorded = goal_services.endorse(
        by=ctx.member.user,
        goal=goal,
        partner=partner,
        position=payload.position,
        reason=payload.reason,
    )
    goal.refresh_from_db(fields=["status"])
    return {
        "goal": goal.public_id,
        "version": recorded.version,
        "partner": partner.public_id,
        "position": recorded.position,
        "goal_status": goal.status,
    }
