"""Starter charters: a facilitator adapts one rather than starting from nothing.

Three, in Spanish and English (the texts are data, in both languages, not
translations of the interface: a partnership working in Spanish gets the
Spanish text as its own):

- ``consensus``: a neutral facilitator and consensus for everything that
  matters, the Framework's first model;
- ``consent``: passes unless a reasoned objection stands, for partnerships
  that need to move faster without outvoting anyone;
- ``majority``: majority with a quorum for ordinary decisions, one vote per
  partner type for the charter and goals, so no type is outvoted on those.

Operational matters are facilitator-led in all three. A starter names roles,
not holders, and no budget pot (the currency and amounts are local): the
facilitator adds them when adapting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from charter.rules import DecisionKind, DecisionRule, Method, Voters

K = DecisionKind


@dataclass(frozen=True)
class Starter:
    code: str
    label: Promise
    summary: Promise
    title: dict[str, str]
    preamble: dict[str, str]
    rules: dict[str, DecisionRule]
    handover: dict[str, str]
    commitments_fate: str = "reviewed"
    admission_kind: str = K.PARTNER_ADMISSION
    roles: tuple[str, ...] = ("facilitator", "committee_member", "grievance_operator", "treasurer")
    # (what, audience, frequency); languages: the partnership's working languages.
    plan: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)


def _rules(default: DecisionRule, **by_kind: DecisionRule) -> dict[str, DecisionRule]:
    operational = DecisionRule(
        method=Method.FACILITATOR, proposers=("facilitator",), quorum_percent=1, deadline_days=7
    )
    rules = {kind: default for kind in DecisionKind.values}
    rules[K.OPERATIONAL] = operational
    rules.update(by_kind)
    return rules


HANDOVER = {
    "es": "Los documentos y datos de la alianza que tenga\n"
    "Los bienes comprados con fondos de la alianza\n"
    "Un informe del estado de sus compromisos",
    "en": "The partnership's documents and data it holds\n"
    "Goods bought with the partnership's funds\n"
    "A report on where its commitments stand",
}

PLAN = (
    ("decisions", "public", "as_it_happens"),
    ("goals", "public", "as_it_happens"),
    ("charter", "public", "as_it_happens"),
    ("minutes", "members", "as_it_happens"),
    ("budget", "public", "quarterly"),
    ("announcements", "members", "as_it_happens"),
    ("announcements", "public", "as_it_happens"),
)

STARTERS: dict[str, Starter] = {
    s.code: s
    for s in (
        Starter(
            code="consensus",
            label=_("Consensus with a neutral facilitator"),
            summary=_(
                "Every partner type must agree; a neutral facilitator convenes and keeps "
                "the record. Slow, but no one is outvoted."
            ),
            title={
                "es": "Acuerdo de gobernanza (consenso)",
                "en": "Partnership charter (consensus)",
            },
            preamble={
                "es": "Las decisiones de la alianza se toman por consenso entre todos los "
                "tipos de socio, con una facilitación neutral.",
                "en": "The partnership takes its decisions by consensus among every "
                "partner type, with a neutral facilitator.",
            },
            rules=_rules(
                DecisionRule(method=Method.CONSENSUS, voters=Voters.PARTNERS, quorum_percent=100),
                budget=DecisionRule(
                    method=Method.CONSENSUS, voters=Voters.PARTNERS, quorum_percent=100
                ),
            ),
            handover=HANDOVER,
            plan=PLAN,
        ),
        Starter(
            code="consent",
            label=_("Consent"),
            summary=_(
                "A proposal passes unless a partner raises a reasoned objection. Faster "
                "than consensus, and still no one is outvoted."
            ),
            title={
                "es": "Acuerdo de gobernanza (consentimiento)",
                "en": "Partnership charter (consent)",
            },
            preamble={
                "es": "Una propuesta se aprueba salvo que un socio presente una objeción "
                "razonada que siga en pie al cierre.",
                "en": "A proposal passes unless a partner raises a reasoned objection "
                "that still stands at the close.",
            },
            rules=_rules(
                DecisionRule(method=Method.CONSENT, voters=Voters.PARTNERS, quorum_percent=50),
            ),
            handover=HANDOVER,
            plan=PLAN,
        ),
        Starter(
            code="majority",
            label=_("Majority with a quorum"),
            summary=_(
                "Ordinary decisions by a majority of partners with a quorum; the charter "
                "and goals by one vote per partner type."
            ),
            title={"es": "Acuerdo de gobernanza (mayoría)", "en": "Partnership charter (majority)"},
            preamble={
                "es": "Las decisiones ordinarias se toman por mayoría con quórum; la carta "
                "y los objetivos, con un voto por tipo de socio.",
                "en": "Ordinary decisions are taken by a majority with a quorum; the "
                "charter and goals by one vote per partner type.",
            },
            rules=_rules(
                DecisionRule(
                    method=Method.MAJORITY,
                    voters=Voters.PARTNERS,
                    quorum_percent=60,
                    threshold_percent=50,
                ),
                charter_amendment=DecisionRule(
                    method=Method.ONE_PER_TYPE,
                    voters=Voters.PARTNER_TYPES,
                    quorum_percent=100,
                    threshold_percent=66,
                    deadline_days=21,
                ),
                goal_adoption=DecisionRule(
                    method=Method.ONE_PER_TYPE,
                    voters=Voters.PARTNER_TYPES,
                    quorum_percent=75,
                    threshold_percent=50,
                ),
            ),
            handover=HANDOVER,
            commitments_fate="transferred",
            plan=PLAN,
        ),
    )
}


def starter_choices() -> list[tuple[str, Any]]:
    return [(s.code, s.label) for s in STARTERS.values()]
