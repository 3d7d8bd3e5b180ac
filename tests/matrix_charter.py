"""The charter room's part of the permission matrix
(tests/test_permission_matrix.py): a draft charter with one row of each part."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from partnerships.models import Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    from charter import parts, services

    version = services.in_the_making(partnership) or services.start_from_starter(
        by=facilitator, partnership=partnership, starter="consensus"
    )
    role = version.roles.first()
    pot = version.pots.first() or parts.add_pot(
        by=facilitator,
        version=version,
        name={"es": "Fondo común"},
        currency="COP",
        amount_minor=100,
    )
    limit = version.limits.first() or parts.add_limit(
        by=facilitator, version=version, pot=pot, role_kind="treasurer", limit_minor=50
    )
    row = version.plan.first()
    assert role is not None and row is not None
    return {
        "version_id": str(version.public_id),
        "kind": "general",
        "role_id": str(role.public_id),
        "pot_id": str(pot.public_id),
        "limit_id": str(limit.public_id),
        "row_id": str(row.public_id),
    }
