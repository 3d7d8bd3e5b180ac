"""Background work through the scale-out backend: RQ on a real Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from partnerships.tasks import send_invitation_email

call_command("migrate", verbosity=0)
from django_tasks import task_backends
print(type(task_backends["default"]).__name__, settings.RQ["JOB_CLASS"])
result = send_invitation_email.enqueue(0)  # no such invitation: the service says False
call_command("rqworker", "--burst", "default", verbosity=0)
result.refresh()
print(result.status, result.return_value)
"""


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_it_runs_tasks_on_rq_workers_when_configured(tmp_path: Path) -> None:
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running at 127.0.0.1:6379; CI must skip nothing.")
        pytest.skip("SKIPPED: no Redis at 127.0.0.1:6379, so the RQ backend was not exercised.")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="hsbp.settings",
        HSBP_TASK_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/15",
        HSBP_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "RQBackend django_tasks_rq.Job"
    assert lines[-1] == "SUCCESSFUL False"
