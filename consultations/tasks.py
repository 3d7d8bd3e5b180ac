"""Background work of the analysis: a task loads by id and calls the service."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from consultations import analysis
from partnerships import background


@background.provides("consultations.refresh_results", restartable=True)
@task()
def refresh_results(questionnaire_id: int) -> int:
    """Bring the cube and the suppressed tables of one questionnaire up to date."""
    # Released first: responses arriving during this refresh queue the next one.
    cache.delete(analysis.lock_key(questionnaire_id))
    return analysis.refresh_aggregates(questionnaire_id)
