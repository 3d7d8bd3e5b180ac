"""Test-only background tasks that wait for a file, so a test can kill the
worker running one (tests/test_worker_recovery.py). Not a test module: the
worker subprocess imports it by its task path."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from partnerships import background

# A worker that never sees the release file gives up, rather than hang a run.
PATIENCE = 120.0


def _wait(started: str, release: str) -> str:
    with Path(started).open("a") as runs:
        runs.write("run\n")
    deadline = time.monotonic() + PATIENCE
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    return "released"


@background.provides("tests.wait_restartable", restartable=True)
@task()
def wait_restartable(started: str, release: str) -> str:
    return _wait(started, release)


@background.provides("tests.wait_once")
@task()
def wait_once(started: str, release: str) -> str:
    return _wait(started, release)
