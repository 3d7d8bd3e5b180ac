"""/api/v1 routes of the consultations room."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["consultations"])
