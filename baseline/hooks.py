"""How this room plugs into the shared mechanisms (stepper, portal, demo)."""

from __future__ import annotations


def register() -> None:
    pass
