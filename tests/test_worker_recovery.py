"""A task whose worker dies is recovered: real ``hsbp worker`` processes,
killed by SIGKILL mid-task, on the database this run uses (a file copy of
the SQLite test database, or the PostgreSQL test database itself).

Nothing here asserts speed: each wait polls the database with a deadline."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from partnerships import background, recovery
from partnerships.models import LostWork, LostWorkOutcome, WorkerBeat
from tests import worker_tasks  # noqa: F401 — the test tasks provide themselves by name

ROOT = Path(__file__).resolve().parent.parent
BEAT, GRACE = 0.2, 1.0
DEADLINE = 90.0  # seconds: two loaded cores start a Django process slowly


def _until(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment under which a worker subprocess uses this test's
    database. PostgreSQL: the test database, by name (the test is
    transactional, so what it writes is committed and visible). SQLite: the
    test database lives in this process's memory, out of other processes'
    reach, so it is copied (migrated, empty) to a file and this process's
    connection points at the file until the test ends."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="hsbp.settings",
        HSBP_TASK_BACKEND="database",
        HSBP_DATA_DIR=str(tmp_path),
    )
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        login = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        where = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{login}@{where}/{settings['NAME']}"
        yield env
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, settings["NAME"]
    copy = sqlite3.connect(path)
    in_memory.backup(copy)
    copy.close()
    settings["NAME"] = str(path)
    connection.connection = None
    connection.connect()
    env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield env
    finally:
        connection.close()
        settings["NAME"] = name
        connection.connection = in_memory


def _worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.1",
            f"--beat={BEAT}",
            f"--grace={GRACE}",
            f"--worker-id={name}",
            "--verbosity=0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _result(result_id: Any) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result_id)


def _run_and_kill(env: dict[str, str], name: str, task: str, tmp_path: Path) -> tuple[Any, Path]:
    """Queue the task, let a worker start it, and kill that worker."""
    started, release = tmp_path / "started", tmp_path / "release"
    result = background.enqueue(task, str(started), str(release))
    first = _worker(env, name)
    try:
        _until(started.exists, "the first worker to start the task")
        running = _result(result.id)
        assert running.status == "RUNNING"
        assert running.worker_ids == [name]
        assert WorkerBeat.objects.filter(worker_id=name).exists()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == -signal.SIGKILL
    # What django-tasks-db alone leaves: RUNNING for ever, by a worker that is gone.
    assert _result(result.id).status == "RUNNING"
    return result.id, release


def test_it_restarts_a_restartable_task_whose_worker_was_killed(
    shared_database: dict[str, str], tmp_path: Path
) -> None:
    result_id, release = _run_and_kill(
        shared_database, "doomed", "tests.wait_restartable", tmp_path
    )
    started = str(tmp_path / "started")
    # The recovery command, once the dead worker's beat is older than the grace period.
    _until(
        lambda: (
            call_command("recover_work", grace=GRACE, stdout=io.StringIO())
            or _result(result_id).status == "READY"
        ),
        "the recovery to queue the task again",
    )
    lost = recovery.lost_work("tests.wait_restartable", started, str(release))
    assert lost is not None and lost.outcome == LostWorkOutcome.RESTARTED
    release.touch()
    second = _worker(shared_database, "rescuer")
    try:
        _until(lambda: _result(result_id).status == "SUCCESSFUL", "the second worker to finish")
    finally:
        _stop(second)
    done = _result(result_id)
    assert done.return_value == "released"
    assert done.worker_ids == ["doomed", "rescuer"]
    assert (tmp_path / "started").read_text().count("run") == 2
    # Finished: the page no longer says the work was interrupted.
    assert recovery.lost_work("tests.wait_restartable", started, str(release)) is None
    # A worker that stops cleanly takes its beat with it.
    assert not WorkerBeat.objects.filter(worker_id="rescuer").exists()


def test_it_fails_with_a_clear_reason_a_task_that_may_not_run_twice(
    shared_database: dict[str, str], tmp_path: Path
) -> None:
    result_id, release = _run_and_kill(shared_database, "doomed-once", "tests.wait_once", tmp_path)
    # A new worker recovers by itself: at start and then every half grace period.
    second = _worker(shared_database, "rescuer-once")
    try:
        _until(lambda: _result(result_id).status == "FAILED", "the second worker's recovery")
    finally:
        _stop(second)
    failed = _result(result_id)
    assert failed.exception_class_path == "partnerships.recovery.WorkerLost"
    assert "(doomed-once) stopped without finishing it" in failed.traceback
    assert "It was not started again" in failed.traceback
    assert failed.finished_at is not None
    lost = LostWork.objects.get(result_id=str(result_id))
    assert lost.outcome == LostWorkOutcome.FAILED
    # Asking for the same work again clears the news.
    background.enqueue("tests.wait_once", str(tmp_path / "started"), str(release))
    assert not LostWork.objects.filter(result_id=str(result_id)).exists()
