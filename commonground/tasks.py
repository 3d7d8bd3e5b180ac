"""Background work of common ground: a task loads by id and calls the service."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from commonground import analysis


@task()
def analyse_conversation(conversation_id: int) -> int:
    """Run the engine over a conversation's votes and store the result."""
    # Released first: votes cast during this run queue the next one.
    cache.delete(analysis.lock_key(conversation_id))
    return analysis.analyse(conversation_id).version
