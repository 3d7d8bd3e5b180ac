"""The stakeholder map of the demo partnership (Brumaverde, an invented municipality).

A realistic map for a rural, post-conflict municipality: about 270 actors
(organisations and groups, some of them the collective roles of many people,
such as rural teachers or traditional midwives) with their segments, some 650
relations of every type, the partners' assessments — with visible
disagreements — and eight groups flagged at risk if identified. One default
segment (migrants) is deliberately absent and women, though widely mapped,
are seldom engaged: the gaps the inclusion page is there to show.

Everything here is invented, places included (veredas, corregimientos, rivers
and the municipalities around are real kinds of places with invented names).
Every actor but the partners is marked "(demo)". There is no individual and
no office that one person holds (a parish priest, a police inspector, a
spokesperson): in a small place such a role names its holder.

``extend_demo`` registers itself in ``DEMO_EXTENSIONS`` at import and does
nothing if the partnership already has actors. It is deterministic (a seeded
random generator). The services (which audit) create the partners' actors,
the flagged actors and a sample of everything else; the bulk is written with
``bulk_create``, as an import would, and the derived scores are then
refreshed through ``services.refresh_summary``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from partnerships.management.commands.demo import DEMO_EXTENSIONS, DOMAIN, HOME_CODE
from partnerships.models import Partner, Partnership, PartnerType
from stakeholders import services
from stakeholders.demo_data import (
    ASSESSORS,
    COMPANY,
    COOP,
    DEMO,
    DESCRIPTIONS,
    ENGAGED,
    FLAGS,
    FOUNDATION,
    KINDS,
    MAYOR,
    PARTNER_ROWS,
    PLACES,
    PROFILES,
    ROWS,
    SEED,
    SPOKESPEOPLE,
    TYPES,
    UNIVERSITY,
    VEREDAS,
    VICTIMS,
    YOUTH,
    E,
    S,
    Spec,
)
from stakeholders.models import (
    Actor,
    ActorKind,
    Assessment,
    Engagement,
    Relation,
    RelationType,
    Segment,
)


def _parse(rows: str, *, partners: bool = False) -> list[Spec]:
    specs = []
    for line in rows.strip().splitlines():
        profile, kind, ptype, segments, place, tags, name = (c.strip() for c in line.split("|"))
        specs.append(
            Spec(
                name=name if partners else name + DEMO,
                kind=KINDS[kind],
                partner_type=TYPES[ptype],
                profile=profile,
                segments=tuple(segments.split(",")) if segments != "-" else (),
                place=place,
                tags=tuple(tags.split(",")) if tags != "-" else (),
                partner=name if partners else "",
                description=DESCRIPTIONS.get(name, ""),
                flag=FLAGS.get(name, ""),
                engaged=ENGAGED.get(name),
            )
        )
    return specs


def _villages(rng: random.Random) -> list[Spec]:
    """The organisations of the veredas: juntas, producers and women's groups."""
    specs = []
    for i, v in enumerate(VEREDAS):
        purpose = rng.choice(
            (
                f"Gestiona la vía y el acueducto veredal de {v}.",
                f"Organización comunitaria de la vereda {v}; convoca los convites.",
                f"Junta de {v}; prioriza el mejoramiento de la placa huella.",
            )
        )
        specs.append(
            Spec(
                f"Junta de Acción Comunal vereda {v}{DEMO}",
                ActorKind.ORGANISATION,
                PartnerType.COMMUNITY,
                "jac",
                ("rural_producers",) if i % 3 == 0 else (),
                v,
                ("vías", "agua")[: 1 + i % 2],
                description=purpose,
                contact=i % 4 == 0,
            )
        )
    # (who, the same in the feminine, tag, what they produce)
    crops = [
        ("Caficultores", "Caficultoras", "café", "café"),
        ("Cacaoteros", "Cacaoteras", "cacao", "cacao"),
        ("Aguacateros", "Aguacateras", "aguacate", "aguacate"),
        ("Paneleros", "Paneleras", "panela", "panela"),
        ("Apicultores", "Apicultoras", "miel", "miel y polen"),
        ("Piscicultores", "Piscicultoras", "pescado", "trucha y tilapia"),
        ("Productores de Café Especial", "Productoras de Café Especial", "café", "café especial"),
        ("Ganaderos", "Ganaderas", "ganadería", "leche y carne"),
    ]
    for i in range(34):
        men, fem, tag, product = crops[i % len(crops)] if i < 16 else crops[i % 3]
        v = VEREDAS[(i * 7 + 3) % len(VEREDAS)]
        women = i % 6 == 5
        segments: tuple[str, ...] = ("rural_producers", "women") if women else ("rural_producers",)
        if i % 10 == 4:
            segments = (*segments, "victims")
        specs.append(
            Spec(
                f"Asociación de Mujeres {fem} de {v}{DEMO}"
                if women
                else f"Asociación de {men} de {v}{DEMO}",
                ActorKind.ORGANISATION if i % 4 else ActorKind.GROUP,
                PartnerType.COMMUNITY,
                "producers",
                segments,
                v,
                (tag,),
                description=f"Producen {product} en {v} y las veredas vecinas.",
                engaged=False if women else None,
                contact=i % 3 == 0,
            )
        )
    groups = [
        "Grupo de Mujeres Tejedoras de {v}",
        "Comité de Mujeres de la JAC {v}",
        "Huerteras de {v}",
        "Madres Comunitarias de {v}",
        "Mujeres Emprendedoras de {v}",
        "Grupo de Ahorro de Mujeres de {v}",
    ]
    for i in range(24):
        v = VEREDAS[(i * 5 + 1) % len(VEREDAS)]
        specs.append(
            Spec(
                groups[i % len(groups)].format(v=v) + DEMO,
                ActorKind.GROUP,
                PartnerType.COMMUNITY,
                "women",
                ("women", "rural_producers") if i % 4 == 2 else ("women",),
                v,
                (("mujeres", "huertas", "ahorro")[i % 3],),
                description=f"Mujeres de {v} que se reúnen cada mes.",
                engaged=True if i == 7 else None,
            )
        )
    return specs


