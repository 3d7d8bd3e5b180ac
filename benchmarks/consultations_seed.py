"""Consultation responses for benchmarks, seeded (``random.Random(seed)``).

``seed_consultations(responses=200_000)`` writes, without the audit trail
(benchmarks measure reading), five partnerships each with one 30-question
questionnaire and ``responses / 5`` responses:

- attributes: 8 segments, 3 genders, 5 age bands, 20 localities (square
  boundaries, for the map) and 5 partner types — 12,000 combinations, so the
  three-way tables are sparse and suppression has work to do;
- questions: 18 single choice (4 options), 6 scales (1–5), 2 multiple choice
  (4 options, one to three chosen), 1 number, 1 threat-rating grid (4
  threats), 1 ranking (3 items), 1 free text — about 34 answer rows per
  response (6.8 million at full size).

Generator: responses by ``bulk_create`` (their ids come back on SQLite and
PostgreSQL); answers as plain tuples through ``cursor.executemany`` in batches
of 20,000 — three to four times faster than building model instances, so the
full size seeds in minutes, not hours. Answers lean on the attributes
(a segment's favourite option, a locality's mean), so disaggregation shows
differences.
"""

from __future__ import annotations

import random
from typing import Any

PARTNERSHIPS = 5
BATCH = 20000
GENDERS = ["woman", "man", "prefer_not_to_say"]
AGES = [("18-29", 18), ("30-44", 30), ("45-59", 45), ("60-74", 60), ("75-plus", 75)]
OPTIONS = [
    {"code": c, "label": {"en": c.capitalize(), "es": c.capitalize()}}
    for c in ("water", "roads", "jobs", "health")
]


def _people(seed: int) -> tuple[Any, Any]:
    from accounts.models import User

    def user(role: str) -> Any:
        email = f"bench-{role}-{seed}@example.test"
        return User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password="bench-password-not-secret", display_name=f"Bench {role}"
        )

    return user("facilitator"), user("participant")


def _square(i: int) -> dict[str, Any]:
    x, y = -76.0 + (i % 5) * 0.5, 5.0 + (i // 5) * 0.5
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 0.5, y], [x + 0.5, y + 0.5], [x, y + 0.5], [x, y]]],
    }


def _questionnaire(partnership: Any, rng: random.Random) -> tuple[Any, list[Any]]:
    from consultations.models import (
        Mode,
        Question,
        QuestionKind,
        Questionnaire,
        QuestionnaireVersion,
    )

    q = Questionnaire.objects.create(
        partnership=partnership,
        title={"en": "Bench household survey", "es": "Encuesta de referencia"},
        languages=["en", "es"],
        mode=Mode.ANONYMOUS,
        status="open",
    )
    version = QuestionnaireVersion.objects.create(
        partnership=partnership, questionnaire=q, number=1
    )
    q.current_version = version
    q.save(update_fields=["current_version"])
    kinds = [QuestionKind.SINGLE_CHOICE] * 18 + [QuestionKind.SCALE] * 6
    kinds += [QuestionKind.MULTIPLE_CHOICE] * 2 + [QuestionKind.NUMBER, QuestionKind.THREAT_RATING]
    kinds += [QuestionKind.RANKING, QuestionKind.FREE_TEXT]
    threats = [{"code": f"threat-{i}", "label": {"en": f"Threat {i}"}} for i in range(4)]
    questions = []
    for position, kind in enumerate(kinds):
        fields: dict[str, Any] = {"options": OPTIONS}
        if kind == QuestionKind.SCALE:
            fields.update(minimum=1, maximum=5)
        if kind == QuestionKind.THREAT_RATING:
            fields.update(options=threats, minimum=1, maximum=5)
        if kind == QuestionKind.RANKING:
            fields.update(options=OPTIONS[:3])
        questions.append(
            Question(
                partnership=partnership,
                version=version,
                key=f"q{position + 1:02d}",
                position=position,
                kind=kind,
                text={"en": f"Question {position + 1}", "es": f"Pregunta {position + 1}"},
                **fields,
            )
        )
    return q, Question.objects.bulk_create(questions)


def _attributes(partnership: Any) -> dict[str, list[Any]]:
    from baseline.models import AgeBand, GenderOption, Locality
    from stakeholders.models import Segment

    segments = [
        Segment.objects.get_or_create(
            partnership=partnership, code=f"bench-{i}", defaults={"name": f"Group {i}"}
        )[0]
        for i in range(8)
    ]
    localities = Locality.objects.bulk_create(
        Locality(
            partnership=partnership,
            code=f"99{i:03d}",
            name=f"Bench locality {i}",
            boundary=_square(i),
        )
        for i in range(20)
    )
    for position, code in enumerate(GENDERS):
        GenderOption.objects.get_or_create(
            partnership=partnership, code=code, defaults={"position": position}
        )
    for code, low in AGES:
        AgeBand.objects.get_or_create(partnership=partnership, code=code, defaults={"min_age": low})
    return {"segments": segments, "localities": localities}


