"""Work that outlives its worker: signs of life, and the recovery of what a
dead worker left running.

django-tasks-db marks a result RUNNING with the claiming worker's id and
nothing else: a worker killed by the kernel (out of memory, ``kill -9``, a
host that vanished) leaves it RUNNING for ever. So:

- ``hsbp worker`` beats: a thread of its own writes ``WorkerBeat`` every
  ``HSBP_WORKER_BEAT_SECONDS`` (default 10), whatever the task in hand does;
- ``recover()`` — run by every worker when it starts and then periodically,
  and by ``hsbp recover_work`` — finds RUNNING results whose worker has not
  beaten for ``HSBP_WORKER_GRACE_SECONDS`` (default 120). A task declared
  restartable (``background.provides(..., restartable=True)``) is queued again,
  once; any other, or one lost a second time, is marked FAILED with a reason a
  person can read;
- a ``LostWork`` row tells the pages that wait on that work what happened
  (``{% work_notice %}``), until the restarted run finishes or someone asks for
  the work again.

Generic: nothing here knows any task. Under RQ, RQ's own abandoned-job
handling does the same (docs/deployment.md); this module then finds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from partnerships import background
from partnerships.models_work import LostWork, LostWorkOutcome, WorkerBeat

logger = logging.getLogger(__name__)

# A restartable task is queued again after its first lost run only: a task that
# kills its worker every time (memory, say) must not kill every worker in turn.
MAX_RUNS = 2
# A worker gone for a day is forgotten (its row only said when it last beat).
FORGET_AFTER = timedelta(days=1)
# Callbacks for work given up on, by task path: they mark their own records
# (an export job, say) as failed. ``when_given_up`` registers them.
_given_up: dict[str, Callable[[list[Any], dict[str, Any]], None]] = {}


class WorkerLost(Exception):
    """The exception class a FAILED result names when its worker died."""


def beat_seconds() -> float:
    return float(getattr(settings, "HSBP_WORKER_BEAT_SECONDS", 10))


def grace_seconds() -> float:
    return float(getattr(settings, "HSBP_WORKER_GRACE_SECONDS", 120))


def args_key(args: Any, kwargs: Any = None) -> str:
    """A task's arguments as one short string: how pages name the work they
    wait for (``work_notice("consultations.refresh_results", q.pk)``)."""
    text = json.dumps(
        {"args": list(args), "kwargs": dict(kwargs or {})},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return text if len(text) <= 200 else "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def when_given_up(task_name: str, callback: Callable[[list[Any], dict[str, Any]], None]) -> None:
    """Call ``callback(args, kwargs)`` when the recovery fails a lost run of
    the named task."""
    _given_up[str(background.task_named(task_name).module_path)] = callback


# --- Signs of life ------------------------------------------------------------


def beat(worker_id: str, *, started_at: Any = None) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at or now,
                "beat_at": now,
            },
        )


def forget(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


# --- Recovery -----------------------------------------------------------------


@dataclass
class Recovered:
    restarted: int = 0
    failed: int = 0


def _restartable(task_path: str) -> bool:
    try:
        import_string(task_path)  # a task declares itself when its module loads
    except ImportError:
        return False
    return background.is_restartable(task_path)


def _reason(worker: str, last: Any) -> str:
    when = last.isoformat() if last else "never"
    return (
        f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this task "
        f"({worker or 'unknown'}) stopped without finishing it (last sign of life: {when}). "
        "It was not started again. Ask for the work again; if it stops again, the "
        "worker's log says why (often memory)."
    )


def recover(*, grace: float | None = None) -> Recovered:
    """Queue again, or fail, the work of workers that stopped beating."""
    seconds = grace_seconds() if grace is None else grace
    now = timezone.now()
    cutoff = now - timedelta(seconds=seconds)
    done = Recovered()
    running = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
    candidates = list(running.only("id", "task_path", "worker_ids", "started_at", "args_kwargs"))
    if not candidates:
        return done
    workers = {str(r.worker_ids[-1]) for r in candidates if r.worker_ids}
    beats = dict(
        WorkerBeat.objects.filter(worker_id__in=workers).values_list("worker_id", "beat_at")
    )
    for result in candidates:
        worker = str(result.worker_ids[-1]) if result.worker_ids else ""
        last = beats.get(worker)
        if last is not None and last >= cutoff:
            continue  # alive: a long task
        args = result.args_kwargs.get("args", [])
        kwargs = result.args_kwargs.get("kwargs", {})
        # Conditional on the claim we read: a worker that finishes (or a
        # second recovery that acts) in between leaves this update with nothing.
        same = DBTaskResult.objects.filter(
            pk=result.pk, status="RUNNING", started_at=result.started_at
        )
        if _restartable(result.task_path) and len(result.worker_ids) < MAX_RUNS:
            if same.update(status="READY", started_at=None):
                outcome = LostWorkOutcome.RESTARTED
                done.restarted += 1
            else:
                continue
        elif same.update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=_reason(worker, last),
            return_value=None,
        ):
            outcome = LostWorkOutcome.FAILED
            done.failed += 1
            callback = _given_up.get(result.task_path)
            if callback is not None:
                callback(list(args), dict(kwargs))
        else:
            continue
        LostWork.objects.update_or_create(
            result_id=str(result.pk),
            defaults={
                "task_path": result.task_path[:255],
                "args_key": args_key(args, kwargs),
                "outcome": outcome,
                "at": now,
            },
        )
        logger.warning(
            "Task %s (%s) of worker %s was lost: %s", result.pk, result.task_path, worker, outcome
        )
    return done


def maintain(*, grace: float | None = None) -> tuple[Recovered, int]:
    """Everything a worker does now and then: recover lost work, forget long
    gone workers, delete expired exports. Returns what was recovered and the
    number of exports deleted."""
    from partnerships import exports

    found = recover(grace=grace)
    WorkerBeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
    return found, exports.expire_old()


# --- What pages read ----------------------------------------------------------


def lost_work(task_name: str, *args: Any, **kwargs: Any) -> LostWork | None:
    """What happened to the named work if its worker died, else ``None``."""
    try:
        task = background.task_named(task_name)
    except LookupError:
        return None
    return (
        LostWork.objects.filter(task_path=task.module_path, args_key=args_key(args, kwargs))
        .order_by("-at")
        .first()
    )


def on_enqueued(sender: Any, task_result: Any, **_: Any) -> None:
    """Asked for again: the old news of lost work no longer applies."""
    LostWork.objects.filter(
        task_path=task_result.task.module_path,
        args_key=args_key(task_result.args, task_result.kwargs),
    ).delete()


def on_finished(sender: Any, task_result: Any, **_: Any) -> None:
    """The restarted run finished (or failed by itself, which it reports as
    any failure): the page no longer needs to say it was interrupted."""
    LostWork.objects.filter(result_id=str(task_result.id)).delete()


# --- The beating thread -------------------------------------------------------


def queue_due(last_queued: dict[tuple[str, tuple[Any, ...]], float], now: float) -> int:
    """Queue the periodic tasks (``background.every``) whose interval has passed
    since this worker last queued them; ``last_queued`` is the worker's memory
    of that (monotonic seconds). A task already waiting in the queue with the
    same arguments is not queued again. Returns how many were queued."""
    queued = 0
    for (name, args), seconds in background.periodic().items():
        if now - last_queued.get((name, args), float("-inf")) < seconds:
            continue
        last_queued[(name, args)] = now
        task = background.task_named(name)
        waiting = DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
        if any(
            list(r.args_kwargs.get("args", [])) == list(args) for r in waiting.only("args_kwargs")
        ):
            continue
        task.enqueue(*args)
        queued += 1
    return queued


class Heartbeat:
    """Beats for one worker from a thread of its own, and runs ``maintain``
    every half grace period (so lost work waits at most 1.5 grace periods)."""

    def __init__(self, *, worker_id: str, every: float, grace: float) -> None:
        self.worker_id = worker_id
        self.every = every
        self.grace = grace
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hsbp-heartbeat", daemon=True)
        self._last_queued: dict[tuple[str, tuple[Any, ...]], float] = {}

    def start(self) -> None:
        # The first beat and recovery happen before the worker takes any task.
        beat(self.worker_id, started_at=self.started_at)
        self._maintain()
        queue_due(self._last_queued, time.monotonic())
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=max(self.every, 1) * 2)
        try:
            forget(self.worker_id)
        except Exception:  # the database may be what stopped us
            logger.exception("Could not remove the beat of worker %s", self.worker_id)

    def _maintain(self) -> None:
        found, expired = maintain(grace=self.grace)
        if found.restarted or found.failed or expired:
            logger.warning(
                "Recovery: %s lost task(s) queued again, %s failed; %s expired export(s) deleted",
                found.restarted,
                found.failed,
                expired,
            )

    def _run(self) -> None:
        last_maintenance = timezone.now()
        while not self._stop.wait(self.every):
            try:
                close_old_connections()
                beat(self.worker_id, started_at=self.started_at)
                queue_due(self._last_queued, time.monotonic())
                if (timezone.now() - last_maintenance).total_seconds() >= self.grace / 2:
                    last_maintenance = timezone.now()
                    self._maintain()
            except DatabaseError as exc:  # locked (a task is writing) or lost: next beat
                logger.warning("Worker %s could not beat: %s", self.worker_id, exc)
            except Exception:
                logger.exception("Worker %s could not beat", self.worker_id)
        connection.close()
