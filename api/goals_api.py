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
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from api.ops import needs, scoped
from api.schemas import Problem, Slug, Text
from goals import services as goal_services
from goals.models import CollectiveGoal, Endorsement
from partnerships.models import Partner
from partnerships.permissions import Action, get_owned_or_404
from partnerships.services import ServiceError

router = Router(tags=["collective goals"])


class EndorsementIn(Schema):
    partner: uuid.UUID
    position: Text = Field(description="endorse, reservations or object.")
    reason: Text = Field(default="", max_length=4000)
    mandate: Text = Field(
        default="",
        max_length=4000,
        description="Required when a facilitator records the position on behalf of a "
        "partner that has no representative: what the partner agreed to, and where.",
    )


class EndorsementOut(Schema):
    goal: uuid.UUID
    version: int
    partner: uuid.UUID
    position: str
    reason: str
    on_behalf: bool
    mandate: str
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
    history: list[dict[str, Any]] = Field(
        description="Every position ever recorded, newest version first; "
        "`counts` is false for one a later position replaced."
    )


def _position(e: Endorsement) -> dict[str, Any]:
    return {
        "partner": str(e.partner.public_id),
        "version": e.version,
        "position": e.position,
        "reason": e.reason,
        "on_behalf": e.on_behalf,
        "mandate": e.mandate,
        "recorded_by": str(e.recorded_by.public_id) if e.recorded_by else None,
        "recorded_at": e.recorded_at.isoformat(),
        "counts": e.current,
    }


def _goal_out(
    goal: CollectiveGoal,
    states: list[goal_services.TypeState],
    history: dict[int, list[Endorsement]],
) -> dict[str, Any]:
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
                "reservations": state.reservations,
                "positions": [
                    {
                        "partner": str(partner.public_id),
                        "position": e.position if e else None,
                        "reason": e.reason if e else "",
                        "on_behalf": e.on_behalf if e else False,
                        "mandate": e.mandate if e else "",
                        "recorded_by": str(e.recorded_by.public_id)
                        if e and e.recorded_by
                        else None,
                    }
                    for partner, e in state.partners
                ],
            }
            for state in states
        ],
        "history": [_position(e) for rows in history.values() for e in rows],
    }


@router.get(
    "/partnerships/{slug}/goals",
    response=list[GoalOut],
    openapi_extra=needs("goal", Action.VIEW),
)
def list_goals(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """Collective goals, newest first, with each partner type's endorsement and
    the history of every position (a few queries, however many goals)."""
    ctx = scoped(request, slug, "goal", Action.VIEW)
    goals = list(
        CollectiveGoal.objects.filter(partnership=ctx.partnership)
        .prefetch_related("sdg_targets")
        .order_by("-created_at")[:100]
    )
    states = goal_services.endorsement_states(goals)
    histories = goal_services.position_histories(goals)
    return [_goal_out(g, states.get(g.pk, []), histories.get(g.pk, {})) for g in goals]


@router.post(
    "/partnerships/{slug}/goals/{goal_id}/endorsements",
    response={200: EndorsementOut, 400: Problem},
    openapi_extra=needs("endorsement", Action.CREATE),
)
def endorse(
    request: HttpRequest, slug: Slug, goal_id: uuid.UUID, payload: EndorsementIn
) -> dict[str, Any]:
    """A partner's position on the goal's current version, recorded by its own
    representatives; a facilitator records one on behalf of a partner with no
    representative, with a mandate. The partner's earlier position stays in the
    history. A partner named in the body that is not this partnership's is
    answered 400 ("Unknown partner."); a goal that is not, 404."""
    ctx = scoped(request, slug, "endorsement", Action.CREATE)
    goal: CollectiveGoal = get_owned_or_404(CollectiveGoal, ctx.partnership, public_id=goal_id)
    partner = Partner.objects.filter(partnership=ctx.partnership, public_id=payload.partner).first()
    if partner is None:
        raise ServiceError(_("Unknown partner."), field="partner")
    recorded = goal_services.endorse(
        by=ctx.member.user,
        goal=goal,
        partner=partner,
        position=payload.position,
        reason=payload.reason,
        mandate=payload.mandate,
    )
    goal.refresh_from_db(fields=["status"])
    return {
        "goal": goal.public_id,
        "version": recorded.version,
        "partner": partner.public_id,
        "position": recorded.position,
        "reason": recorded.reason,
        "on_behalf": recorded.on_behalf,
        "mandate": recorded.mandate,
        "goal_status": goal.status,
    }
