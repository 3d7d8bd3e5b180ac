"""The demo partnership's step 3 (Brumaverde, an invented municipality): the SDG titles, a
statement conversation with about 400 invented participants whose votes split
the company from the community on some statements and unite them on others,
its opinion groups, and three collective goals — one adopted by every partner
type, one under endorsement with an objection, one draft.

The votes are synthetic and deterministic (a seeded generator) and are
written in bulk (a demo loads thousands of votes in a second, not a vote per
transaction), then counted and analysed exactly as live votes are.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from baseline.demo import sample_data_dir
from baseline.models import Dimension, Threat
from commonground import analysis
from commonground import services as talk
from commonground.models import (
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    Vote,
)
from goals import services
from goals.models import CollectiveGoal, SdgTarget
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from stakeholders.models import Segment

SEED = 20260505
TITLE = {
    "es": "¿Qué compartimos? Vías, empleo y agua en Brumaverde",
    "en": "What do we share? Roads, jobs and water in Brumaverde",
}
PARTICIPANTS = 400
# (Spanish, English, leaning: "unite" everyone agrees, "company" the company
# camp agrees and the community disagrees, "community" the reverse, "mixed")
STATEMENTS = [
    ("Las vías terciarias son la prioridad para sacar la cosecha.", "Tertiary roads are the priority for getting the harvest out.", "unite", "Robo de cosecha en vías terciarias"),
    ("Los jóvenes necesitan empleo formal en el municipio.", "Young people need formal jobs in the municipality.", "unite", "Desempleo juvenil en el casco urbano"),
    ("La empresa debe tratar las aguas mieles antes de verterlas.", "The company must treat coffee wastewater before discharging it.", "community", "Contaminación de quebradas por aguas mieles"),
    ("La seguridad en las veredas es tarea solo del Estado.", "Security in the veredas is the State's job alone.", "company", "Presencia de grupos armados ilegales"),
    ("Un acueducto veredal beneficia a todos los socios.", "A rural aqueduct benefits every partner.", "unite", "Enfermedades por agua no potable"),
    ("Las compras locales de la empresa deben ser obligatorias.", "The company's local purchasing should be mandatory.", "community", None),
    ("Los subsidios al café desincentivan la productividad.", "Coffee subsidies discourage productivity.", "company", "Caída del precio internacional del café"),
    ("Las mujeres productoras deben estar en la junta de la alianza.", "Women producers should sit on the partnership's board.", "unite", None),
    ("El páramo debe cerrarse a todo cultivo.", "The páramo should be closed to all crops.", "community", "Deforestación en la zona de páramo"),
    ("La alcaldía debe cofinanciar el mantenimiento de las vías.", "The mayor's office should co-fund road maintenance.", "unite", None),
    ("La empresa ya hace suficiente por la comunidad.", "The company already does enough for the community.", "company", None),
    ("Hace falta un puesto de salud en Nogalito.", "Nogalito needs a health post.", "mixed", "Falta de atención médica en zona rural"),
    ("Los líderes sociales necesitan protección de la alianza.", "Social leaders need the partnership's protection.", "community", "Amenazas a líderes sociales"),
    ("El emprendimiento juvenil merece un fondo semilla conjunto.", "Youth entrepreneurship deserves a joint seed fund.", "unite", None),
]  # fmt: skip
CAMPS = (
    (PartnerType.COMPANY, 0.22),
    (PartnerType.COMMUNITY, 0.48),
    (PartnerType.GOVERNMENT, 0.15),
    (PartnerType.CIVIL_SOCIETY, 0.15),
)
SEGMENTS = ("rural_producers", "women", "youth", "victims", "older_people")


def _load_sdg() -> None:
    if SdgTarget.objects.exists():
        return
    from goals.sdg import SHIPPED, import_sdg

    # The shared sample data may hold a newer set; the platform ships one.
    folder = sample_data_dir() / "sdg"
    if not (folder / "en" / "global_targets.yml").exists():
        folder = SHIPPED
    import_sdg(folder=folder)


def _vote(rng: random.Random, camp: str, leaning: str) -> int:
    if leaning == "unite":
        chance = 0.85
    elif leaning == "mixed":
        chance = 0.5
    else:
        # The government leans with the company, civil society with the community.
        side = PartnerType.COMPANY if camp == PartnerType.GOVERNMENT else camp
        side = PartnerType.COMMUNITY if camp == PartnerType.CIVIL_SOCIETY else side
        agrees = (leaning == "company") == (side == PartnerType.COMPANY)
        chance = 0.85 if agrees else 0.12
    roll = rng.random()
    if roll < 0.08:
        return 0
    return 1 if rng.random() < chance else -1


def _conversation(partnership: Partnership, fac: Any) -> Conversation:
    threats = {t.title: t for t in Threat.objects.filter(partnership=partnership)}
    c = talk.create_conversation(
        by=fac,
        partnership=partnership,
        title=TITLE,
        prompt={
            "es": "Vote de acuerdo, en desacuerdo o paso en cada afirmación. Puede escribir las suyas.",
            "en": "Vote agree, disagree or pass on each statement. You may write your own.",
        },
        public_link=True,
    )
    for es, en, _leaning, threat in STATEMENTS:
        talk.add_statement(
            conversation=c,
            text={"es": es, "en": en},
            seed=True,
            actor=fac,
            threats=[threats[threat]] if threat in threats else [],
        )
    talk.set_status(by=fac, conversation=c, status=ConversationStatus.OPEN)
    return c


def _votes(partnership: Partnership, c: Conversation) -> None:
    """Invented participants and their votes, in bulk, then counted as live."""
    rng = random.Random(SEED)
    segments = {s.code: s for s in Segment.objects.filter(partnership=partnership)}
    statements = list(Statement.objects.filter(conversation=c).order_by("number"))
    people = []
    for i in range(PARTICIPANTS):
        roll, camp = rng.random(), CAMPS[-1][0]
        for partner_type, share in CAMPS:
            if roll < share:
                camp = partner_type
                break
            roll -= share
        segment = segments.get(rng.choice(SEGMENTS)) if camp == PartnerType.COMMUNITY else None
        people.append(
            Participant(
                partnership=partnership,
                conversation=c,
                key=f"demo-{i:04d}",
                partner_type=camp,
                segment=segment,
            )
        )
    people = Participant.objects.bulk_create(people)
    votes = []
    for person in people:
        # Like real conversations, people vote on some statements only.
        seen = rng.sample(statements, k=rng.randint(7, len(statements)))
        for statement in seen:
            leaning = STATEMENTS[statement.number - 1][2]
            votes.append(
                Vote(
                    conversation=c,
                    participant=person,
                    statement=statement,
                    choice=_vote(rng, person.partner_type, leaning),
                    partner_type=person.partner_type,
                    segment_id=person.segment_id,
                )
            )
    Vote.objects.bulk_create(votes, batch_size=2000)
    counts = (
        Vote.objects.filter(conversation=c)
        .values("statement")
        .annotate(
            agree=Count("pk", filter=Q(choice=1)),
            disagree=Count("pk", filter=Q(choice=-1)),
            passed=Count("pk", filter=Q(choice=0)),
        )
    )
    for row in counts:
        Statement.objects.filter(pk=row["statement"]).update(
            agree_count=row["agree"], disagree_count=row["disagree"], pass_count=row["passed"]
        )
    Conversation.objects.filter(pk=c.pk).update(
        vote_count=len(votes), participant_count=len(people)
    )


def _targets(*codes: str) -> list[SdgTarget]:
    return list(SdgTarget.objects.filter(code__in=codes))


def _goals(partnership: Partnership, users: dict[str, Any], c: Conversation) -> None:
    fac = users["facilitadora"]
    dimensions = {d.code: d for d in Dimension.objects.filter(partnership=partnership)}
    threats = {t.title: t for t in Threat.objects.filter(partnership=partnership)}
    statements = {s.number: s for s in Statement.objects.filter(conversation=c)}
    roads = services.create_goal(
        by=fac,
        partnership=partnership,
        title={"es": "Vías terciarias transitables todo el año", "en": "Tertiary roads passable all year"},
        description={
            "es": "Mantenimiento conjunto de 40 km de vías terciarias entre las veredas cafeteras y el casco urbano.",
            "en": "Joint maintenance of 40 km of tertiary roads between the coffee veredas and the town.",
        },
        outcomes={
            "es": "Cosecha que llega al mercado en temporada de lluvias\nMenos robos en las vías",
            "en": "Harvest reaches the market in the rainy season\nFewer thefts on the roads",
        },
        indicator_placeholders={
            "es": "Km de vía transitables\nDías de incomunicación al año",
            "en": "Km of passable road\nDays cut off per year",
        },
        dimensions=[d for code, d in dimensions.items() if code in ("economic", "personal")],
        threats=[t for title, t in threats.items() if title in ("Robo de cosecha en vías terciarias", "Deslizamientos en temporada de lluvias")],
        statements=[statements[n] for n in (1, 10) if n in statements],
        sdg_targets=_targets("9.1", "11.2"),
    )  # fmt: skip
    services.open_endorsement(by=fac, goal=roads)
    # Each partner's own representative records its position; the facilitator
    # only those of partners with no representative yet (agreed at a meeting).
    speakers = {
        m.partner_id: m.user
        for m in Member.objects.filter(
            partnership=partnership, role=Role.PARTNER_REPRESENTATIVE, partner__isnull=False
        ).select_related("user")
    }
    for partner in Partner.objects.filter(partnership=partnership, left_on__isnull=True).exclude(
        partner_type=PartnerType.FACILITATOR
    ):
        services.endorse(
            by=speakers.get(partner.pk, fac),
            goal=roads,
            partner=partner,
            position="reservations"
            if partner.partner_type == PartnerType.GOVERNMENT
            else "endorse",
            reason="Sujeto a la aprobación del presupuesto municipal de 2027."
            if partner.partner_type == PartnerType.GOVERNMENT
            else "",
            # A position the facilitator records on a partner's behalf needs
            # the mandate under which the partner gave it.
            mandate=""
            if partner.pk in speakers
            else "Acordado en voz alta en la asamblea de socios del 12 de mayo.",
        )
    youth = services.create_goal(
        by=fac,
        partnership=partnership,
        title={"es": "Fondo semilla para emprendimiento juvenil", "en": "Seed fund for youth entrepreneurship"},
        outcomes={"es": "60 emprendimientos juveniles en marcha", "en": "60 youth businesses running"},
        dimensions=[d for code, d in dimensions.items() if code in ("economic", "community")],
        threats=[t for title, t in threats.items() if title == "Desempleo juvenil en el casco urbano"],
        statements=[statements[n] for n in (2, 14) if n in statements],
        sdg_targets=_targets("8.6", "8.3"),
    )  # fmt: skip
    services.open_endorsement(by=fac, goal=youth)
    company = Partner.objects.filter(
        partnership=partnership, partner_type=PartnerType.COMPANY
    ).first()
    victims = Partner.objects.filter(
        partnership=partnership, name__startswith="Asociación de Víctimas"
    ).first()
    if company is not None:
        services.endorse(by=users["empresa"], goal=youth, partner=company, position="endorse")
    if victims is not None:
        services.endorse(
            by=users["victimas"],
            goal=youth,
            partner=victims,
            position="object",
            reason="El fondo debe reservar cupos para jóvenes víctimas del conflicto.",
        )
    services.create_goal(
        by=fac,
        partnership=partnership,
        title={"es": "Agua potable en las escuelas rurales", "en": "Drinking water in rural schools"},
        dimensions=[d for code, d in dimensions.items() if code in ("health", "environmental")],
        threats=[t for title, t in threats.items() if title == "Enfermedades por agua no potable"],
        statements=[statements[n] for n in (5,) if n in statements],
        sdg_targets=_targets("6.1"),
    )  # fmt: skip


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    _load_sdg()
    if Conversation.objects.filter(partnership=partnership, title__es=TITLE["es"]).exists():
        return
    with transaction.atomic():
        c = _conversation(partnership, users["facilitadora"])
        _votes(partnership, c)
        analysis.analyse(c.pk)
        if not CollectiveGoal.objects.filter(partnership=partnership).exists():
            _goals(partnership, users, c)


def register() -> None:
    DEMO_EXTENSIONS.append(extend_demo)
