"""The baseline room's part of the permission matrix (tests/test_permission_matrix.py):
concrete values for the URL arguments of its pages, and valid API bodies."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from partnerships.models import Partnership

# Valid payloads per (method, last path segment), so that the permission check decides.
BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """Objects of ``partnership`` made by its facilitator, by URL argument name."""
    return {}
