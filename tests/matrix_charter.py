"""The charter room's part of the permission matrix and of the forms' round
trip (tests/test_permission_matrix.py, tests/test_form_round_trip.py): a
charter in force (registering partners directly, so the other rooms' forms
still add partners), with a budget pot, and a draft amendment with one row
of each part and a decision type of the partnership's own."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from partnerships.models import Member, Partnership, Role

BODIES: dict[tuple[str, str], dict[str, Any]] = {}
MANDATE = "Agreed aloud at the installation meeting"


def _in_force(partnership: Partnership, facilitator: User) -> None:
    from charter import parts, services

    if services.in_force(partnership) is not None:
        return
    version = services.in_the_making(partnership) or services.start_from_starter(
        by=facilitator, partnership=partnership, starter="consensus"
    )
    parts.set_entry_rules(
        by=facilitator,
        version=version,
        admission_kind="",
        handover={"es": "Los documentos de la alianza"},
        commitments_fate="reviewed",
    )
    pot = parts.add_pot(
        by=facilitator,
        version=version,
        name={"es": "Fondo común"},
        currency="COP",
        amount_minor=10_000_000,
    )
    parts.add_limit(
        by=facilitator, version=version, pot=pot, partner_type="company", limit_minor=1_000_000
    )
    parts.add_role(
        by=facilitator,
        version=version,
        kind="treasurer",
        holder_member=Member.objects.get(partnership=partnership, user=facilitator),
        term_start=datetime.date(2026, 1, 1),
    )
    parts.add_limit(
        by=facilitator, version=version, pot=pot, role_kind="treasurer", limit_minor=1_000_000
    )
    services.put_to_adoption(by=facilitator, version=version)
    for partner in services.present_partners(partnership):
        rep = Member.objects.filter(partner=partner, role=Role.PARTNER_REPRESENTATIVE).first()
        services.record_position(
            by=rep.user if rep else facilitator,
            version=version,
            partner=partner,
            position="endorse",
            mandate="" if rep else MANDATE,
        )


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    from charter import parts, services

    _in_force(partnership, facilitator)
    version = services.in_the_making(partnership) or services.start_amendment(
        by=facilitator, partnership=partnership
    )
    if "uso_del_salon" not in version.rules:
        version = parts.add_decision_type(
            by=facilitator, version=version, label={"es": "Uso del salón"}
        )
    role = version.roles.first()
    pot = version.pots.first()
    limit = version.limits.first()
    row = version.plan.first()
    assert role is not None and pot is not None and limit is not None and row is not None
    return {
        "version_id": str(version.public_id),
        "kind": "general",
        "role_id": str(role.public_id),
        "pot_id": str(pot.public_id),
        "limit_id": str(limit.public_id),
        "row_id": str(row.public_id),
    }
