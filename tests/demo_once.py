"""The demo, loaded once per test module instead of once per test.

Loading the demo takes seconds (thousands of responses, hundreds of actors and
voters); a module of demo tests reloaded it for each test. ``demo_once`` loads
it inside a transaction that is rolled back when the module's tests are done;
each test then runs in a savepoint of that transaction (pytest-django's ``db``
nests), so what a test changes is undone before the next one, and nothing of
the demo outlives the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        yield
        transaction.set_rollback(True)
