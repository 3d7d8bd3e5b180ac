"""Helpers of the charter's tests: a stand-in for the decisions room, a
community representative, a first charter in force."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from charter import hooks, parts, services
from charter.models import CharterVersion
from charter.rules import DecisionRule
from partnerships.models import Role
from tests.conftest import World, join, make_user

MANDATE = "Agreed aloud at the assembly of 3 May"


@pytest.fixture
def decisions() -> Iterator[set[tuple[int, str, str]]]:
    """Stands in for the decisions room: the decisions that passed, as
    (partnership id, reference, kind)."""
    passed: set[tuple[int, str, str]] = set()

    def check(partnership: object, reference: str, kind: str) -> bool:
        return (getattr(partnership, "pk", None), reference, kind) in passed

    hooks.register_decision_check(check)
    yield passed
    hooks._DECISION_CHECKS.remove(check)


def community_rep(world: World) -> Any:
    user = make_user("community-rep@example.test", display_name="Community persona")
    join(world.own, world.facilitator, user, Role.PARTNER_REPRESENTATIVE, world.community)
    return user


def adopt_first(world: World, starter: str = "consensus", **rules: DecisionRule) -> CharterVersion:
    """A first charter from ``starter``, with ``rules`` by decision type
    changed, adopted by the two partners of the world."""
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter=starter
    )
    for kind, rule in rules.items():
        parts.set_rule(by=world.facilitator, version=version, kind=kind, rule=rule)
    return adopt(world, version)


def adopt(world: World, version: CharterVersion) -> CharterVersion:
    """Put a draft to adoption and have every partner present endorse it:
    the company through its representative, the others on their behalf."""
    services.put_to_adoption(by=world.facilitator, version=version)
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    for partner in services.present_partners(world.own):
        if partner != world.company:
            services.record_position(
                by=world.facilitator,
                version=version,
                partner=partner,
                position="endorse",
                mandate=MANDATE,
            )
    version.refresh_from_db()
    return version
