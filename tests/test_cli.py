"""The ``hsbp`` command: manage.py under the platform's name, with short names."""

from __future__ import annotations

import pytest

from hsbp.cli import command_name, main

pytestmark = pytest.mark.database_free


def test_it_shows_the_help_of_a_command_by_its_short_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HSBP_TASK_BACKEND", raising=False)
    main(["hsbp", "help", "worker"])
    out = capsys.readouterr().out
    assert out.startswith("usage: hsbp worker") and "--queue-name" in out


def test_it_runs_the_worker_of_the_queue_the_tasks_go_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HSBP_TASK_BACKEND", raising=False)
    assert command_name("worker") == "worker"
    monkeypatch.setenv("HSBP_TASK_BACKEND", "rq")
    assert command_name("worker") == "rqworker"
    assert command_name("migrate") == "migrate"
