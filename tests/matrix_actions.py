"""The actions room's part of the permission matrix (tests/test_permission_matrix.py):
a strategy, an action with a milestone, and a commitment recorded on a
partner's behalf, in the partnership asked."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from partnerships.models import Partner, Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    from actions import commitments, services, strategies

    # The company: the other rooms' forms delete the community partner, which
    # nothing of this room may hold on to.
    partner = (
        Partner.objects.filter(partnership=partnership, partner_type="company").first()
        or Partner.objects.filter(partnership=partnership)
        .exclude(partner_type="facilitator")
        .first()
    )
    assert partner is not None
    strategy = strategies.add_strategy(
        by=facilitator,
        partnership=partnership,
        title={"es": "Estrategia de la matriz"},
        kind="protection",
    )
    action = services.add_action(
        by=facilitator,
        partnership=partnership,
        title={"es": "Acción de la matriz"},
        kind="quick_impact",
        owner=partner,
        strategies=[strategy],
    )
    milestone = services.add_milestone(by=facilitator, action=action, title={"es": "Hito"})
    commitment = commitments.make_commitment(
        by=facilitator,
        partner=partner,
        action=action,
        kind="staff_time",
        description={"es": "Dos técnicos"},
        due_on=datetime.date(2027, 6, 30),
        mandate="Prometido en la asamblea",
    )
    return {
        "strategy_id": str(strategy.public_id),
        "action_id": str(action.public_id),
        "milestone_id": str(milestone.public_id),
        "commitment_id": str(commitment.public_id),
    }


def round_trip_values(partnership: Partnership, facilitator: User, action_id: str) -> list[str]:
    """For the form round trip: the matrix action gets a budget line (so its
    spending form has one to pay from) and a reported delivery from a civil
    society partner (so the company's representative, of another type, is
    offered the confirmation); and a second action that nothing depends on,
    whose delete form is offered."""
    from actions import budget, commitments, services
    from actions.models import Action

    action = Action.objects.get(public_id=action_id)
    budget.plan_line(
        by=facilitator,
        action=action,
        partner=action.owner,
        name={"es": "Materiales"},
        currency="COP",
        planned_minor=100_000,
    )
    ngo = Partner.objects.create(
        partnership=partnership, name="ONG de la matriz", partner_type="civil_society"
    )
    pledge = commitments.make_commitment(
        by=facilitator,
        partner=ngo,
        action=action,
        kind="skills",
        description={"es": "Un taller"},
        due_on=datetime.date(2027, 6, 30),
        mandate="Dicho en la asamblea",
    )
    commitments.report_fulfilment(
        by=facilitator, commitment=pledge, report="Entregado", mandate="Dicho en la asamblea"
    )
    lone = services.add_action(
        by=facilitator,
        partnership=partnership,
        title={"es": "Acción sin dependencias"},
        kind="long_term",
        owner=action.owner,
    )
    return [action_id, str(lone.public_id)]
