"""What a file, photo or link can be attached to: any record of a registered kind.

A room registers its model from its ``AppConfig.ready()`` (actions its
actions, meetings its meetings):

    targets.register(Action, permission_kind="action", url=action_url,
                     is_public=lambda action: action.is_published)

Reading a record's attachments asks ``can(view)`` on ``permission_kind``;
adding, removing and recording consent ask ``can(change)``: evidence is part
of the record it documents. ``url(record)`` is where the upload form sends
its sender back to (the record's page, which shows ``{% attachments record %}``);
without it, this room's own page of the record's attachments.
``is_public(record)`` says whether the owning room publishes the record: only
then may its attachments reach the portal, and only those that
``services.may_leave`` allows. Without it, nothing of that kind is public.
This room never imports the rooms that register here.
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
    is_public: Callable[[Any], bool] | None

    @property
    def code(self) -> str:
        """The target's name in URLs and rows: the model's name."""
        return self.model._meta.model_name or ""

    def published(self, record: Any) -> bool:
        return self.is_public is not None and bool(self.is_public(record))


_TARGETS: dict[str, Target] = {}


def register(
    model: type[models.Model],
    *,
    permission_kind: str,
    url: Callable[[Any], str] | None = None,
    is_public: Callable[[Any], bool] | None = None,
) -> None:
    target = Target(model, permission_kind, url, is_public)
    known = _TARGETS.get(target.code)
    if known is not None and known.model is not model:
        raise RuntimeError(f"Two models claim the attachment target {target.code!r}.")
    _TARGETS[target.code] = target


def target_named(code: str) -> Target | None:
    return _TARGETS.get(code)


def target_of(record: models.Model) -> Target | None:
    return _TARGETS.get(record._meta.model_name or "")


def all_targets() -> list[Target]:
    return list(_TARGETS.values())