def all_specs(rng: random.Random) -> list[Spec]:
    """Every actor of the map, each name once."""
    specs: dict[str, Spec] = {}
    for spec in _parse(PARTNER_ROWS, partners=True) + _parse(ROWS) + _villages(rng):
        specs.setdefault(spec.name, spec)
    for i, spec in enumerate(specs.values()):
        if i % 3 == 0:
            spec.contact = True
    return list(specs.values())


# --- Relations -------------------------------------------------------------------------

UNDIRECTED = (RelationType.WORKS_WITH, RelationType.IN_CONFLICT_WITH)
NOTES = {
    RelationType.SUPPLIES: (
        "Vende café pergamino seco",
        "Entrega semanal en temporada",
        "Crédito de insumos a la cosecha",
    ),
    RelationType.FUNDS: ("Proyecto de huertas 2026", "Fondo rotatorio", "Convocatoria PDET"),
    RelationType.IN_CONFLICT_WITH: (
        "Disputa por el agua de la quebrada",
        "Desacuerdo sobre el trazado de la vía",
        "Conflicto por linderos",
    ),
}
# Standing tensions, named: (source, target, note).
TENSIONS = [
    (
        "Comité de reclamantes de tierras del Ceniza",
        "Ganadería El Horizonte",
        "Conflicto por linderos",
    ),
    (
        "Familias reclamantes de tierras de Vega del Ceniza",
        "Ganadería El Horizonte",
        "Predios en proceso de restitución",
    ),
    (
        "Colectivo Ambiental Guardianes del Páramo",
        "Exploraciones Mineras del Alto Ceniza",
        "Títulos mineros en zona de páramo",
    ),
    (
        "Observatorio Ambiental de la Cuenca del Ceniza",
        "Maderas y Aserrío Los Cedros",
        "Tala en la ronda del río",
    ),
    ("Transportes Veredales del Sur", "Constructora Vías de Montaña S.A.S.", "Cierres de vía"),
    ("Veeduría Ciudadana de Obras Viales", "Constructora Vías de Montaña S.A.S.", "Retrasos"),
    (
        "Cabildo Indígena de Alto del Oso",
        "Exploraciones Mineras del Alto Ceniza",
        "Consulta previa",
    ),
    (VICTIMS, COMPANY, "Compra de predios de familias desplazadas"),
    (
        "Asociación de Víctimas de Alto Ceniza",
        "Agencia Nacional de Tierras — Unidad Regional",
        "Demoras en la restitución",
    ),
    ("Concejo Municipal de Brumaverde", MAYOR, "Debate sobre el presupuesto de vías"),
]
# Who belongs to or speaks for whom, named: (source, target, type).
TIES = [
    ("Directiva de la Asociación Municipal de Juntas Comunales", "Asociación Municipal de Juntas de Acción Comunal", "represents"),
    ("Consejo de Mayores del Cabildo Indígena de Alto del Oso", "Cabildo Indígena de Alto del Oso", "represents"),
    ("Sabedores indígenas del Cabildo de Alto del Oso", "Cabildo Indígena de Alto del Oso", "member_of"),
    ("Bancada rural del Concejo Municipal", "Concejo Municipal de Brumaverde", "member_of"),
    ("Lideresas comunales de la vereda El Diamante", "Junta de Acción Comunal vereda El Diamante", "represents"),
    ("Comité de Mujeres Cafeteras de Cañaflor", COOP, "member_of"),
    ("Equipo de reporteros de la emisora comunitaria", "Emisora Comunitaria Voces del Ceniza", "member_of"),
    ("Parroquia del Casco Urbano", "Pastoral Social Diocesana", "member_of"),
    ("Grupo Juvenil Parroquial", "Parroquia del Casco Urbano", "member_of"),
    ("Estación de Policía de Brumaverde", "Secretaría de Gobierno Municipal", "works_with"),
    ("Docentes rurales de la vereda Cumbre Alta", "Institución Educativa Rural Cumbre Alta", "member_of"),
    ("Directiva de la JAC de La Esmeralda", "Junta de Acción Comunal vereda La Esmeralda", "represents"),
    ("Firmantes de paz del casco urbano", "Cooperativa Multiactiva de Firmantes de Paz de Brumaverde", "member_of"),
    ("Mesa Municipal de Participación de Víctimas", VICTIMS, "works_with"),
    ("Red Municipal de Mujeres", COOP, "works_with"),
    ("Plataforma Municipal de Juventudes", YOUTH, "works_with"),
    ("Transportes Veredales del Sur", COOP, "supplies"),
    ("Constructora Vías de Montaña S.A.S.", MAYOR, "supplies"),
    ("Comerciantes mayoristas de café del casco urbano", COMPANY, "supplies"),
]  # fmt: skip
PARTNER_NAMES = {COMPANY, MAYOR, VICTIMS, COOP, YOUTH, UNIVERSITY, FOUNDATION}

