"""The demo partnership's consultation (Brumaverde, an invented municipality): a completed,
anonymous questionnaire of twelve questions of every kind — with a
threat-rating grid over the demo baseline's threats — answered by about 2,700
invented respondents, through the web form and two facilitated sessions.

The answers are synthetic and deterministic (a seeded generator) and differ
by group on purpose, so that the analysis has something to show: women and
victims of the conflict feel less safe, the company's people rate the threats
to business higher and the threats to communities lower, youth rank
employment first. Migrants are not heard at all, as on the stakeholder map.
Everything goes through ``services.record_responses_bulk``, as a session would.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from baseline.models import Locality, LocalityKind, Threat
from consultations import services, webform
from consultations.models import Channel, Mode, Questionnaire
from consultations.services import SheetRow
from partnerships.management.commands.demo import DEMO_EXTENSIONS, HOME_CODE
from partnerships.models import Partnership, PartnerType
from stakeholders.models import Segment

SEED = 20260404
TITLE = {
    "es": "Consulta sobre seguridad humana en Brumaverde 2026",
    "en": "Human security consultation in Brumaverde 2026",
}
WEB_RESPONSES = 2400
SESSIONS = (
    ("Escuela de la vereda Las Mirlas", 150, {"woman": 88, "man": 70}),
    ("Casa de la cultura de Nogalito", 120, {"woman": 61, "man": 64, "prefer_not_to_say": 2}),
)
GRID_THREATS = 15
HOME_WEIGHT = 5  # the municipality against each neighbour, in respondents
# Where people feel less (or more) safe, so that the map has something to show:
# the remote upland municipalities (Valdelirios, Rionublado) and the regional
# capital (Villa Albor), all invented.
PLACE_SAFETY = {"00005": -0.8, "00007": -0.6, "00002": 0.4}
COMMENTS = (
    "La vía se cae cada invierno y quedamos incomunicados.",
    "Necesitamos un puesto de salud más cerca.",
    "Los jóvenes se van porque no hay trabajo.",
    "Hay miedo de hablar en las reuniones.",
    "El precio del café no alcanza para vivir.",
    "Falta agua potable en la escuela.",
)


def _options(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{code} | {en} | {es}" for code, en, es in rows)


QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "water",
        "kind": "single_choice",
        "required": True,
        "text": {
            "es": "¿De dónde viene el agua de su casa?",
            "en": "Where does your household's water come from?",
        },
        "options": _options(
            [
                ("aqueduct", "Aqueduct", "Acueducto"),
                ("well", "Well", "Pozo"),
                ("river", "River or stream", "Río o quebrada"),
                ("rain", "Rainwater", "Agua lluvia"),
            ]
        ),
    },
    {
        "key": "income",
        "kind": "single_choice",
        "text": {
            "es": "¿Cuál es la principal fuente de ingresos de su hogar?",
            "en": "What is your household's main source of income?",
        },
        "options": _options(
            [
                ("coffee", "Coffee", "Café"),
                ("day_labour", "Day labour", "Jornal"),
                ("trade", "Trade", "Comercio"),
                ("public", "Public sector", "Sector público"),
                ("company", "The company", "La empresa"),
                ("none", "No steady income", "Sin ingreso fijo"),
            ]
        ),
    },
    {
        "key": "worries",
        "kind": "multiple_choice",
        "text": {
            "es": "¿Qué le preocupa más? (puede marcar varias)",
            "en": "What worries you most? (several allowed)",
        },
        "options": _options(
            [
                ("jobs", "Jobs", "Empleo"),
                ("prices", "Prices", "Precios"),
                ("violence", "Violence", "Violencia"),
                ("health", "Health care", "Salud"),
                ("roads", "Roads", "Vías"),
                ("water", "Water", "Agua"),
                ("schools", "Schools", "Educación"),
            ]
        ),
    },
    {
        "key": "safety",
        "kind": "scale",
        "minimum": 1,
        "maximum": 5,
        "required": True,
        "text": {
            "es": "¿Qué tan seguro(a) se siente en su vereda?",
            "en": "How safe do you feel in your vereda?",
        },
        "low_label": {"es": "Nada seguro", "en": "Not safe at all"},
        "high_label": {"es": "Muy seguro", "en": "Very safe"},
    },
    {
        "key": "trust",
        "kind": "scale",
        "minimum": 1,
        "maximum": 5,
        "text": {
            "es": "¿Cuánto confía en las instituciones locales?",
            "en": "How much do you trust local institutions?",
        },
        "low_label": {"es": "Nada", "en": "Not at all"},
        "high_label": {"es": "Mucho", "en": "A lot"},
    },
    {
        "key": "household",
        "kind": "number",
        "minimum": 1,
        "maximum": 20,
        "text": {
            "es": "¿Cuántas personas viven en su hogar?",
            "en": "How many people live in your household?",
        },
    },
    {
        "key": "hours_to_clinic",
        "kind": "number",
        "minimum": 0,
        "maximum": 12,
        "text": {
            "es": "¿Cuántas horas tarda en llegar al puesto de salud?",
            "en": "How many hours does it take to reach a health post?",
        },
    },
    {
        "key": "priorities",
        "kind": "ranking",
        "text": {
            "es": "Ordene estas prioridades (1 = la más importante)",
            "en": "Rank these priorities (1 = most important)",
        },
        "options": _options(
            [
                ("roads", "Roads", "Vías"),
                ("health", "Health", "Salud"),
                ("schools", "Education", "Educación"),
                ("jobs", "Jobs", "Empleo"),
                ("water", "Water", "Agua"),
            ]
        ),
    },
    {
        "key": "threats",
        "kind": "threat_rating",
        "text": {
            "es": "¿Qué tan grave es cada amenaza para usted?",
            "en": "How serious is each threat for you?",
        },
    },
    {
        "key": "displaced",
        "kind": "single_choice",
        "text": {
            "es": "¿Su hogar ha tenido que desplazarse en los últimos 5 años?",
            "en": "Has your household had to move away in the last 5 years?",
        },
        "options": _options([("yes", "Yes", "Sí"), ("no", "No", "No")]),
    },
    {
        "key": "heard",
        "kind": "scale",
        "minimum": 1,
        "maximum": 5,
        "text": {
            "es": "¿Siente que su voz cuenta en las decisiones del territorio?",
            "en": "Do you feel your voice counts in decisions about the territory?",
        },
        "low_label": {"es": "Nunca", "en": "Never"},
        "high_label": {"es": "Siempre", "en": "Always"},
    },
    {
        "key": "comment",
        "kind": "free_text",
        "max_length": 500,
        "text": {
            "es": "¿Algo más que quiera decirnos?",
            "en": "Anything else you want to tell us?",
        },
    },
]

# (segment code, weight) of the respondents; migrants are deliberately unheard.
SEGMENTS = [
    ("rural_producers", 30),
    ("women", 22),
    ("youth", 14),
    ("victims", 12),
    ("older_people", 6),
    ("indigenous", 5),
    ("afro_descendant", 3),
    ("displaced", 4),
    ("disability", 2),
    ("former_combatants", 2),
]
PARTNER_TYPES = [
    (PartnerType.COMMUNITY, 80),
    (PartnerType.COMPANY, 9),
    (PartnerType.GOVERNMENT, 6),
    (PartnerType.CIVIL_SOCIETY, 5),
]
AGES = [("18_29", 26), ("30_44", 30), ("45_59", 24), ("60_plus", 14), ("under_18", 6)]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _respondent(
    rng: random.Random, localities: list[str], genders: set[str], ages: set[str]
) -> dict[str, str]:
    segment = _pick(rng, SEGMENTS)
    if segment == "women":
        gender = "woman"
    else:
        gender = _pick(
            rng, [("woman", 48), ("man", 48), ("non_binary", 1), ("prefer_not_to_say", 3)]
        )
    age = (
        "18_29"
        if segment == "youth"
        else "60_plus"
        if segment == "older_people"
        else _pick(rng, AGES)
    )
    return {
        "segment": segment,
        "gender": gender if gender in genders else "",
        "age_band": age if age in ages else "",
        "partner_type": _pick(rng, PARTNER_TYPES),
        "locality": rng.choice(localities) if localities else "",
    }


def _answers(rng: random.Random, who: dict[str, str], threats: list[str]) -> dict[str, Any]:
    women = who["gender"] == "woman"
    company = who["partner_type"] == PartnerType.COMPANY
    victim = who["segment"] in ("victims", "displaced")
    youth = who["segment"] == "youth"
    safety = (
        3.3
        - (0.7 if women else 0)
        - (0.9 if victim else 0)
        - (0.3 if youth else 0)
        + (1.0 if company else 0)
        + PLACE_SAFETY.get(who["locality"], 0)
    )
    trust = (
        2.6 + (0.8 if who["partner_type"] == PartnerType.GOVERNMENT else 0) - (0.6 if victim else 0)
    )
    heard = 2.4 - (0.6 if women else 0) - (0.5 if youth else 0) + (1.2 if company else 0)
    worries = [
        w
        for w, p in (
            ("jobs", 0.7 if youth else 0.45),
            ("prices", 0.5),
            ("violence", 0.55 if victim or women else 0.3),
            ("health", 0.45 if women else 0.3),
            ("roads", 0.5),
            ("water", 0.3),
            ("schools", 0.25),
        )
        if rng.random() < p
    ]
    first = "jobs" if youth else "health" if women else "roads"
    rest = [p for p in ("roads", "health", "schools", "jobs", "water") if p != first]
    rng.shuffle(rest)
    grid: dict[str, int] = {}
    for i, code in enumerate(threats):
        if rng.random() < 0.1:
            continue  # some leave a row blank
        # Odd threats weigh on communities, even ones on business: the groups diverge.
        base = 3.6 if i % 2 else 2.4
        if company:
            base = 4.2 if i % 2 == 0 else 2.0
        if women and i % 3 == 0:
            base += 0.6
        grid[code] = _clip(rng.gauss(base, 0.9), 1, 5)
    answers: dict[str, Any] = {
        "water": _pick(rng, [("aqueduct", 40), ("well", 20), ("river", 32), ("rain", 8)]),
        "income": "company"
        if company and rng.random() < 0.8
        else _pick(
            rng, [("coffee", 45), ("day_labour", 25), ("trade", 12), ("public", 5), ("none", 13)]
        ),
        "worries": worries,
        "safety": _clip(rng.gauss(safety, 0.9), 1, 5),
        "trust": _clip(rng.gauss(trust, 1.0), 1, 5),
        "household": _clip(rng.gauss(4.3, 1.7), 1, 20),
        "hours_to_clinic": round(
            max(0.0, min(12.0, rng.gauss(1.8 if who["locality"] else 1.5, 1.2))), 1
        ),
        "priorities": [first, *rest][: rng.choice((3, 4, 5))],
        "displaced": "yes" if (victim and rng.random() < 0.6) or rng.random() < 0.08 else "no",
        "heard": _clip(rng.gauss(heard, 0.9), 1, 5),
    }
    if threats:
        answers["threats"] = grid
    if rng.random() < 0.15:
        answers["comment"] = rng.choice(COMMENTS)
    return answers


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Questionnaire.objects.filter(partnership=partnership, title__es=TITLE["es"]).exists():
        return
    with transaction.atomic():
        _load(partnership, users)


def _load(partnership: Partnership, users: dict[str, Any]) -> None:
    by = users.get("facilitadora")
    rng = random.Random(SEED)
    threats = list(Threat.objects.filter(partnership=partnership).order_by("title")[:GRID_THREATS])
    q = services.create_questionnaire(
        by=by,
        partnership=partnership,
        title=TITLE,
        introduction={
            "es": "Queremos entender qué amenaza la seguridad de cada grupo en el municipio. Sus respuestas son anónimas.",
            "en": "We want to understand what threatens each group's security in the municipality. Your answers are anonymous.",
        },
        consent={
            "es": "Acepto participar. Sé que mis respuestas son anónimas y que los resultados se muestran solo para grupos de 5 personas o más.",
            "en": "I agree to take part. I know my answers are anonymous and results are shown only for groups of 5 people or more.",
        },
        mode=Mode.ANONYMOUS,
        languages=["es", "en"],
    )
    for question in QUESTIONS:
        fields = dict(question)
        if fields["kind"] == "threat_rating":
            if not threats:
                continue  # no baseline to rate: the grid waits for the threat register
            fields["options"] = [
                {"code": str(t.public_id), "label": {"es": t.title, "en": t.title}} for t in threats
            ]
        services.add_question(by=by, questionnaire=q, **fields)
    services.set_status(by=by, questionnaire=q, status="open")
    codes = [str(t.public_id) for t in threats]
    # Most respondents live in the municipality, some in its neighbours (it is
    # their market town); the sessions were held in the municipality.
    found = Locality.objects.filter(partnership=partnership, kind=LocalityKind.MUNICIPALITY)
    codes_found = sorted(found.values_list("code", flat=True))
    home = [HOME_CODE] if HOME_CODE in codes_found else []
    localities = home * HOME_WEIGHT + [c for c in codes_found if c != HOME_CODE]
    genders = {code for code, _l in webform.genders_of(partnership)}
    ages = {code for code, _l in webform.age_bands_of(partnership)}
    known = set(Segment.objects.filter(partnership=partnership).values_list("code", flat=True))

    def row(number: int, key: str = "") -> SheetRow:
        who = _respondent(rng, localities, genders, ages)
        if who["segment"] not in known:
            who["segment"] = ""
        return SheetRow(number=number, answers=_answers(rng, who, codes), attributes=who, key=key)

    services.record_responses_bulk(
        questionnaire=q,
        rows=[row(n, key=f"demo-web-{n}") for n in range(1, WEB_RESPONSES + 1)],
        consented=True,
        language="es",
        channel=Channel.WEB,
    )
    today = timezone.localdate()
    for i, (place, forms, by_gender) in enumerate(SESSIONS):
        session = services.create_session(
            by=by,
            questionnaire=q,
            held_on=today - datetime.timedelta(days=30 - 12 * i),
            place=place,
            locality=Locality.objects.filter(partnership=partnership, code=HOME_CODE).first(),
            attendance={**by_gender, "total": sum(by_gender.values()) + 3},
            notes="Formularios en papel digitados por la facilitadora (demo).",
        )
        services.record_responses_bulk(
            session=session,
            rows=[row(n) for n in range(2, forms + 2)],
            consented=True,
            language="es",
        )
    services.set_status(by=by, questionnaire=q, status="closed")


if extend_demo not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(extend_demo)
