"""The demo partnership's meetings (Brumaverde, an invented municipality):
an open assembly held three weeks ago with its agenda, invitations,
interpretation provided, named attendance and counts at the door, minutes,
a decision taken there and one action item put on the checklist; a
training and a dialogue planned. Nothing twice.

Every person is a demo persona; the places are invented."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from baseline.models import Locality
from meetings import services, services_after
from meetings.models import Meeting
from meetings.services_attendance import Attendee, record_register
from partnerships.errors import ServiceError
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Member, Partner, Partnership, PartnerType

ZONE = "America/Bogota"


def _at(days: int, hour: int) -> datetime:
    today = timezone.localtime(timezone.now(), ZoneInfo(ZONE)).date()
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(ZONE))


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Meeting.objects.filter(partnership=partnership).exists():
        return
    try:
        with transaction.atomic():
            _scenes(partnership, users["facilitadora"])
    except ServiceError:
        return  # a demo whose earlier rooms differ: no half scene


def _scenes(partnership: Partnership, fac: Any) -> None:
    locality = Locality.objects.filter(partnership=partnership).first()
    start = _at(-21, 9)
    assembly = services.convene(
        by=fac,
        partnership=partnership,
        kind="assembly",
        title={
            "es": "Asamblea abierta de la vereda Nogalito",
            "en": "Open assembly of the Nogalito rural district",
        },
        purpose={"es": "Presentar el avance de la vía y escoger las prioridades de 2027."},
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        time_zone=ZONE,
        place="Casa comunal de Nogalito",
        locality=locality,
        open_assembly=True,
    )
    add = services.add_item
    add(
        by=fac,
        meeting=assembly,
        title={"es": "Bienvenida y acuerdos de convivencia"},
        duration_minutes=15,
    )
    road = add(
        by=fac,
        meeting=assembly,
        title={"es": "La vía a Nogalito"},
        duration_minutes=10,
        lead="Alcaldía",
    )
    add(by=fac, meeting=assembly, title={"es": "Informe de obra"}, duration_minutes=30, parent=road)
    add(
        by=fac,
        meeting=assembly,
        title={"es": "Preguntas de la comunidad"},
        duration_minutes=40,
        parent=road,
    )
    add(by=fac, meeting=assembly, title={"es": "Prioridades de 2027"}, duration_minutes=45)
    services.invite(by=fac, meeting=assembly, everyone=True)
    interpretation = services.plan_service(
        by=fac,
        meeting=assembly,
        kind="interpretation",
        detail="Intérprete de lengua de señas",
    )
    childcare = services.plan_service(by=fac, meeting=assembly, kind="childcare")
    services.mark_held(by=fac, meeting=assembly, now=timezone.now())
    services.record_service(by=fac, service=interpretation, status="provided")
    services.record_service(
        by=fac,
        service=childcare,
        status="not_provided",
        note="La persona encargada no pudo llegar por la lluvia.",
    )
    present = list(
        Member.objects.filter(partnership=partnership, partner__isnull=False).select_related(
            "partner"
        )
    )
    record_register(
        by=fac,
        meeting=assembly,
        attendees=[Attendee(member=m) for m in present],
        counts={
            "total": 46,
            "gender": {"woman": 27, "man": 17},
            "age_band": {"18_29": 11, "30_44": 15, "45_59": 12, "60_plus": 5},
        },
    )
    services_after.write_minutes(
        by=fac,
        meeting=assembly,
        minutes={
            "es": "La alcaldía presentó el avance de la vía (60 % del afirmado). La comunidad "
            "pidió cunetas antes del invierno. Se acordó priorizar el emprendimiento juvenil "
            "y el retorno de las familias desplazadas en 2027.",
            "en": "The mayor's office reported on the road (60 % surfaced). The community asked "
            "for drainage before the rainy season. Youth enterprise and the return of displaced "
            "families were agreed as the priorities for 2027.",
        },
    )
    mayor = Partner.objects.filter(
        partnership=partnership, partner_type=PartnerType.GOVERNMENT
    ).first()
    item = services_after.add_action_item(
        by=fac,
        meeting=assembly,
        title={
            "es": "Construir las cunetas del tramo El Cedro",
            "en": "Build the drains of the El Cedro stretch",
        },
        owner=mayor,
        due_on=(start + timedelta(days=60)).date(),
    )
    if mayor is not None:
        services_after.convert_item(by=fac, item=item, kind="quick_impact")
    try:
        with transaction.atomic():
            services_after.record_decision(
                by=fac,
                meeting=assembly,
                kind="operational",
                title={"es": "Cunetas antes del invierno"},
                outcome={"es": "La alcaldía construye las cunetas del tramo El Cedro."},
            )
    except ServiceError:
        pass  # no charter with operational decisions: the meeting stands without one
    training_start = _at(7, 14)
    services.convene(
        by=fac,
        partnership=partnership,
        kind="training",
        title={
            "es": "Taller de presupuesto participativo",
            "en": "Participatory budgeting workshop",
        },
        starts_at=training_start,
        ends_at=training_start + timedelta(hours=3),
        time_zone=ZONE,
        place="Institución educativa de Brumaverde",
        locality=locality,
        topics=["participatory_budgeting", "human_security"],
    )
    dialogue_start = _at(14, 10)
    services.convene(
        by=fac,
        partnership=partnership,
        kind="dialogue",
        title={"es": "Diálogo sobre el agua de la microcuenca"},
        starts_at=dialogue_start,
        ends_at=dialogue_start + timedelta(hours=2),
        time_zone=ZONE,
        place="Vereda La Esperanza",
        online_link="https://meet.example/brumaverde-agua",
    )


def register() -> None:
    if extend_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend_demo)
