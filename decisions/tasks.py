"""The room's background work: the periodic tick (close due votes, remind)."""

from __future__ import annotations

from django_tasks import task

from decisions import services
from partnerships import background


@background.provides("decisions.tick", restartable=True)
@task()
def tick() -> list[int]:
    """Close the votes whose deadline has passed, then send the reminders due.
    Safe to run again: a closed vote is not closed twice, a reminder is sent once."""
    closed, reminded = services.tick()
    return [closed, reminded]
