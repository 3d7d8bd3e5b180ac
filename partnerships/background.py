"""Background work, asked for by name.

A service that wants work done later names it here; the room's ``tasks.py``
provides it under that name when the app is ready. The service therefore never
imports the task that calls it back, and imports keep running one way: tasks
import services, services import this module, and nothing imports tasks but
its own app's ``ready()``.

    # consultations/tasks.py
    @background.provides("consultations.refresh_results")
    @task()
    def refresh_results(questionnaire_id: int) -> int: ...

    # consultations/analysis.py (a service)
    background.enqueue("consultations.refresh_results", questionnaire_id)

A task that may safely run again from the start after its worker died (it
recomputes, and writes its result whole) says so:
``@background.provides("...", restartable=True)``; the recovery
(``partnerships.recovery``) then queues it once more instead of failing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")

_provided: dict[str, Any] = {}
# The module paths of the tasks that may run again after their worker died.
_restartable: set[str] = set()


def provides(name: str, *, restartable: bool = False) -> Callable[[T], T]:
    """Register a django-tasks ``Task`` under ``name`` (``"<app>.<what>"``)."""

    def register(task: T) -> T:
        known = _provided.get(name)
        # Re-importing the same module is fine; two tasks under one name is a bug.
        if known is not None and getattr(known, "module_path", None) != getattr(
            task, "module_path", None
        ):
            raise RuntimeError(f"Two background tasks claim the name {name!r}.")
        _provided[name] = task
        if restartable:
            _restartable.add(str(getattr(task, "module_path", "")))
        return task

    return register


def task_named(name: str) -> Any:
    try:
        return _provided[name]
    except KeyError:
        raise LookupError(
            f"No background task is named {name!r}: does its app's ready() import its tasks?"
        ) from None


def is_restartable(task_path: str) -> bool:
    return task_path in _restartable


def enqueue(name: str, *args: Any, **kwargs: Any) -> Any:
    """Queue the named task now and return its result handle."""
    return task_named(name).enqueue(*args, **kwargs)


def enqueue_on_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """Queue the named task once the current transaction commits, so the
    worker never reads rows that were rolled back or are not yet visible."""
    task = task_named(name)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


# --- Work that comes round again --------------------------------------------------
#
# Some work is due by the clock, not by a request: closing votes whose deadline
# passed, reminders, the daily and weekly digests. Rooms name it here with its
# interval; every worker (``hsbp worker``) queues what is due from its heartbeat,
# so a deployment needs no cron and the demo's worker does it too. Each such task
# is idempotent (a vote closes once, a reminder and a digest are claimed before
# they are sent), and a task already waiting in the queue is not queued again, so
# two workers add nothing but a skipped turn.

_periodic: dict[tuple[str, tuple[Any, ...]], float] = {}


def every(name: str, *, seconds: float, args: tuple[Any, ...] = ()) -> None:
    """Queue the named task with ``args`` every ``seconds`` from the workers."""
    if seconds <= 0:
        raise ValueError("A periodic task needs a positive interval.")
    _periodic[(name, args)] = seconds


def periodic() -> dict[tuple[str, tuple[Any, ...]], float]:
    return dict(_periodic)
