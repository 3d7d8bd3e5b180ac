"""The demo partnership's steps 5-6 (Brumaverde, an invented municipality):
a protection and an empowerment strategy answering the baseline's threats,
two actions serving the adopted goal on tertiary roads (one with sub-actions
and milestones), commitments from the company, the mayor's office and a
community association, one of them delivered and confirmed by a partner of
another type. Only where the goal exists; nothing twice.

Every person is a demo persona; the titles name invented places only."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from actions import commitments, services, strategies
from actions.models import ActionStatus, Strategy
from baseline.models import Dimension, Threat
from goals.models import CollectiveGoal
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Member, Partner, Partnership, PartnerType, Role

ROADS = "Vías terciarias transitables todo el año"


def _rep(partnership: Partnership, partner: Partner) -> Any:
    member = (
        Member.objects.filter(
            partnership=partnership, partner=partner, role=Role.PARTNER_REPRESENTATIVE
        )
        .select_related("user")
        .first()
    )
    return member.user if member else None


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Strategy.objects.filter(partnership=partnership).exists():
        return
    goal = CollectiveGoal.objects.filter(partnership=partnership, title__es=ROADS).first()
    if goal is None:
        return
    with transaction.atomic():
        _scenes(partnership, users, goal)


def _partner(partnership: Partnership, start: str) -> Partner:
    return Partner.objects.get(partnership=partnership, name__startswith=start)


def _scenes(partnership: Partnership, users: dict[str, Any], goal: CollectiveGoal) -> None:
    fac = users["facilitadora"]
    today = timezone.localdate()
    company = _partner(partnership, "Agroindustrias")
    mayor = _partner(partnership, "Alcaldía")
    victims = _partner(partnership, "Asociación de Víctimas")
    threats = list(goal.threats.all()) or list(Threat.objects.filter(partnership=partnership)[:1])
    dimensions = list(
        Dimension.objects.filter(partnership=partnership, code__in=["economic", "personal"])
    )
    protection = strategies.add_strategy(
        by=fac,
        partnership=partnership,
        title={
            "es": "Vías seguras para sacar la cosecha",
            "en": "Safe roads to take the harvest out",
        },
        kind="protection",
        description={
            "es": "Alerta temprana de deslizamientos y acompañamiento en los tramos donde roban la cosecha."
        },
        threats=threats,
        goals=[goal],
        lead_partners=[mayor],
        partner_types=[PartnerType.COMMUNITY],
        dimensions=dimensions,
    )
    empowerment = strategies.add_strategy(
        by=fac,
        partnership=partnership,
        title={
            "es": "Brigadas veredales de mantenimiento",
            "en": "Vereda road-maintenance brigades",
        },
        kind="empowerment",
        description={
            "es": "Las juntas de las veredas cuidan sus vías con herramientas y jornales pagados."
        },
        threats=threats,
        goals=[goal],
        lead_partners=[victims],
        dimensions=dimensions,
    )
    roads = services.add_action(
        by=fac,
        partnership=partnership,
        title={"es": "Rehabilitar 12 km de vía entre La Neblina y el casco urbano", "en": "Rehabilitate 12 km of road"},
        kind="long_term",
        owner=mayor,
        starts_on=today - datetime.timedelta(days=60),
        due_on=today + datetime.timedelta(days=240),
        goals=[goal],
        strategies=[protection],
        threats=threats,
        contributors=[company],
    )  # fmt: skip
    drains = services.add_action(
        by=fac,
        partnership=partnership,
        title={"es": "Limpiar cunetas y alcantarillas antes de las lluvias", "en": "Clear drains before the rains"},
        kind="quick_impact",
        owner=victims,
        starts_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=20),
        goals=[goal],
        strategies=[empowerment],
    )  # fmt: skip
    design = services.add_action(
        by=fac, partnership=partnership, parent=roads, weight=30, owner=mayor, kind="long_term",
        title={"es": "Estudio y diseño del tramo"},
        starts_on=today - datetime.timedelta(days=60), due_on=today - datetime.timedelta(days=10),
    )  # fmt: skip
    services.add_action(
        by=fac, partnership=partnership, parent=roads, weight=70, owner=mayor, kind="long_term",
        title={"es": "Obra: afirmado y cunetas"},
        starts_on=today, due_on=today + datetime.timedelta(days=240),
    )  # fmt: skip
    services.set_status(by=fac, action=design, status=ActionStatus.DONE)
    services.set_status(by=fac, action=roads, status=ActionStatus.UNDER_WAY)
    first = services.add_milestone(
        by=fac,
        action=drains,
        title={"es": "Vereda La Neblina"},
        due_on=today - datetime.timedelta(days=5),
    )
    services.add_milestone(
        by=fac,
        action=drains,
        title={"es": "Vereda Helechal Alto"},
        due_on=today + datetime.timedelta(days=15),
    )
    services.mark_milestone(by=fac, milestone=first, reached_on=today - datetime.timedelta(days=4))
    services.set_status(by=fac, action=drains, status=ActionStatus.UNDER_WAY)
    mandate = "Comprometido en voz alta en la asamblea de socios."
    loan = commitments.make_commitment(
        by=_rep(partnership, company) or fac,
        partner=company,
        action=drains,
        kind="equipment",
        description={"es": "Préstamo de una volqueta y una retroexcavadora por diez días"},
        quantity=10,
        unit="días",
        due_on=today - datetime.timedelta(days=7),
        mandate="" if _rep(partnership, company) else mandate,
    )
    commitments.make_commitment(
        by=_rep(partnership, company) or fac,
        partner=company,
        action=roads,
        kind="money",
        description={"es": "Aporte a la obra del tramo"},
        amount_minor=80_000_000_00,
        currency="COP",
        due_on=today + datetime.timedelta(days=90),
        mandate="" if _rep(partnership, company) else mandate,
    )
    commitments.make_commitment(
        by=_rep(partnership, mayor) or fac,
        partner=mayor,
        action=roads,
        kind="staff_time",
        description={"es": "Un ingeniero de la Secretaría de Obras, medio tiempo"},
        quantity=120,
        unit="días",
        due_on=today + datetime.timedelta(days=240),
        mandate="" if _rep(partnership, mayor) else mandate,
    )
    commitments.make_commitment(
        by=_rep(partnership, victims) or fac,
        partner=victims,
        action=drains,
        kind="local_knowledge",
        description={"es": "Mapa de los puntos críticos de deslizamiento que conocen las familias"},
        due_on=today + datetime.timedelta(days=10),
        mandate="" if _rep(partnership, victims) else mandate,
    )
    commitments.report_fulfilment(
        by=_rep(partnership, company) or fac,
        commitment=loan,
        report="La volqueta y la retroexcavadora trabajaron diez días en La Neblina.",
        delivered_quantity=10,
        mandate="" if _rep(partnership, company) else mandate,
    )
    confirmer = _rep(partnership, victims)
    if confirmer is not None:
        commitments.confirm_fulfilment(by=confirmer, commitment=loan)


def register() -> None:
    if extend_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend_demo)
