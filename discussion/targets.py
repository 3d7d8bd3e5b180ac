"""What a discussion can be attached to: any record of a registered kind.

A room registers its model from its ``AppConfig.ready()`` (goals registers
``CollectiveGoal`` in ``goals/hooks.py``; the decisions room its proposals):

    targets.register(CollectiveGoal, permission_kind="goal", url=goal_url)

The thread asks ``can(view)`` on ``permission_kind`` before it shows or takes
a comment, so a discussion is never readable by someone who may not read what
it discusses. ``url(record)`` is where a comment sends its reader back to
(the record's page, which includes the thread); without it, the thread's own
page. This room never imports the rooms that register here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Target:
    model: type[models.Model]
    permission_kind: str
    url: Callable[[Any], str] | None

    @property
    def code(self) -> str:
        """The target's name in URLs and rows: the model's name."""
        return self.model._meta.model_name or ""


_TARGETS: dict[str, Target] = {}


def register(
    model: type[models.Model],
    *,
    permission_kind: str,
    url: Callable[[Any], str] | None = None,
) -> None:
    target = Target(model, permission_kind, url)
    known = _TARGETS.get(target.code)
    if known is not None and known.model is not model:
        raise RuntimeError(f"Two models claim the discussion target {target.code!r}.")
    _TARGETS[target.code] = target


def target_named(code: str) -> Target | None:
    return _TARGETS.get(code)


def target_of(record: models.Model) -> Target | None:
    return _TARGETS.get(record._meta.model_name or "")


def all_targets() -> list[Target]:
    return list(_TARGETS.values())
