"""The charter's core: drafts from starters, adoption of the first charter by
every partner type, the rule in force, amendments only through a decision."""

from __future__ import annotations

import pytest

from charter import services
from charter.models import CharterPosition, CharterRole, CharterStatus, RoleKind
from charter.rules import DecisionKind, Method
from partnerships.errors import ServiceError
from tests.charter_factories import adopt_first, decisions
from tests.conftest import World

__all__ = ["decisions"]  # a fixture


def test_it_has_no_rule_without_a_charter(world: World) -> None:
    assert services.in_force(world.own) is None
    assert services.rule_for(world.own, DecisionKind.GOAL_ADOPTION) is None
    assert services.decision_types(world.own) == []


def test_it_adopts_the_first_charter_once_every_partner_type_endorses(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consent"
    )
    assert version.status == CharterStatus.DRAFT
    assert version.title["es"].startswith("Acuerdo de gobernanza")
    services.put_to_adoption(by=world.facilitator, version=version)
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    version.refresh_from_db()
    assert version.status == CharterStatus.UNDER_ADOPTION
    services.record_position(
        by=world.facilitator,
        version=version,
        partner=world.community,
        position="reservations",
        reason="We want a yearly review.",
        mandate="Agreed aloud at the assembly of 3 May",
    )
    version.refresh_from_db()
    assert version.status == CharterStatus.IN_FORCE
    assert services.in_force(world.own) == version
    rule = services.rule_for(world.own, DecisionKind.GOAL_ADOPTION)
    assert rule is not None and rule.method == Method.CONSENT
    types = services.decision_types(world.own)
    assert [t.code for t in types][:2] == ["charter_amendment", "goal_adoption"]
    assert types[0].label == "Amending the charter"


def test_it_lets_an_objection_with_its_reason_block(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    with pytest.raises(ServiceError) as refused:
        services.record_position(
            by=world.company_rep, version=version, partner=world.company, position="object"
        )
    assert refused.value.field == "reason"
    assert not CharterPosition.objects.exists()
    services.record_position(
        by=world.company_rep,
        version=version,
        partner=world.company,
        position="object",
        reason="The budget rule is too loose.",
    )
    services.record_position(
        by=world.facilitator,
        version=version,
        partner=world.community,
        position="endorse",
        mandate="Agreed aloud at the assembly of 3 May",
    )
    version.refresh_from_db()
    assert version.status == CharterStatus.UNDER_ADOPTION


def test_it_refuses_an_amendment_that_bypasses_the_charter(
    world: World, decisions: set[tuple[int, str, str]]
) -> None:
    first = adopt_first(world)
    assert first.status == CharterStatus.IN_FORCE
    amendment = services.start_amendment(by=world.facilitator, partnership=world.own)
    assert amendment.number == 2
    assert CharterRole.objects.filter(version=amendment, kind=RoleKind.FACILITATOR).exists()
    services.put_to_adoption(by=world.facilitator, version=amendment)
    # Not by positions...
    with pytest.raises(ServiceError):
        services.record_position(
            by=world.company_rep, version=amendment, partner=world.company, position="endorse"
        )
    # ...nor by a decision that did not pass, or of another type.
    decisions.add((world.own.pk, "D-7", DecisionKind.GENERAL))
    for reference in ("", "D-7", "D-8"):
        with pytest.raises(ServiceError):
            services.bring_into_force(
                by=world.facilitator, version=amendment, decision_reference=reference
            )
    amendment.refresh_from_db()
    assert amendment.status == CharterStatus.UNDER_ADOPTION
    decisions.add((world.own.pk, "D-9", DecisionKind.CHARTER_AMENDMENT))
    amendment = services.bring_into_force(
        by=world.facilitator, version=amendment, decision_reference="D-9"
    )
    first.refresh_from_db()
    assert first.status == CharterStatus.SUPERSEDED
    assert services.in_force(world.own) == amendment
    assert amendment.decision_reference == "D-9"
