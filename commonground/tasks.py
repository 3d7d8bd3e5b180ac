"""Background work of common ground: a task loads by id and calls the service."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from commonground import analysis
from partnerships import background


@background.provides("commonground.analyse_conversation", restartable=True)
@task()
def analyse_conversation(conversation_id: int) -> int:
    """Publish the votes that are ready and, if anything changed, run the
    engine and store the result (its version; 0 when nothing changed)."""
    # Released first: votes cast during this run queue the next one.
    cache.delete(analysis.lock_key(conversation_id))
    found = analysis.analyse(conversation_id)
    return found.version if found is not None else 0