Edge = tuple[str, str, str, int, str]


def _d(name: str) -> str:
    """The stored name: partners as they are, everyone else marked as demo."""
    return name if name in PARTNER_NAMES else name + DEMO


def _relations(specs: list[Spec], rng: random.Random) -> list[Edge]:
    """(source, target, type, strength, note): each once, none to itself; an
    undirected relation is not repeated the other way round."""
    by_profile: dict[str, list[str]] = {}
    for spec in specs:
        by_profile.setdefault(spec.profile, []).append(spec.name)

    def p(*profiles: str) -> list[str]:
        return [name for prof in profiles for name in by_profile.get(prof, [])]

    edges: list[Edge] = []
    seen: set[tuple[str, str, str]] = set()

    def rel(source: str, target: str, kind: str, note: str = "") -> None:
        if source == target or (source, target, kind) in seen:
            return
        if kind in UNDIRECTED and (target, source, kind) in seen:
            return
        seen.add((source, target, kind))
        if not note and kind in NOTES and rng.random() < 0.4:
            note = rng.choice(NOTES[RelationType(kind)])
        edges.append((source, target, kind, rng.choice((2, 3, 3, 4, 5)), note))

    member, represents, works = "member_of", "represents", "works_with"
    funds, supplies, conflict, influences = "funds", "supplies", "in_conflict_with", "influences"
    asojuntas = _d("Asociación Municipal de Juntas de Acción Comunal")
    cafeteros = _d("Comité Municipal de Cafeteros")
    concejo = _d("Concejo Municipal de Brumaverde")
    jacs, producers, victims = p("jac"), p("producers"), p("victims", "displaced")
    community = p(
        *("jac", "producers", "women", "youth", "older", "indigenous", "afro"),
        *("victims", "displaced", "excombatants", "disability"),
    )
    civil = [*p("civil", "church", "media", "donor"), FOUNDATION, UNIVERSITY]

    for source, target, kind in TIES:
        rel(_d(source), _d(target), kind)
    # Federations and networks.
    for jac in jacs:
        rel(jac, asojuntas, member)
    for prod in producers:
        coffee = "Caf" in prod
        rel(prod, cafeteros if coffee else COOP if "Mujeres" in prod else asojuntas, member)
    for group in p("women"):
        rel(group, _d("Red Municipal de Mujeres"), member)
        if rng.random() < 0.35:
            rel(group, COOP, member)
    for group in p("youth"):
        rel(group, _d("Plataforma Municipal de Juventudes"), member)
    for group in victims:
        rel(group, _d("Mesa Municipal de Participación de Víctimas"), member)
    for group in rng.sample(victims, 8):
        rel(VICTIMS, group, represents)
    for jac in rng.sample(jacs, 5):
        rel(_d("Bancada rural del Concejo Municipal"), jac, represents)
    # Leaders' groups: the organisations of their segments, nearby if there are any.
    for spec in specs:
        if spec.profile == "leader" and spec.segments:
            alike = [
                x for x in specs if x.profile != "leader" and set(x.segments) & set(spec.segments)
            ]
            near = [x.name for x in alike if x.place == spec.place] or [x.name for x in alike]
            for target in rng.sample(near, min(2, len(near))):
                rel(spec.name, target, member)
    # Everyday collaboration.
    for org in civil:
        for target in rng.sample(community, rng.randint(2, 4)):
            rel(org, target, works)
    for org in [*p("local_gov", "national_gov"), MAYOR]:
        for target in rng.sample(community + civil, rng.randint(1, 4)):
            rel(org, target, works)
    for spec in specs:
        if spec.profile == "school":
            for jac in [j for j in jacs if spec.place in j] or rng.sample(jacs, 1):
                rel(spec.name, jac, works)
    for i, jac in enumerate(jacs):
        rel(jac, jacs[(i + 1) % len(jacs)], works)
    for group in rng.sample(community, 20):
        rel(group, rng.choice(community), works)
    # Money.
    for donor in [*p("donor"), COMPANY, MAYOR]:
        for target in rng.sample(community, rng.randint(4, 9)):
            rel(donor, target, funds)
    for agency in p("national_gov")[:8]:
        rel(agency, MAYOR, funds)
        rel(agency, rng.choice(community), funds)
    # Goods.
    coffee_buyers = [COMPANY, *p("company")[:6]]
    avocado_buyers = [
        COMPANY,
        _d("Procesadora de Aguacate del Sur"),
        _d("Agroindustrias El Mirador"),
    ]
    other_buyers = [
        COOP,
        _d("Supermercado Central Brumaverde"),
        _d("Mercado Campesino de los Sábados"),
    ]
    shops = [s.name for s in specs if "insumos" in s.tags]
    for prod in [*producers, *p("excombatants")[:2], COOP]:
        coffee = any(w in prod for w in ("Caf", "Reincorporados", "Manos de Brumaverde"))
        buyers = coffee_buyers if coffee else avocado_buyers if "Aguacat" in prod else other_buyers
        for buyer in rng.sample(buyers, rng.randint(1, 2)):
            rel(prod, buyer, supplies)
        for shop in rng.sample(shops, rng.randint(0, 2)):
            rel(shop, prod, supplies)
    for shop in shops:
        rel(shop, COMPANY, supplies)
    # Tensions.
    for source, target, note in TENSIONS:
        rel(_d(source), _d(target), conflict, note)
    for _ in range(14):
        a, b = rng.sample(jacs, 2)
        rel(a, b, conflict, "Disputa por el agua de la quebrada")
    for extractive in p("extractive"):
        for target in rng.sample(community, 3):
            rel(extractive, target, conflict)
    # Influence.
    for voice in [*p("media", "church"), concejo, MAYOR, cafeteros]:
        for target in rng.sample(community, rng.randint(4, 9)):
            rel(voice, target, influences)
    for agency in p("national_gov"):
        rel(agency, rng.choice([MAYOR, concejo]), influences)
    for force in p("security"):
        for target in rng.sample(community, 3):
            rel(force, target, influences)
    return edges


