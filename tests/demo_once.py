"""The demo, loaded once for a run of demo tests instead of once per test.

Loading the demo takes seconds (thousands of responses, hundreds of actors and
voters, a charter, a checklist, meetings), and eight modules read it: loaded
once per module and per worker, on two databases, it cost CI minutes.

``demo_once`` loads it inside a transaction that stays open while the tests
that follow on this worker read the demo too, whatever their module; it is
rolled back as soon as the next test does not (``release``, called after each
test's teardown from ``tests/conftest.py``). Each test runs in a savepoint of
that transaction (pytest-django's ``db`` nests), so what a test changes is
undone before the next one, and nothing of the demo outlives its run.
``tests/conftest.py`` also puts the demo tests next to each other in the run,
so that each worker loads the demo about once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

FIXTURE = "demo_once"


class _Held:
    """The open transaction holding the demo on this worker, if any."""

    def __init__(self) -> None:
        self.unblocked: Any = None
        self.atomic: AbstractContextManager[Any] | None = None

    def load(self, blocker: Any) -> None:
        if self.atomic is not None:
            return
        self.unblocked = blocker
        blocker.unblock()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        call_command("demo", verbosity=0)

    def release(self) -> None:
        if self.atomic is None:
            return
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.atomic = None
        self.unblocked.restore()
        self.unblocked = None


HELD = _Held()


@pytest.fixture(scope="module")
def demo_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    # Module-scoped, so that it is set up before each test's own transaction
    # (pytest sets up wider scopes first); the demo outlives the module only
    # when the next test reads it too.
    HELD.load(django_db_blocker)
    yield


def uses_demo(item: pytest.Item) -> bool:
    return FIXTURE in getattr(item, "fixturenames", ())


def gather(items: list[pytest.Item]) -> None:
    """Move the demo tests next to each other, where the last of them was: they
    all use the database without flushing it (pytest-django's first group of
    tests), and so do those they jump over."""
    demo = [item for item in items if uses_demo(item)]
    if len(demo) < 2:
        return
    last = max(i for i, item in enumerate(items) if uses_demo(item))
    before = [item for item in items[:last] if not uses_demo(item)]
    items[:] = before + demo + items[last + 1 :]
