"""Work due by the clock (closing votes, reminders, digests) is queued by the
workers' heartbeat: no cron to forget, and never twice in the queue."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from partnerships import background, recovery

# The test settings queue into the database, as production does (HSBP_TASK_BACKEND).
pytestmark = pytest.mark.django_db


def test_it_knows_the_clock_work_of_step_5() -> None:
    due = background.periodic()
    assert due[("decisions.tick", ())] == 300
    assert ("notifications.send_digests", ("daily",)) in due
    assert ("notifications.send_digests", ("weekly",)) in due


def test_it_queues_what_is_due_once_per_interval() -> None:
    memory: dict[Any, float] = {}
    first = recovery.queue_due(memory, now=1_000_000.0)
    assert first == len(background.periodic())
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == first
    # A beat ten seconds later queues nothing: nothing is due yet.
    assert recovery.queue_due(memory, now=1_000_010.0) == 0
    # A second worker (its own memory) finds each task already waiting.
    assert recovery.queue_due({}, now=1_000_010.0) == 0
    assert waiting.count() == first


def test_it_queues_again_once_the_last_turn_ran() -> None:
    memory: dict[Any, float] = {}
    recovery.queue_due(memory, now=0.0)
    DBTaskResult.objects.filter(status="READY").update(status="SUCCESSFUL")
    # Five minutes on: the tick is due again, the hourly digests not yet.
    assert recovery.queue_due(memory, now=301.0) == 1
    tick = DBTaskResult.objects.get(status="READY")
    assert tick.task_path == background.task_named("decisions.tick").module_path