# --- Assessments -----------------------------------------------------------------------

# The partners assessed in a first round in April and reviewed from September.
FIRST_ROUND = datetime.date(2026, 4, 6)
REVIEW = datetime.date(2026, 9, 7)


@dataclass
class View:
    """One partner's assessment of one actor."""

    actor: str
    partner: str
    on: datetime.date
    influence: int
    interest: int
    capacity: int
    stance: str
    engagement: str
    note: str = ""


def _clamp(score: int) -> int:
    return max(1, min(5, score))


def _lower(level: str) -> str:
    return str(Engagement.values[max(0, Engagement.rank(level) - 1)])


def _views(specs: list[Spec], assessors: list[str], rng: random.Random) -> list[View]:
    """Most actors assessed by one to three partners, a history for some, and
    the disagreements: the company does not see the victims' organisations as
    influential; the victims' association does."""
    today = timezone.localdate()
    pool = [a for a in assessors for _ in range(ASSESSORS[a])]
    unassessed = {s.name for s in rng.sample([s for s in specs if not s.partner], 22)}
    disputes = COMPANY in assessors and VICTIMS in assessors
    views: list[View] = []
    for spec in specs:
        if spec.name in unassessed:
            continue
        influence, interest, capacity, stances, levels = PROFILES[spec.profile]
        if spec.engaged is True:
            levels = (E.INVOLVE, E.COLLABORATE)
        elif spec.engaged is False:
            levels = tuple(lv for lv in levels if lv not in E.engaged_values()) or (E.CONSULT,)
        level = rng.choice(levels)
        count = min(3 if spec.partner else rng.choice((1, 1, 2, 2, 2, 3)), len(assessors) - 1)
        who: list[str] = []
        while len(who) < count:
            pick = rng.choice(pool)
            if pick not in who and pick != spec.partner:
                who.append(pick)
        disputed = disputes and spec.profile in ("victims", "displaced") and rng.random() < 0.55
        if disputed:
            who = [COMPANY, VICTIMS, *(w for w in who if w not in (COMPANY, VICTIMS))][:3]
        newest = rng.randint(24, 45)
        for i, partner in enumerate(who):
            # The first partner's view is the newest: it sets the engagement level.
            view = View(
                actor=spec.name,
                partner=partner,
                on=min(today, REVIEW + datetime.timedelta(days=newest - 12 * i)),
                influence=_clamp(influence + rng.choice((-1, 0, 0, 0, 0, 1))),
                interest=_clamp(interest + rng.choice((-1, 0, 0, 0, 1))),
                capacity=_clamp(capacity + rng.choice((-1, 0, 0, 1))),
                stance=rng.choice(stances),
                engagement=level if i == 0 else rng.choice((level, _lower(level))),
            )
            if disputed and partner == COMPANY:
                view.influence, view.stance = 2, S.SCEPTICAL
                view.note = "Poca capacidad de incidir en las decisiones del municipio."
            elif disputed and partner == VICTIMS:
                view.influence = 5
                view.note = "Convoca a cientos de familias y tiene voz ante la alcaldía."
            elif partner == VICTIMS and spec.profile == "extractive":
                view.interest, view.stance = 1, S.OPPOSED
            elif partner == MAYOR and spec.profile in ("local_gov", "national_gov"):
                view.influence = 5
            elif partner == COOP and "women" in spec.segments:
                view.interest = 5
            views.append(view)
            if spec.engaged is not True and rng.random() < 0.18:
                # The same partner's view in the first round: the history.
                first = FIRST_ROUND + datetime.timedelta(days=rng.randint(0, 20))
                views.append(
                    View(
                        actor=spec.name,
                        partner=partner,
                        on=min(today, first),
                        influence=_clamp(view.influence - rng.choice((0, 1))),
                        interest=_clamp(view.interest - 1),
                        capacity=view.capacity,
                        stance=S.UNKNOWN,
                        engagement=_lower(view.engagement),
                    )
                )
    return views


