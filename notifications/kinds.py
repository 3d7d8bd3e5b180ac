"""The kinds of notification, and how often each person wants to hear of each.

A room that tells people about something declares a ``Kind`` once, from its
``AppConfig.ready()``, with ``register_kind``. A notification stores its kind's
code and the kind's parameters, never a rendered sentence: the text is made
when it is read or sent (``Kind.text``), in the reader's language, so a
Spanish reader and an English reader of the same event each read their own.

What a notification may carry is what its kind declares in ``params``: the
entry point (``services.notify``) refuses any other parameter. That is the
guard against a notification naming a protected person or a secret ballot's
choice: a kind declares only what is safe to show to every recipient (a
record's title, a count, a partner type), and callers pass no name of a
protected person (``partnerships.protection``) and no vote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    # Renders the message from the stored params in the ACTIVE language.
    text: Callable[[Mapping[str, Any]], str]
    # A digest by default: nobody is flooded.
    default: str = Frequency.DAILY
    # The only parameter names a notification of this kind may carry.
    params: tuple[str, ...] = ()


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    """Declare a kind (from a room's ``AppConfig.ready()``)."""
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise RuntimeError(f"Two kinds of notification claim the code {kind.code!r}.")
    if kind.default not in Frequency.values:
        raise ValueError(f"Kind {kind.code!r}: unknown default frequency {kind.default!r}.")
    _KINDS[kind.code] = kind


def kind_named(code: str) -> Kind | None:
    return _KINDS.get(code)


def all_kinds() -> list[Kind]:
    """Every registered kind, in the order of their labels."""
    return sorted(_KINDS.values(), key=lambda k: str(k.label))
