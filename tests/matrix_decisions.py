"""The decisions room's part of the permission matrix (tests/test_permission_matrix.py)
and of the form round trip: a charter in force, and a decision being voted on."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from partnerships.models import Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def adopt_starter(partnership: Partnership, facilitator: User, starter: str = "consent") -> None:
    """The first charter from a starter, adopted by every present partner: by
    its representative where it has one, else on its behalf by the
    facilitator. Nothing when a charter is in force already."""
    from charter import services as charter
    from partnerships.models import Member, Role

    if charter.in_force(partnership) is not None:
        return
    version = charter.in_the_making(partnership) or charter.start_from_starter(
        by=facilitator, partnership=partnership, starter=starter
    )
    if version.status == "draft":
        charter.put_to_adoption(by=facilitator, version=version)
    for partner in charter.present_partners(partnership):
        rep = (
            Member.objects.filter(
                partnership=partnership, partner=partner, role=Role.PARTNER_REPRESENTATIVE
            )
            .select_related("user")
            .first()
        )
        if rep is not None:
            charter.record_position(
                by=rep.user, version=version, partner=partner, position="endorse"
            )
        else:
            charter.record_position(
                by=facilitator,
                version=version,
                partner=partner,
                position="endorse",
                mandate="Agreed aloud at the assembly",
            )
    # The starters admit partners by a decision only; the other rooms' pages
    # (registering a partner) are walked as they were before any charter.
    from charter.models import CharterVersion

    CharterVersion.objects.filter(partnership=partnership, status="in_force").update(
        admission_kind=""
    )


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """A decision under a consent rule of partners, open for voting."""
    from decisions import services

    adopt_starter(partnership, facilitator)
    decision = services.propose(
        by=facilitator,
        partnership=partnership,
        kind="general",
        title={"es": "Decisión de la matriz", "en": "Matrix decision"},
    )
    services.open_vote(by=facilitator, decision=decision)
    return {"decision_id": str(decision.public_id)}


def round_trip_values(partnership: Partnership, facilitator: User, voting: str) -> list[str]:
    """For the form round trip, a decision in each state whose page offers a
    form: being voted on, proposed (open, withdraw), facilitator-led
    (record its outcome) and closed (write its outcome statement)."""
    from decisions import services

    def new(kind: str = "general") -> Any:
        return services.propose(
            by=facilitator, partnership=partnership, kind=kind, title={"es": f"Decisión {kind}"}
        )

    proposed = new()
    operational = new("operational")
    closed = services.close(decision=services.open_vote(by=facilitator, decision=new()))
    return [voting, *(str(d.public_id) for d in (proposed, operational, closed))]
