"""What a decision decided, as (kind, public id) pairs resolved through the
records' own rooms: a goal, a charter version, an admitted partner, a
spending approval (later an action). A room's records become linkable with
``register``; this room registers those of the rooms below it
(``decisions.hooks``), and a later room (actions) registers its own.

Resolving costs one query per kind of record on a page, however many links.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from partnerships.errors import ServiceError
from partnerships.models import Partnership


@dataclass(frozen=True)
class Target:
    kind: str
    public_id: uuid.UUID
    label: str
    url: str = ""


# kind -> (the kind's name, finder: (partnership, public ids) -> {public id: Target})
Finder = Callable[[Partnership, Sequence[uuid.UUID]], dict[uuid.UUID, Target]]
_KINDS: dict[str, tuple[Any, Finder]] = {}


def register(kind: str, label: Any, finder: Finder) -> None:
    _KINDS[kind] = (label, finder)


def kind_label(kind: str) -> str:
    return str(_KINDS[kind][0]) if kind in _KINDS else kind


def known_kinds() -> list[str]:
    return list(_KINDS)


def check(partnership: Partnership, pairs: Iterable[tuple[str, Any]]) -> list[Target]:
    """The records named, each checked to exist in ``partnership`` (another
    partnership's record is refused as unknown, never linked)."""
    wanted: dict[str, list[uuid.UUID]] = {}
    for kind, raw in pairs:
        if kind not in _KINDS:
            raise ServiceError(_("Unknown kind of record to link."), field="links")
        try:
            wanted.setdefault(kind, []).append(uuid.UUID(str(raw)))
        except ValueError:
            raise ServiceError(_("Unknown record to link."), field="links") from None
    found: list[Target] = []
    for kind, ids in wanted.items():
        targets = _KINDS[kind][1](partnership, ids)
        if any(i not in targets for i in ids):
            raise ServiceError(_("Unknown record to link."), field="links")
        found += [targets[i] for i in dict.fromkeys(ids)]
    return found


def resolve(partnership: Partnership, rows: Iterable[Any]) -> list[tuple[Any, Target | None]]:
    """Each ``DecisionLink`` with its record as it is now (None when gone)."""
    rows = list(rows)
    by_kind: dict[str, list[uuid.UUID]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row.target)
    live: dict[tuple[str, uuid.UUID], Target] = {}
    for kind, ids in by_kind.items():
        if kind in _KINDS:
            for target_id, target in _KINDS[kind][1](partnership, ids).items():
                live[(kind, target_id)] = target
    return [(row, live.get((row.kind, row.target))) for row in rows]
