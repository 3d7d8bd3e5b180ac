"""The notifications and discussion rooms' part of the permission matrix
(tests/test_permission_matrix.py): concrete values for their URL arguments."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from partnerships.models import Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """An announcement to every member, a goal with a comment on it, and a
    notification, all of ``partnership``."""
    from discussion.services import post_comment
    from goals.services import create_goal
    from notifications.announcements import post_announcement
    from notifications.models import Notification

    announcement = post_announcement(
        by=facilitator,
        partnership=partnership,
        scope="members",
        title={"es": "Anuncio de la matriz"},
        body={"es": "Texto"},
    )
    goal = create_goal(by=facilitator, partnership=partnership, title={"es": "Meta de la matriz"})
    comment = post_comment(by=facilitator, partnership=partnership, target=goal, body="Hola")
    notification = Notification.objects.filter(partnership=partnership).first()
    return {
        "announcement_id": str(announcement.public_id),
        "target": "collectivegoal",
        "target_id": str(goal.public_id),
        "comment_id": str(comment.public_id),
        "notification_id": str(notification.public_id if notification else comment.public_id),
    }
