"""The demo partnership's charter (Brumaverde, an invented municipality):
adapted from the consensus starter, with its roles named, a seed fund for
youth enterprise and its approval limit, a line added to the communication
plan, and adopted by every partner type (the municipality with a
reservation). One spending approved by the treasurer within its limit."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from charter import parts, services
from charter.models import CharterVersion
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Member, Partner, Partnership, Role

MANDATE = "Acordado en voz alta en la reunión de socios del 12 de marzo de 2026"
TERM = datetime.date(2026, 3, 12)


def _partner(partnership: Partnership, start: str) -> Partner:
    return Partner.objects.get(partnership=partnership, name__startswith=start)


def _adapt(partnership: Partnership, users: dict[str, Any]) -> CharterVersion:
    fac = users["facilitadora"]
    version = services.start_from_starter(by=fac, partnership=partnership, starter="consensus")
    parts.update_texts(
        by=fac,
        version=version,
        title={
            "es": "Acuerdo de gobernanza de la Alianza por Brumaverde",
            "en": "Charter of the Brumaverde Partnership",
        },
        preamble={
            "es": "Las decisiones que importan se toman por consenso entre empresa, comunidad, "
            "gobierno y sociedad civil, con una facilitación neutral. Los asuntos operativos "
            "los resuelve el equipo facilitador y los informa en la siguiente mesa.",
            "en": "Decisions that matter are taken by consensus among company, community, "
            "government and civil society, with a neutral facilitator. Operational matters are "
            "settled by the facilitator and reported at the next meeting.",
        },
    )
    vacant = list(version.roles.all())  # the starter's roles, no one named yet
    cooperative = _partner(partnership, "Cooperativa de Mujeres")
    holders: list[tuple[str, dict[str, Any]]] = [
        ("facilitator", {"holder_member": Member.objects.get(partnership=partnership, user=fac)}),
        ("committee_member", {"holder_partner": _partner(partnership, "Agroindustrias")}),
        ("committee_member", {"holder_partner": _partner(partnership, "Asociación de Víctimas")}),
        ("treasurer", {"holder_partner": cooperative}),
    ]
    for kind, holder in holders:
        parts.add_role(
            by=fac,
            version=version,
            kind=kind,
            term_start=TERM,
            term_end=datetime.date(2028, 3, 11),
            **holder,
        )
    # The grievance operator stays vacant until the grievance mechanism starts.
    for role in vacant:
        if role.kind != "grievance_operator":
            parts.remove_role(by=fac, role=role)
    pot = parts.add_pot(
        by=fac,
        version=version,
        name={"es": "Fondo semilla juvenil", "en": "Youth seed fund"},
        currency="COP",
        amount_minor=120_000_000_00,
    )
    parts.add_limit(
        by=fac, version=version, pot=pot, role_kind="treasurer", limit_minor=5_000_000_00
    )
    parts.add_plan_row(
        by=fac,
        version=version,
        what="commitments",
        audience="public",
        languages=["es"],
        frequency="quarterly",
    )
    return version


def _adopt(partnership: Partnership, users: dict[str, Any], version: CharterVersion) -> None:
    services.put_to_adoption(by=users["facilitadora"], version=version)
    speakers = {
        m.partner_id: m.user
        for m in Member.objects.filter(
            partnership=partnership, role=Role.PARTNER_REPRESENTATIVE, partner__isnull=False
        ).select_related("user")
    }
    for partner in services.present_partners(partnership):
        speaker = speakers.get(partner.pk)
        municipality = partner.name.startswith("Alcaldía")
        services.record_position(
            by=speaker or users["facilitadora"],
            version=version,
            partner=partner,
            position="reservations" if municipality else "endorse",
            reason="Pedimos revisar el acuerdo al cumplir un año." if municipality else "",
            mandate="" if speaker else MANDATE,
        )


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if CharterVersion.objects.filter(partnership=partnership).exists():
        return
    with transaction.atomic():
        version = _adapt(partnership, users)
        _adopt(partnership, users, version)
        pot = version.pots.get()
        parts.approve_spending(
            by=users["cooperativa"],
            pot=pot,
            amount_minor=2_500_000_00,
            purpose="Semillas y herramientas para el vivero del colectivo juvenil.",
        )


def register() -> None:
    DEMO_EXTENSIONS.append(extend_demo)
