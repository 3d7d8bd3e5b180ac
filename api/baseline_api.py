"""/api/v1 routes of the baseline room."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["baseline"])
