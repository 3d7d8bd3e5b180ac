"""The whole of /api/v1 under schemathesis: every operation of the published
OpenAPI schema, with every check (no server error, status codes, content
types, headers and bodies as the schema says, valid data accepted, invalid
data refused, authentication enforced, …), as a facilitator, a participant
and an anonymous caller.

Schemathesis talks to our real Django app in-process, through its WSGI
interface: the same middleware, permission layer and services as in
production, on the test database (SQLite or PostgreSQL, whichever the suite
runs on). Each persona's run starts from the same small partnership — actors,
a relation, threats with a rating, localities, a questionnaire, a
conversation, a goal — beside a second partnership whose ids are foreign;
path parameters are drawn from both and from nowhere. Whatever the run
writes or deletes is rolled back at the end, like any test's.

Hypothesis runs derandomized with a fixed number of examples, so CI is
reproducible.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.pytest.lazy import get_all_tests

from accounts.models import ApiToken
from baseline import services as baseline_services
from baseline.models import Dimension, Locality
from commonground import services as talk
from commonground.models import ConversationStatus
from consultations.models import QuestionKind
from goals import services as goal_services
from stakeholders import services as map_services
from tests import consultations_factories as make
from tests.conftest import World

PERSONAS = ("facilitator", "participant", "anonymous")
MAX_EXAMPLES = 10


# Every check schemathesis has. A service refuses some well-formed bodies
# for reasons a schema cannot say (a name already taken, a code this
# partnership does not have): that is a 400 with a message naming the field,
# so 400 is among the answers "valid data" may get.
def _config(headers: dict[str, str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "headers": headers,
            "generation": {"mode": "all", "deterministic": True, "max-examples": MAX_EXAMPLES},
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                },
            },
        }
    )


@dataclass
class Seed:
    # By path parameter: ours first, then the other partnership's where it has one.
    values: dict[str, list[str]]


def _seed(world: World) -> Seed:
    own, foreign = world.own, world.foreign
    by = world.facilitator
    water = map_services.create_actor(by=by, partnership=own, name="Water board")
    council = map_services.create_actor(by=by, partnership=own, name="Village council")
    abroad = map_services.create_actor(
        by=world.foreign_facilitator, partnership=foreign, name="Foreign actor"
    )
    relation = map_services.relate(
        by=by, partnership=own, source=water, target=council, relation_type="works_with"
    )
    map_services.assess(
        by=by, actor=water, assessed_by=world.community, influence=4, interest=3, capacity=2
    )
    Locality.objects.create(partnership=own, code="00101", name="Cerro Azulejo")
    environmental = Dimension.objects.get(partnership=own, code="environmental")
    threat = baseline_services.create_threat(
        by=by, partnership=own, title="Landslides", dimensions=[environmental]
    )
    baseline_services.rate_threat(
        by=by, threat=threat, partner_type="community", severity=4, likelihood=3
    )
    survey = make.questionnaire(own)
    make.question(survey, "roads", QuestionKind.SINGLE_CHOICE)
    conversation = talk.create_conversation(by=by, partnership=own, title={"es": "Vías"})
    talk.add_statement(conversation=conversation, text="Roads first", seed=True, actor=by)
    talk.set_status(by=by, conversation=conversation, status=ConversationStatus.OPEN)
    goal = goal_services.create_goal(
        by=by, partnership=own, title={"en": "Safe roads", "es": "Vías seguras"}
    )
    ids: dict[str, list[uuid.UUID]] = {
        "partner_id": [world.company.public_id, world.community.public_id],
        "member_id": [world.member(world.participant).public_id],
        "actor_id": [water.public_id, abroad.public_id],
        "relation_id": [relation.public_id],
        "threat_id": [threat.public_id],
        "questionnaire_id": [survey.public_id],
        "conversation_id": [conversation.public_id],
        "goal_id": [goal.public_id],
    }
    ids["partner_id"].append(world.foreign_partner.public_id)
    values = {name: [str(i) for i in found] for name, found in ids.items()}
    return Seed(values={**values, "slug": [own.slug, foreign.slug], "question_key": ["roads"]})


@pytest.fixture
def _in_process() -> Iterator[None]:
    # Django's test client does the same around each request: closing the
    # connection at a request's start or end would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _schema(world: World, persona: str, half: int) -> Any:
    seed = _seed(world)
    # The in-process client does not undo gzip as an HTTP client would.
    headers = {"Accept-Encoding": "identity"}
    if persona != "anonymous":
        _token, raw = ApiToken.issue(user=getattr(world, persona), name="schemathesis")
        headers["Authorization"] = f"Bearer {raw}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", WSGIHandler(), config=_config(headers)
    )
    # Every other operation, so that two workers share the six runs evenly.
    labels = [found.ok().label for found in schema.get_all_operations()]
    schema = schema.include(name=labels[half::2])

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        # Ours, the other partnership's, or none: each path parameter is drawn
        # from the seeded records as well as from what schemathesis made up.
        if not path_parameters:
            return st.just(path_parameters)
        choices: dict[str, Any] = {}
        for name, value in path_parameters.items():
            choices[name] = st.sampled_from([*seed.values.get(name, []), value])
        return st.fixed_dictionaries(choices)

    return schema


@pytest.mark.parametrize("half", [0, 1])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_answers_a_server_error_and_keeps_to_its_schema(
    world: World, persona: str, half: int, _in_process: None, settings: Any, caplog: Any
) -> None:
    caplog.set_level(logging.ERROR, logger="django.request")  # a 4xx is expected here
    settings.HSBP_API_RATE = "1000000/m"  # the throttle has its own test
    schema = _schema(world, persona, half)
    answers: Counter[int] = Counter()
    failures: list[str] = []

    def call(case: schemathesis.Case) -> None:
        response = case.call()
        answers[response.status_code] += 1
        case.validate_response(response)

    operations = 0
    for result in get_all_tests(schema=schema, test_func=call, settings=SETTINGS, given_kwargs={}):
        operation, test = result.ok()
        operations += 1
        try:
            test()
        except BaseException as error:  # Hypothesis reports a failure as a BaseException
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            failures.append(f"{operation.label}: {error}")
    print(persona, half, operations, "operations", sum(answers.values()), "requests", dict(answers))
    assert not [code for code in answers if code >= 500]
    assert not failures, "\n\n".join(failures)
