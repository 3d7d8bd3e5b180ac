"""The common-ground and goals rooms' part of the permission matrix
(tests/test_permission_matrix.py): concrete values for their URL arguments."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from partnerships.models import Partnership

# Valid payloads per (method, last path segment), so that the permission check
# decides. The partner a body names exists only at run time: a permitted caller
# is answered 400 ("unknown partner"), after the permission check.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "votes"): {"statement": 1, "choice": "agree"},
    ("post", "statements"): {"text": "A statement from the API matrix"},
    ("post", "endorsements"): {
        "partner": "00000000-0000-4000-8000-000000000005",
        "position": "endorse",
    },
}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """An open conversation with one accepted statement, open to the public
    link, and a goal under endorsement."""
    from commonground import services
    from commonground.views import public_link_token

    conversation = services.create_conversation(
        by=facilitator,
        partnership=partnership,
        title={"es": "Conversación de la matriz"},
        public_link=True,
    )
    statement = services.add_statement(
        conversation=conversation, text="Matrix statement", seed=True, actor=facilitator
    )
    services.set_status(by=facilitator, conversation=conversation, status="open")
    from goals import services as goal_services

    goal = goal_services.create_goal(
        by=facilitator, partnership=partnership, title={"es": "Objetivo de la matriz"}
    )
    goal_services.open_endorsement(by=facilitator, goal=goal)
    return {
        "goal_id": str(goal.public_id),
        "conversation_id": str(conversation.public_id),
        "number": str(statement.number),
        "conversation_link": public_link_token(conversation),
    }