# --- Loading ---------------------------------------------------------------------------


def _fields(spec: Spec, segments: dict[str, Segment], number: int) -> dict[str, Any]:
    area_code, locality = PLACES.get(spec.place, (HOME_CODE, f"Vereda {spec.place}"))
    fields: dict[str, Any] = {
        "name": spec.name,
        "kind": spec.kind,
        "partner_type": spec.partner_type,
        "area_code": area_code,
        "locality_name": locality,
        "tags": sorted(spec.tags),
        "description": spec.description,
        "segments": [segments[code] for code in spec.segments if code in segments],
    }
    if spec.contact or spec.flag:
        local = slugify(spec.name.removesuffix(DEMO))[:40]
        fields["contact_email"] = f"{local}@{DOMAIN}"
        # Colombian numbers begin with 3 (mobile) or 60 (fixed): 000 reaches no one.
        fields["contact_phone"] = f"+57 000 000 {number:04d}"
        fields["contact_notes"] = (
            "Contactar solo a través de la facilitadora."
            if spec.flag
            else "Reuniones el primer sábado de cada mes."
        )
    return fields


@transaction.atomic
def extend_demo(partnership: Partnership, users: dict[str, User]) -> None:
    """Give the demo partnership its stakeholder map (nothing if it has one)."""
    if Actor.objects.filter(partnership=partnership).exists():
        return
    rng = random.Random(SEED)
    fac = users["facilitadora"]
    services.ensure_default_segments(partnership=partnership, by=fac)
    segments = {s.code: s for s in services.segments_of(partnership)}
    partners = {
        p.name: p for p in Partner.objects.filter(partnership=partnership, left_on__isnull=True)
    }
    specs = all_specs(rng)

    def spokesperson(partner_name: str) -> User:
        return users.get(SPOKESPEOPLE.get(partner_name, ""), fac)

    # Actors: the partners', the flagged and a sample through the service; the rest in bulk.
    by_service = {s.name for s in specs if s.partner or s.flag}
    by_service |= {s.name for s in rng.sample(specs, 15)}
    actors: dict[str, Actor] = {}
    bulk: list[tuple[Actor, list[Segment]]] = []
    for number, spec in enumerate(specs):
        fields = _fields(spec, segments, number)
        if spec.partner:
            fields["partner"] = partners.get(spec.partner)
        if spec.name in by_service:
            actors[spec.name] = services.create_actor(by=fac, partnership=partnership, **fields)
        else:
            chosen = fields.pop("segments")
            bulk.append((Actor(partnership=partnership, **fields), chosen))
    Actor.objects.bulk_create([actor for actor, _chosen in bulk], batch_size=200)
    Membership = Actor.segments.through
    Membership.objects.bulk_create(
        [Membership(actor_id=a.pk, segment_id=s.pk) for a, chosen in bulk for s in chosen],
        batch_size=500,
    )
    actors.update({actor.name: actor for actor, _chosen in bulk})
    for spec in specs:
        if spec.flag:
            services.flag_at_risk(by=fac, actor=actors[spec.name], reason=spec.flag)

    # Relations: one in thirty through the service, the rest in bulk.
    rows = []
    for number, (source, target, kind, strength, note) in enumerate(_relations(specs, rng)):
        values: dict[str, Any] = {
            "source": actors[source],
            "target": actors[target],
            "relation_type": kind,
            "directed": kind not in UNDIRECTED,
            "strength": strength,
            "note": note,
        }
        if number % 30 == 0:
            services.relate(by=fac, partnership=partnership, **values)
        else:
            rows.append(Relation(partnership=partnership, **values))
    Relation.objects.bulk_create(rows, batch_size=500)

    # Assessments: of the actors made through the service, through the service
    # (by each partner's spokesperson); the rest in bulk, then the derived scores.
    views = _views(specs, [name for name in ASSESSORS if name in partners], rng)
    assessments, stale = [], set()
    for view in views:
        actor, partner = actors[view.actor], partners[view.partner]
        scores: dict[str, Any] = {
            "influence": view.influence,
            "interest": view.interest,
            "capacity": view.capacity,
            "stance": view.stance,
            "engagement": view.engagement,
            "influence_note": view.note,
        }
        if view.actor in by_service:
            services.assess(
                by=spokesperson(view.partner),
                actor=actor,
                assessed_by=partner,
                assessed_on=view.on,
                **scores,
            )
            continue
        at = timezone.make_aware(datetime.datetime.combine(view.on, datetime.time(10)))
        assessments.append(
            Assessment(
                partnership=partnership,
                actor=actor,
                assessed_by=partner,
                author=spokesperson(view.partner),
                assessed_on=view.on,
                created_at=at,
                **scores,
            )
        )
        stale.add(view.actor)
    Assessment.objects.bulk_create(assessments, batch_size=500)
    for name in sorted(stale):
        services.refresh_summary(actors[name])


if extend_demo not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(extend_demo)
