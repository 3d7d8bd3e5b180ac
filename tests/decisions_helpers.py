"""Shared set-up of the decisions tests: a charter in force (adopted the
charter's own way) whose rules a test chooses, and more voters."""

from __future__ import annotations

from typing import Any

from charter import services as charter
from charter.models import CharterVersion
from charter.rules import DecisionKind, DecisionRule, Method, Voters
from decisions import services
from decisions.models import Decision
from partnerships.models import Member, Partner, PartnerType, Role
from tests.conftest import World, join, make_user


def charter_in_force(
    world: World, starter: str = "consent", **rules: DecisionRule
) -> CharterVersion:
    """The first charter, adopted by both partner types of the world; then
    the rules a test asks for, written straight into it (the charter room's
    editing pages are its own tests' business)."""
    version = charter.start_from_starter(
        by=world.facilitator, partnership=world.own, starter=starter
    )
    charter.put_to_adoption(by=world.facilitator, version=version)
    charter.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    charter.record_position(
        by=world.facilitator,
        version=version,
        partner=world.community,
        position="endorse",
        mandate="Agreed aloud at the assembly of 3 May",
    )
    version.refresh_from_db()
    if rules:
        data = dict(version.rules)
        data.update({kind: rule.as_data() for kind, rule in rules.items()})
        CharterVersion.objects.filter(pk=version.pk).update(rules=data)
        version.refresh_from_db()
    return version


def rep_of(world: World, partner: Partner, email: str, name: str = "") -> Any:
    user = make_user(email, display_name=name)
    join(world.own, world.facilitator, user, Role.PARTNER_REPRESENTATIVE, partner)
    return user


def add_partner(world: World, name: str, partner_type: str = PartnerType.COMMUNITY) -> Partner:
    return Partner.objects.create(partnership=world.own, name=name, partner_type=partner_type)


def community_rep(world: World) -> Any:
    return rep_of(world, world.community, "community-rep@example.test", "Community persona")


GENERAL = DecisionKind.GENERAL.value


def partners_rule(method: str = Method.MAJORITY, **extra: Any) -> DecisionRule:
    values: dict[str, Any] = {"method": method, "voters": Voters.PARTNERS, "quorum_percent": 50}
    values.update(extra)
    return DecisionRule(**values)


def proposal(world: World, kind: str = GENERAL, by: Any = None, **extra: Any) -> Decision:
    return services.propose(
        by=by or world.facilitator,
        partnership=world.own,
        kind=kind,
        title={"es": "Arreglar la vía a Nogalito", "en": "Fix the road to Nogalito"},
        body={"es": "Con fondos de la alianza."},
        **extra,
    )


def member(world: World, user: Any) -> Member:
    return Member.objects.get(partnership=world.own, user=user)
