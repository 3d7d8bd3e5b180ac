"""Small builders of questionnaires and responses for the analysis tests,
written straight through the ORM (the analysis reads rows, whatever channel
wrote them). Respondents are invented: attributes only, never a person."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from baseline.models import AgeBand, GenderOption, Locality
from consultations.models import (
    Answer,
    Channel,
    Mode,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    QuestionnaireVersion,
    Response,
)
from partnerships.models import Member, Partnership
from stakeholders.models import Segment

_keys = itertools.count(1)

WATER = {"code": "water", "label": {"en": "Water", "es": "Agua"}}
ROADS = {"code": "roads", "label": {"en": "Roads", "es": "Vías"}}
JOBS = {"code": "jobs", "label": {"en": "Jobs", "es": "Empleo"}}


def questionnaire(
    partnership: Partnership, *, mode: str = Mode.ANONYMOUS, title: str = "Household survey"
) -> Questionnaire:
    q = Questionnaire.objects.create(
        partnership=partnership,
        title={"en": title, "es": title},
        languages=["en", "es"],
        mode=mode,
        status=QuestionnaireStatus.OPEN,
    )
    version = QuestionnaireVersion.objects.create(
        partnership=partnership, questionnaire=q, number=1
    )
    q.current_version = version
    q.save(update_fields=["current_version"])
    return q


def question(q: Questionnaire, key: str, kind: str, **fields: Any) -> Question:
    assert q.current_version is not None
    defaults: dict[str, Any] = {"text": {"en": key.replace("_", " ").capitalize()}}
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
        defaults["options"] = [WATER, ROADS, JOBS]
    if kind == QuestionKind.SCALE:
        defaults.update(minimum=1, maximum=5)
    defaults.update(fields)
    return Question.objects.create(
        partnership=q.partnership,
        version=q.current_version,
        key=key,
        kind=kind,
        position=Question.objects.filter(version=q.current_version).count(),
        **defaults,
    )


def respond(
    q: Questionnaire,
    answers: dict[Question, Any],
    *,
    member: Member | None = None,
    **attributes: Any,
) -> Response:
    """One response: ``answers`` maps a question to a choice code, a list of
    codes (multiple choice), a number, a text, or {item: number} (grids)."""
    assert q.current_version is not None
    response = Response.objects.create(
        partnership=q.partnership,
        questionnaire=q,
        version=q.current_version,
        channel=Channel.WEB,
        idempotency_key=f"test-{next(_keys)}",
        consented=True,
        member=member,
        **attributes,
    )
    rows = []
    for question_, value in answers.items():
        rows.extend(_answer_rows(response, question_, value))
    Answer.objects.bulk_create(rows)
    return response


def _answer_rows(response: Response, q: Question, value: Any) -> Iterable[Answer]:
    if q.kind == QuestionKind.MULTIPLE_CHOICE:
        return [Answer(response=response, question=q, choice=c) for c in value]
    if q.kind == QuestionKind.SINGLE_CHOICE:
        return [Answer(response=response, question=q, choice=value)]
    if q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return [Answer(response=response, question=q, number=value)]
    if q.kind == QuestionKind.FREE_TEXT:
        return [Answer(response=response, question=q, text=value)]
    return [Answer(response=response, question=q, item=k, number=v) for k, v in value.items()]


def many(q: Questionnaire, n: int, answers: dict[Question, Any], **attributes: Any) -> None:
    for _ in range(n):
        respond(q, answers, **attributes)


def attributes(partnership: Partnership) -> dict[str, Any]:
    """Segments, localities, genders and age bands to tag responses with."""
    seg = {
        code: Segment.objects.get_or_create(
            partnership=partnership, code=code, defaults={"name": code.capitalize()}
        )[0]
        for code in ("farmers", "youth")
    }
    loc = {
        code: Locality.objects.get_or_create(
            partnership=partnership, code=code, defaults={"name": name, "boundary": shape(i)}
        )[0]
        for i, (code, name) in enumerate((("05001", "Río Claro"), ("05002", "Loma Alta")))
    }
    for position, code in enumerate(("woman", "man", "prefer_not_to_say")):
        GenderOption.objects.get_or_create(
            partnership=partnership, code=code, defaults={"position": position}
        )
    for low, code in ((18, "18-29"), (30, "30-44")):
        AgeBand.objects.get_or_create(partnership=partnership, code=code, defaults={"min_age": low})
    return {"segments": seg, "localities": loc}


def shape(i: int) -> dict[str, Any]:
    x = -75.0 + i
    return {"type": "Polygon", "coordinates": [[[x, 6], [x + 1, 6], [x + 1, 7], [x, 7], [x, 6]]]}
