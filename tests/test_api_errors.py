"""What used to answer 500 (issue 11): absurd pages, null in a PATCH, deleting
a partner others refer to, deeply nested JSON, control characters in text —
and every error under /api/ answering JSON, also with DEBUG on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baseline import localities
from baseline import services as baseline_services
from commonground import services as talk
from commonground.models import ConversationStatus, Statement
from partnerships.models import Partner
from partnerships.services import ServiceError
from stakeholders import io as map_io
from stakeholders import services as map_services
from tests.conftest import World
from tests.test_stakeholders_api import Api

HUGE = 9223372036854775807
LAST_PAGE = 2**31 - 1  # the largest page number the schema publishes


@pytest.mark.parametrize(
    "path", ["/actors", "/relations", "/threats", "/questionnaires", "/localities"]
)
def test_it_answers_an_empty_page_past_the_last(world: World, path: str) -> None:
    api = Api(world, "facilitator")
    response = api.get(path, page=LAST_PAGE, page_size=20)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == [] and response.json()["page"] == LAST_PAGE
    # Beyond what the schema publishes, or below 1: refused, naming the parameter.
    for page in (HUGE, HUGE * 10, 0, -HUGE):
        refused = api.get(path, page=page)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["query", "page"]


def test_it_clears_a_nullable_field_and_refuses_null_for_a_required_one(world: World) -> None:
    api = Api(world, "facilitator")
    partner = world.company
    Partner.objects.filter(pk=partner.pk).update(description="Coffee exporter")
    path = f"/partners/{partner.public_id}"
    cleared = api.send("patch", path, {"description": None, "entry_reason": None})
    assert cleared.status_code == 200 and cleared.json()["description"] == ""
    for field in ("joined_on", "name", "partner_type"):
        refused = api.send("patch", path, {field: None})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"][-1] == field
    partner.refresh_from_db()
    assert partner.joined_on is not None and partner.name == "Test company"
    # The same rule on the other rooms' PATCH operations.
    actor = map_services.create_actor(by=world.facilitator, partnership=world.own, name="Mayor")
    refused = api.send("patch", f"/actors/{actor.public_id}", {"name": None})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "name"
    assert api.send("patch", f"/actors/{actor.public_id}", {"description": None}).status_code == 200


def test_it_refuses_to_delete_a_partner_others_refer_to_with_409(world: World) -> None:
    api = Api(world, "facilitator")
    actor = map_services.create_actor(by=world.facilitator, partnership=world.own, name="Mayor")
    map_services.assess(
        by=world.facilitator,
        actor=actor,
        assessed_by=world.community,
        influence=4,
        interest=3,
        capacity=2,
    )
    response = api.send("delete", f"/partners/{world.community.public_id}")
    assert response.status_code == 409
    assert "assessments" in response.json()["detail"]
    # Someone represents the company: also a 409, with its own reason.
    represented = api.send("delete", f"/partners/{world.company.public_id}")
    assert represented.status_code == 409 and "represent" in represented.json()["detail"]
    assert Partner.objects.filter(pk__in=[world.community.pk, world.company.pk]).count() == 2
    # Nothing refers to this one: deleted.
    lone = Partner.objects.create(partnership=world.own, name="Lone", partner_type="ngo")
    assert api.send("delete", f"/partners/{lone.public_id}").status_code == 204


def test_it_says_in_spanish_why_the_page_cannot_delete_the_partner(world: World) -> None:
    actor = map_services.create_actor(by=world.facilitator, partnership=world.own, name="Mayor")
    map_services.assess(
        by=world.facilitator,
        actor=actor,
        assessed_by=world.community,
        influence=4,
        interest=3,
        capacity=2,
    )
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/partners/{world.community.public_id}/delete/"
    for method in ("get", "post"):
        page = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="es", follow=True)
        assert page.status_code == 200
        assert "otros registros todavía" in page.content.decode()
    assert Partner.objects.filter(pk=world.community.pk).exists()


def test_it_refuses_deeply_nested_json_in_a_boundary_file(world: World) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = json.dumps({"type": "FeatureCollection", "features": [[[[[[[[[[[[[[]]]]]]]]]]]]]]})
    for data in (deep, ("[" * 40 + "]" * 40).encode(), nested.replace("[]", "[" * 30 + "]" * 30)):
        with pytest.raises(ServiceError) as refused:
            localities.read_boundaries(data)
        assert refused.value.field == "boundaries"
    page = world.client_for("facilitator").post(
        f"/p/{world.own.slug}/baseline/localities/import/",
        {"boundaries": SimpleUploadedFile("deep.geojson", deep)},
    )
    assert page.status_code == 200 and "nests too deeply" in page.content.decode()


def test_it_refuses_deeply_nested_json_in_an_api_body(world: World) -> None:
    api = Api(world, "facilitator")
    for body in ('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", "[" * 50 + "]" * 50):
        response = api.client.post(
            api.root + "/partners", body, content_type="application/json", **api.headers
        )
        assert response.status_code == 400
        assert "nests too deeply" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\x1b[31m", "\x07"])
def test_it_refuses_control_characters_in_statements_with_the_field(world: World, bad: str) -> None:
    conversation = talk.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Vías"}
    )
    talk.add_statement(conversation=conversation, text="Jobs", seed=True, actor=world.facilitator)
    talk.set_status(by=world.facilitator, conversation=conversation, status=ConversationStatus.OPEN)
    api = Api(world, "participant")
    response = api.send(
        "post", f"/conversations/{conversation.public_id}/statements", {"text": f"Roads{bad}"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "text"
    # Any channel, not only the API: the service refuses it too.
    with pytest.raises(ServiceError):
        talk.add_statement(
            conversation=conversation, text=f"Roads{bad}", author=world.member(world.participant)
        )
    assert Statement.objects.filter(conversation=conversation).count() == 1  # the seed
    # Tab, newline and carriage return are text.
    fine = api.send(
        "post", f"/conversations/{conversation.public_id}/statements", {"text": "Roads\tfirst\r\n"}
    )
    assert fine.status_code == 201


def test_it_refuses_control_characters_in_queries_paths_and_free_form_answers(
    world: World,
) -> None:
    api = Api(world, "facilitator")
    assert api.get("/actors", q="a\x00b").status_code == 422
    assert api.get("/threats", q="\x00").status_code == 422
    nul_slug = Client().get("/api/v1/partnerships/own%00", **api.headers)
    assert nul_slug.status_code in (404, 422) and nul_slug.json()["detail"]
    answers = api.send("post", "/responses", {
        "questionnaire": "6fcf2730-80a4-41ca-99e1-df0a5c496432",
        "idempotency_key": "k1",
        "answers": {"roads": {"water\x00": 3}},
    })  # fmt: skip
    assert answers.status_code == 422 and "answers" in answers.json()["detail"][0]["loc"]


def test_it_drops_control_characters_from_imported_rows(world: World) -> None:
    # A spreadsheet cell can hold one (XLSX escapes it as _x0000_); the CSV
    # reader refuses a file with NUL bytes, and drops the other ones.
    assert map_io.plain_text("Water\x00 board\x1b") == "Water board"
    rows = map_io.read_rows(b"name;kind\nRiver\x1b guild;organisation\n", "csv")
    assert rows[1][1][0] == "River guild"
    with pytest.raises(map_io.FileProblem):
        map_io.read_rows(b"name\nWater\x00board\n", "csv")


def test_it_answers_json_without_a_traceback_when_something_breaks(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = True  # development: Ninja would have sent the traceback

    def broken(partnership: Any) -> Any:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(baseline_services, "dimensions_of", broken)
    api = Api(world, "facilitator")
    response = api.get("/dimensions")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "secret detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode() and response.json()["detail"]


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_json_for_every_error_under_api(
    world: World, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    api = Api(world, "facilitator")
    answers = {
        "/api/v1/nowhere": api.client.get("/api/v1/nowhere", **api.headers),
        "/api/nothing": api.client.get("/api/nothing"),
        "no token": Client().get(f"/api/v1/partnerships/{world.own.slug}/actors"),
        "foreign": api.client.get(f"/api/v1/partnerships/{world.foreign.slug}", **api.headers),
        "method": api.client.put("/api/v1/partnerships", **api.headers),
        "invalid": api.get("/actors", page="many"),
    }
    for name, response in answers.items():
        assert response.status_code >= 400, name
        assert response["Content-Type"].startswith("application/json"), name
        assert response.json()["detail"], name
    assert answers["method"].status_code == 405 and answers["method"]["Allow"]
    # Pages of the site keep their HTML error pages.
    assert "json" not in world.client_for("facilitator").get("/p/nowhere/")["Content-Type"]
