"""Shared set-up of the actions tests: goals, actions and sub-actions in the
world's partnership (and one in the foreign one, which must never leak)."""

from __future__ import annotations

from typing import Any

from actions import services
from actions.models import Action, ActionKind
from goals import services as goals
from goals.models import CollectiveGoal
from partnerships.models import Partner
from tests.conftest import World


def goal(
    world: World, title: str = "Agua para Brumaverde", partnership: Any = None
) -> CollectiveGoal:
    return goals.create_goal(
        by=world.facilitator, partnership=partnership or world.own, title={"es": title}
    )


def action(
    world: World,
    title: str = "Arreglar el acueducto",
    *,
    owner: Partner | None = None,
    parent: Action | None = None,
    **extra: Any,
) -> Action:
    return services.add_action(
        by=world.facilitator,
        partnership=world.own,
        title={"es": title},
        kind=extra.pop("kind", ActionKind.LONG_TERM),
        owner=owner or world.company,
        parent=parent,
        **extra,
    )