def _answers(
    rng: random.Random, response: Any, questions: list[Any], segment_index: int, locality_index: int
) -> list[tuple[Any, ...]]:
    from consultations.models import QuestionKind

    rows: list[tuple[Any, ...]] = []
    codes = [o["code"] for o in OPTIONS]
    for q in questions:
        if rng.random() < 0.04:
            continue  # skipped
        if q.kind == QuestionKind.SINGLE_CHOICE:
            favourite = codes[(segment_index + q.position) % 4]
            choice = favourite if rng.random() < 0.5 else rng.choice(codes)
            rows.append((response, q.pk, "", choice, None, ""))
        elif q.kind == QuestionKind.MULTIPLE_CHOICE:
            for code in rng.sample(codes, k=rng.randint(1, 3)):
                rows.append((response, q.pk, "", code, None, ""))
        elif q.kind == QuestionKind.SCALE:
            centre = 1 + (locality_index + q.position) % 5
            rows.append(
                (response, q.pk, "", "", float(min(5, max(1, centre + rng.randint(-1, 1)))), "")
            )
        elif q.kind == QuestionKind.NUMBER:
            rows.append((response, q.pk, "", "", float(rng.randint(0, 12)), ""))
        elif q.kind == QuestionKind.THREAT_RATING:
            for option in q.options:
                rows.append((response, q.pk, option["code"], "", float(rng.randint(1, 5)), ""))
        elif q.kind == QuestionKind.RANKING:
            order = rng.sample([o["code"] for o in q.options], k=len(q.options))
            for rank, code in enumerate(order, start=1):
                rows.append((response, q.pk, code, "", float(rank), ""))
        elif q.kind == QuestionKind.FREE_TEXT:
            rows.append((response, q.pk, "", "", None, f"Invented comment {rng.randint(1, 500)}"))
    return rows


def _responses(
    partnership: Any,
    q: Any,
    questions: list[Any],
    count: int,
    rng: random.Random,
    attrs: dict[str, list[Any]],
    start: int = 0,
) -> None:
    from django.db import connection

    from consultations.models import Response
    from partnerships.models import PartnerType

    table = Response._meta.db_table
    answer_sql = (
        "INSERT INTO consultations_answer (response_id, question_id, item, choice, number, text) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    types = [t for t in PartnerType.values if t != "facilitator"] + ["facilitator"]
    done = 0
    while done < count:
        size = min(5000, count - done)
        batch, meta = [], []
        for i in range(size):
            s, loc = rng.randrange(8), rng.randrange(20)
            meta.append((s, loc))
            batch.append(
                Response(
                    partnership=partnership,
                    questionnaire=q,
                    version_id=q.current_version_id,
                    channel="web",
                    idempotency_key=f"bench-{q.pk}-{start + done + i}",
                    consented=True,
                    gender=rng.choice(GENDERS),
                    age_band=rng.choice(AGES)[0],
                    segment=attrs["segments"][s],
                    locality=attrs["localities"][loc],
                    partner_type=rng.choice(types),
                )
            )
        created = Response.objects.bulk_create(batch)
        rows: list[tuple[Any, ...]] = []
        for response, (s, loc) in zip(created, meta, strict=True):
            rows.extend(_answers(rng, response.pk, questions, s, loc))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(answer_sql, rows[start : start + BATCH])
        done += size
    del table
    type(q).objects.filter(pk=q.pk).update(response_count=start + count)


def seed_consultations(*, responses: int = 200_000, seed: int = 1) -> list[tuple[Any, Any]]:
    """Five partnerships with one questionnaire each; returns (partnership, questionnaire)."""
    from partnerships.models import Member, Role
    from partnerships.services import create_partnership

    rng = random.Random(seed)
    facilitator, participant = _people(seed)
    made = []
    for i in range(PARTNERSHIPS):
        partnership = create_partnership(
            creator=facilitator,
            name=f"Bench consultation {seed}-{i}",
            country="CO",
            locality_name="Bench",
            description="Benchmark",
        )
        Member.objects.get_or_create(
            partnership=partnership, user=participant, defaults={"role": Role.PARTICIPANT}
        )
        attrs = _attributes(partnership)
        q, questions = _questionnaire(partnership, rng)
        _responses(partnership, q, questions, responses // PARTNERSHIPS, rng, attrs)
        made.append((partnership, q))
    return made
