"""/api/v1 of consultations: questionnaires with their questions, and responses
written by future channels through the same service as the web form."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import Channel, Mode, Response
from tests.conftest import World
from tests.test_consultations_services import GOOD, _english_first  # noqa: F401 (autouse)
from tests.test_consultations_services import build as build_questionnaire
from tests.test_stakeholders_api import Api


def body(q: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "questionnaire": str(q.public_id),
        "idempotency_key": "kobo-submission-1",
        "answers": GOOD,
        "attributes": {"gender": "man", "segment": "youth"},
        "consented": True,
    }
    data.update(changes)
    return data


def test_it_lists_questionnaires_with_the_questions_of_their_current_version(world: World) -> None:
    q = build_questionnaire(world)
    api = Api(world, "participant")
    answer = api.get("/questionnaires").json()
    assert answer["count"] == 1
    first = answer["results"][0]
    assert first["id"] == str(q.public_id) and first["version"] == 1
    assert [x["key"] for x in first["questions"]][:3] == ["water", "worries", "safety"]
    assert first["questions"][0]["options"][1] == {
        "code": "tap",
        "label": {"en": "Tap", "es": "Grifo"},
    }
    assert api.get("/questionnaires", id=str(q.public_id)).json()["count"] == 1
    for i in range(5):
        services.create_questionnaire(
            by=world.facilitator, partnership=world.own, title={"en": f"Q{i}"}
        )
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/questionnaires").json()["count"] == 6
    assert len(queries) <= 8


def test_it_records_a_response_once_per_idempotency_key(world: World) -> None:
    q = build_questionnaire(world, mode=Mode.IDENTIFIED)
    api = Api(world, "company_rep")
    first = api.send("post", "/responses", body(q))
    assert first.status_code == 201, first.json()
    again = api.send("post", "/responses", body(q))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    response = Response.objects.get(questionnaire=q)
    assert response.channel == Channel.API and response.member == world.member(world.company_rep)
    assert response.partner_type == "company" and response.gender == "man"


def test_it_takes_the_key_from_the_header_and_requires_one(world: World) -> None:
    q = build_questionnaire(world)
    api = Api(world, "participant")
    missing = api.send("post", "/responses", body(q, idempotency_key=None))
    assert missing.status_code == 400 and missing.json()["field"] == "idempotency_key"
    api.headers["HTTP_IDEMPOTENCY_KEY"] = "from-header"
    assert api.send("post", "/responses", body(q, idempotency_key=None)).status_code == 201
    assert Response.objects.get().idempotency_key == "from-header"
    assert Response.objects.get().member is None  # anonymous questionnaire


def test_it_refuses_bad_answers_with_the_question_named(world: World) -> None:
    q = build_questionnaire(world)
    api = Api(world, "participant")
    answer = api.send("post", "/responses", body(q, answers={**GOOD, "safety": 12}))
    assert answer.status_code == 400
    assert answer.json()["field"] == "safety" and "from 1 to 5" in answer.json()["detail"]
    assert not Response.objects.exists()


def test_it_refuses_a_foreign_questionnaire_and_entering_for_others_without_clearance(
    world: World,
) -> None:
    foreign = services.create_questionnaire(
        by=world.foreign_facilitator, partnership=world.foreign, title={"es": "El suyo"}
    )
    api = Api(world, "participant")
    assert api.send("post", "/responses", body(foreign)).status_code == 400
    q = build_questionnaire(world)
    assert api.send("post", "/responses", body(q, respondent="other")).status_code == 403
    facilitator = Api(world, "facilitator")
    assert facilitator.send("post", "/responses", body(q, respondent="other")).status_code == 201
    assert Api(world, "observer").send("post", "/responses", body(q)).status_code == 403
    assert Api(world, "foreign_facilitator").send("post", "/responses", body(q)).status_code == 404
