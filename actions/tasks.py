"""The room's background work: the daily check for overdue commitments."""

from __future__ import annotations

from django_tasks import task

from actions import notices
from partnerships import background


@background.provides("actions.remind", restartable=True)
@task()
def remind() -> int:
    """Remind the owners of overdue commitments. Safe to run again: a
    commitment is reminded at most once a week."""
    return notices.remind_overdue()
