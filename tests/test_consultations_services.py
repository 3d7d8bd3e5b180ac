"""Recording responses from every channel: validation of every bad input,
versions, idempotency, attributes inferred from the member, anonymity."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import services
from consultations.models import (
    Answer,
    Channel,
    Mode,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from partnerships.services import ServiceError
from stakeholders.models import Segment
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english_first(world: World) -> None:
    # These tests are about answers, written in English: the partnership works
    # in English first (tests/test_consultations_languages.py is about languages).
    world.own.languages = ["en", "es"]
    world.own.save(update_fields=["languages"])


def build(world: World, *, mode: str = Mode.ANONYMOUS, consent: str = "") -> Questionnaire:
    """A questionnaire with one question of every kind, open for answers."""
    by = world.facilitator
    q = services.create_questionnaire(
        by=by,
        partnership=world.own,
        title={"en": "Safety in the veredas", "es": "Seguridad en las veredas"},
        consent={"en": consent} if consent else {},
        mode=mode,
    )
    add = lambda **kw: services.add_question(by=by, questionnaire=q, **kw)  # noqa: E731
    add(
        key="water",
        kind="single_choice",
        text={"en": "Main water source?", "es": "¿Fuente de agua?"},
        options="river | River | Río\ntap | Tap | Grifo\nwell | Well | Pozo",
        required=True,
    )
    add(
        key="worries",
        kind="multiple_choice",
        text={"en": "What worries you?"},
        options="roads | Roads\nprices | Prices\nviolence | Violence",
    )
    add(
        key="safety",
        kind="scale",
        text={"en": "How safe do you feel?"},
        minimum=1,
        maximum=5,
        low_label={"en": "Not at all"},
        high_label={"en": "Completely"},
    )
    add(key="people", kind="number", text={"en": "People in your household"}, minimum=1, maximum=30)
    add(key="story", kind="free_text", text={"en": "Tell us more"}, max_length=50)
    add(
        key="priorities",
        kind="ranking",
        text={"en": "Rank these"},
        options="school | School\nclinic | Clinic\nroad | Road",
    )
    add(
        key="threats",
        kind="threat_rating",
        text={"en": "Rate each threat"},
        options=[
            {"code": "t1", "label": {"en": "Landslides"}},
            {"code": "t2", "label": {"en": "Extortion"}},
        ],
    )
    services.set_status(by=by, questionnaire=q, status="open")
    return q


GOOD: dict[str, Any] = {
    "water": "river",
    "worries": ["roads", "violence"],
    "safety": "4",
    "people": 5,
    "story": "We walk two hours.",
    "priorities": ["clinic", "school"],
    "threats": {"t1": 4, "t2": "2"},
}


def record(q: Questionnaire, key: str = "k1", **kw: Any) -> Response:
    args: dict[str, Any] = {
        "questionnaire": q,
        "channel": Channel.WEB,
        "idempotency_key": key,
        "answers": GOOD,
        "attributes": {},
        "consented": True,
    }
    args.update(kw)
    return services.record_response(**args)


def test_it_records_every_kind_of_answer_in_long_format(world: World) -> None:
    q = build(world)
    response = record(q)
    rows = {
        (a.question.key, a.item, a.choice, a.number, a.text)
        for a in response.answers.select_related("question")
    }
    assert ("water", "", "river", None, "") in rows
    assert ("worries", "", "roads", None, "") in rows and (
        "worries",
        "",
        "violence",
        None,
        "",
    ) in rows
    assert ("safety", "", "", 4.0, "") in rows
    assert ("people", "", "", 5.0, "") in rows
    assert ("story", "", "", None, "We walk two hours.") in rows
    assert ("priorities", "clinic", "", 1.0, "") in rows and (
        "priorities",
        "school",
        "",
        2.0,
        "",
    ) in rows
    assert ("threats", "t1", "", 4.0, "") in rows and ("threats", "t2", "", 2.0, "") in rows
    q.refresh_from_db()
    assert q.response_count == 1
    assert q.current_version.frozen_at is not None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("water", "lake", "“lake” is not one of the options"),
        ("water", ["river", "tap"], "choose only one option"),
        ("worries", ["roads", "floods"], "“floods” is not one of the options"),
        ("safety", "7", "give a value from 1 to 5"),
        ("safety", "2.5", "give a whole number"),
        ("safety", "lots", "give a number"),
        ("people", 0, "give a value from 1 to 30"),
        ("people", "nan", "give a number"),
        ("story", "x" * 51, "at most 50 characters"),
        ("priorities", ["clinic", "clinic"], "an item is ranked twice"),
        ("priorities", ["clinic", "mall"], "“mall” is not one of the items to rank"),
        ("priorities", {"clinic": 1, "school": 1}, "give each priority a different rank"),
        ("threats", {"t9": 3}, "“t9” is not a threat of this grid"),
        ("threats", {"t1": 6}, "rate each threat from 1 to 5"),
        ("nonsense", "x", "“nonsense” is not a question of this questionnaire"),
    ],
)
def test_it_refuses_bad_answers_with_a_message_naming_the_question(
    world: World, key: str, value: Any, message: str
) -> None:
    q = build(world)
    with pytest.raises(services.ResponseInvalid) as caught:
        record(q, answers={**GOOD, key: value})
    assert caught.value.field == key
    assert message in caught.value.message
    assert not Response.objects.filter(questionnaire=q).exists()
    assert not Answer.objects.exists()


def test_it_requires_required_answers_and_consent(world: World) -> None:
    q = build(world, consent="I agree to take part.")
    with pytest.raises(services.ResponseInvalid) as caught:
        record(q, answers={**GOOD, "water": ""}, consented=False)
    assert set(caught.value.errors) == {"water", "consent"}
    assert "an answer is required" in caught.value.errors["water"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("gender", "robot"),
        ("age_band", "ancient"),
        ("segment", "martians"),
        ("locality", "99999"),
        ("partner_type", "pirate"),
    ],
)
def test_it_refuses_unknown_attributes(world: World, name: str, value: str) -> None:
    q = build(world)
    with pytest.raises(services.ResponseInvalid) as caught:
        record(q, attributes={name: value})
    assert caught.value.field == name
    assert value in caught.value.message


def test_it_records_a_duplicate_submission_once(world: World) -> None:
    q = build(world)
    first = record(q, key="same")
    again = record(q, key="same", answers={**GOOD, "water": "tap"})
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert Response.objects.filter(questionnaire=q).count() == 1
    q.refresh_from_db()
    assert q.response_count == 1


def test_it_keeps_the_version_old_responses_answered(world: World) -> None:
    q = build(world)
    old = record(q, key="before")
    first_version = q.current_version
    services.update_question(
        by=world.facilitator,
        questionnaire=q,
        question_key="water",
        options="river | River\ntap | Tap\nwell | Well\nrain | Rainwater",
    )
    q.refresh_from_db()
    assert q.current_version.number == 2
    assert Question.objects.filter(version=q.current_version).count() == 7
    new = record(q, key="after", answers={**GOOD, "water": "rain"})
    old.refresh_from_db()
    assert old.version_id == first_version.pk and new.version_id == q.current_version_id
    assert old.answers.get(question__key="water").question.version_id == first_version.pk
    # A second edit before any response to version 2 does not make a third version.
    services.remove_question(by=world.facilitator, questionnaire=q, question_key="story")
    services.move_question(by=world.facilitator, questionnaire=q, question_key="people", up=True)
    q.refresh_from_db()
    assert q.current_version.number == 3  # version 2 had a response: frozen too
    assert QuestionnaireVersion.objects.filter(questionnaire=q).count() == 3
    keys = list(Question.objects.filter(version=q.current_version).values_list("key", flat=True))
    assert "story" not in keys and keys.index("people") < keys.index("safety")
    # The old version still has its questions.
    assert Question.objects.filter(version=first_version, key="story").exists()


def test_it_refuses_answers_to_a_closed_questionnaire(world: World) -> None:
    q = build(world)
    services.set_status(by=world.facilitator, questionnaire=q, status="closed")
    with pytest.raises(ServiceError, match="not open"):
        record(q)


def test_it_infers_attributes_from_the_profile_and_never_keeps_the_member_when_anonymous(
    world: World,
) -> None:
    member = world.member(world.company_rep)
    women = Segment.objects.get(partnership=world.own, code="women")
    services.save_profile(
        by=world.company_rep, member=member, gender="woman", age_band="30_44", segment=women
    )
    anonymous = build(world)
    response = record(anonymous, member=member)
    assert response.member is None
    assert (response.gender, response.age_band, response.segment_id, response.partner_type) == (
        "woman",
        "30_44",
        women.pk,
        "company",
    )
    identified = build(world, mode=Mode.IDENTIFIED)
    given = record(identified, member=member, attributes={"gender": "prefer_not_to_say"})
    assert given.member_id == member.pk and given.gender == "prefer_not_to_say"


def test_it_stores_free_text_as_typed(world: World) -> None:
    q = build(world)
    typed = "<script>alert(1)</script>"
    response = record(q, answers={**GOOD, "story": typed})
    assert response.answers.get(question__key="story").text == typed


def test_it_refuses_a_change_of_mode_once_responses_arrived(world: World) -> None:
    q = build(world)
    record(q)
    with pytest.raises(ServiceError, match="mode cannot change"):
        services.update_questionnaire(by=world.facilitator, questionnaire=q, mode=Mode.IDENTIFIED)


def test_it_checks_the_shape_of_questions(world: World) -> None:
    q = build(world)
    with pytest.raises(ServiceError, match="at least two options"):
        services.add_question(
            by=world.facilitator,
            questionnaire=q,
            key="one",
            kind="single_choice",
            text={"en": "?"},
            options="a | A",
        )
    with pytest.raises(ServiceError, match="already has this key"):
        services.add_question(
            by=world.facilitator, questionnaire=q, key="water", kind="number", text={"en": "?"}
        )
    with pytest.raises(ServiceError, match="at most 11 points"):
        services.add_question(
            by=world.facilitator,
            questionnaire=q,
            key="big",
            kind="scale",
            text={"en": "?"},
            minimum=0,
            maximum=20,
        )
    with pytest.raises(ServiceError, match="key is"):
        services.add_question(
            by=world.facilitator, questionnaire=q, key="Bad Key", kind="number", text={"en": "?"}
        )


def _sheet(n: int, start: int = 2) -> list[services.SheetRow]:
    return [
        services.SheetRow(
            number=start + i,
            answers={
                "water": "river",
                "worries": "roads;prices",
                "safety": "3",
                "people": "4",
                "story": "ok",
                "priorities": "road;school;clinic",
                "threats": "t1=5;t2=1",
            },
            attributes={
                "gender": "woman" if i % 2 else "man",
                "age_band": "18_29",
                "segment": "youth",
            },
        )
        for i in range(n)
    ]


def test_it_records_a_session_sheet_once_and_reports_every_problem(world: World) -> None:
    q = build(world)
    session = services.create_session(
        by=world.facilitator,
        questionnaire=q,
        held_on=timezone.localdate(q.created_at),
        place="School hall",
        attendance={"total": 12, "woman": 7, "man": 5},
    )
    result = services.record_responses_bulk(session=session, rows=_sheet(10), consented=True)
    assert (result.recorded, result.already) == (10, 0)
    again = services.record_responses_bulk(session=session, rows=_sheet(12), consented=True)
    assert (again.recorded, again.already) == (2, 10)
    assert Response.objects.filter(session=session, channel=Channel.FACILITATED).count() == 12
    q.refresh_from_db()
    assert q.response_count == 12
    bad = _sheet(3, start=20)
    bad[0].answers["safety"] = "9"
    bad[2].attributes["gender"] = "robot"
    with pytest.raises(services.BulkInvalid) as caught:
        services.record_responses_bulk(session=session, rows=bad, consented=True)
    assert [(row, column) for row, column, _m in caught.value.problems] == [
        (20, "safety"),
        (22, "gender"),
    ]
    assert Response.objects.filter(session=session).count() == 12


def test_it_refuses_attendance_that_does_not_add_up(world: World) -> None:
    q = build(world)
    with pytest.raises(ServiceError, match="add up to more"):
        services.create_session(
            by=world.facilitator,
            questionnaire=q,
            held_on=timezone.localdate(q.created_at),
            place="Hall",
            attendance={"total": 3, "woman": 2, "man": 2},
        )


def test_it_enters_a_large_session_in_few_queries(world: World) -> None:
    q = build(world)
    session = services.create_session(
        by=world.facilitator,
        questionnaire=q,
        held_on=timezone.localdate(q.created_at),
        place="Hall",
    )
    with CaptureQueriesContext(connection) as queries:
        services.record_responses_bulk(session=session, rows=_sheet(200), consented=True)
    assert Response.objects.filter(session=session).count() == 200
    # Batched inserts: the count grows with the batches (SQLite caps variables per
    # statement), not with a query per response or per answer.
    assert len(queries) < 60, [q["sql"][:80] for q in queries]
