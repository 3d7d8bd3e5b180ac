"""Channels that carry a notification beyond the platform's own pages.

The in-app list is the notifications themselves (they are rows). Every other
channel registers here: email is the first; SMS (with the field channels)
plugs in the same way, without touching ``notify()``. ``notify()`` hands each
channel the ids of the notifications their recipients want *immediately*;
digests (daily, weekly) are composed by ``digests.py`` for email.
A channel is called inside the notifying transaction: it must only queue
work (``partnerships.background.enqueue_on_commit``), never send there and then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Deliver = Callable[[Sequence[int]], None]

_CHANNELS: dict[str, Deliver] = {}


def register_channel(code: str, deliver: Deliver) -> None:
    _CHANNELS[code] = deliver


def channels() -> dict[str, Deliver]:
    return dict(_CHANNELS)
