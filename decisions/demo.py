"""The demo partnership's decisions (filled in below)."""

from __future__ import annotations


def register() -> None:
    return None
