"""The kinds of record: which kind each model is, and the name people read.

A "kind" names a row of the permission table (``partnerships.permissions``)
and the subject of an entry in the audit trail (``partnerships.audit``); the
models' own display of an audit entry needs it too. It lives here, beneath
all three, so that the models can name a kind without importing the
permission layer that is built on them. Rooms fill it through
``permissions.grant()``, never directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

# model -> kind; kind -> the name people read; kinds with no model of their own
# whose events the audit trail records (an export, say).
_MODEL_KINDS: dict[type[models.Model], str] = {}
_KIND_LABELS: dict[str, Any] = {}
_EVENT_KINDS: list[str] = []


def register(
    kind: str, *, models_: Iterable[type[models.Model]] = (), label: Any = None, audited: bool
) -> None:
    for model in models_:
        _MODEL_KINDS[model] = kind
    _KIND_LABELS[kind] = label if label is not None else kind
    if audited:
        _EVENT_KINDS.append(kind)


def kind_label(kind: str) -> str:
    return str(_KIND_LABELS.get(kind, kind))


def model_of_kind(kind: str) -> type[models.Model] | None:
    return next((m for m, k in _MODEL_KINDS.items() if k == kind), None)


def kinded_models() -> list[type[models.Model]]:
    """Every model that has a kind."""
    return list(_MODEL_KINDS)


def audited_kinds() -> list[tuple[str, str]]:
    """The kinds of record the audit trail can hold, with their names."""
    kinds = dict.fromkeys([*_MODEL_KINDS.values(), *_EVENT_KINDS])
    return [(kind, kind_label(kind)) for kind in kinds if kind != "record"]


def kind_of(model: type[models.Model]) -> str:
    try:
        return _MODEL_KINDS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no kind in the permission table.") from None
