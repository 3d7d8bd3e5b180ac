"""/api/v1: tokens, the same services and permission layer as the pages, limits."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import ApiToken
from partnerships.models import Member, Partner, Role
from tests.conftest import World


def _api(world: World, persona: str) -> tuple[Client, dict[str, str]]:
    _token, raw = ApiToken.issue(user=getattr(world, persona), name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_stores_only_a_hash_of_the_token(world: World) -> None:
    token, raw = ApiToken.issue(user=world.facilitator, name="script")
    assert raw.startswith("hsbp_") and raw not in token.key_hash and len(token.key_hash) == 64
    assert ApiToken.authenticate(raw) == world.facilitator


def test_it_refuses_a_revoked_token(world: World) -> None:
    token, raw = ApiToken.issue(user=world.facilitator, name="script")
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/partnerships", **headers).status_code == 200
    owner = world.client_for("facilitator")
    asked = owner.get(f"/account/tokens/{token.pk}/revoke/")  # asks first, revokes nothing
    assert asked.status_code == 200 and b'class="danger"' in asked.content
    assert client.get("/api/v1/partnerships", **headers).status_code == 200
    owner.post(f"/account/tokens/{token.pk}/revoke/")
    assert client.get("/api/v1/partnerships", **headers).status_code == 401
    # Someone else's token is not there at all.
    assert (
        world.client_for("company_rep").get(f"/account/tokens/{token.pk}/revoke/").status_code
        == 404
    )


def test_it_lists_only_my_partnerships(world: World) -> None:
    client, headers = _api(world, "participant")
    data = client.get("/api/v1/partnerships", **headers).json()
    assert [(p["slug"], p["my_role"]) for p in data] == [(world.own.slug, "participant")]


def test_it_creates_a_partner_through_the_same_service(world: World) -> None:
    client, headers = _api(world, "facilitator")
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/partners",
        {"name": "Mayor's office", "partner_type": "government"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert Partner.objects.filter(partnership=world.own, name="Mayor's office").exists()
    assert world.own.audit_entries.filter(kind="partner", object_label="Mayor's office").exists()


def test_it_explains_a_refusal_in_the_callers_language(world: World) -> None:
    world.facilitator.language = "es"
    world.facilitator.save(update_fields=["language"])
    client, headers = _api(world, "facilitator")
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/partners",
        {"name": "Test company", "partner_type": "company"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert "Ya hay un socio" in response.json()["detail"]


def test_it_refuses_a_participant_changing_roles(world: World) -> None:
    client, headers = _api(world, "participant")
    me = world.member(world.participant)
    response = client.patch(
        f"/api/v1/partnerships/{world.own.slug}/members/{me.public_id}",
        {"role": "facilitator"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    me.refresh_from_db()
    assert me.role == Role.PARTICIPANT


def test_it_answers_404_for_another_partnerships_objects(world: World) -> None:
    client, headers = _api(world, "facilitator")
    assert client.get(f"/api/v1/partnerships/{world.foreign.slug}", **headers).status_code == 404
    url = f"/api/v1/partnerships/{world.own.slug}/partners/{world.foreign_partner.public_id}"
    assert client.get(url, **headers).status_code == 404
    assert client.delete(url, **headers).status_code == 404
    assert Partner.objects.filter(pk=world.foreign_partner.pk).exists()


def test_it_keeps_the_last_facilitator_through_the_api(world: World) -> None:
    client, headers = _api(world, "facilitator")
    me = world.member(world.facilitator)
    response = client.delete(
        f"/api/v1/partnerships/{world.own.slug}/members/{me.public_id}", **headers
    )
    assert response.status_code == 400
    assert Member.objects.filter(pk=me.pk).exists()


def test_it_rejects_malformed_json(world: World) -> None:
    client, headers = _api(world, "facilitator")
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/partners",
        "{not json",
        content_type="application/json",
        **headers,
    )
    assert response.status_code in (400, 422)
    assert (
        not Partner.objects.filter(partnership=world.own).exclude(name__startswith="Test").exists()
    )


def test_it_rejects_an_unknown_partner_type_and_writes_nothing(world: World) -> None:
    client, headers = _api(world, "facilitator")
    before = world.own.audit_entries.count()
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/partners",
        {"name": "X", "partner_type": "militia"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert world.own.audit_entries.count() == before


def test_it_rejects_an_oversized_payload(world: World, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client, headers = _api(world, "facilitator")
    body = json.dumps({"name": "Big", "partner_type": "company", "description": "x" * 20_000})
    response = client.post(
        f"/api/v1/partnerships/{world.own.slug}/partners",
        body,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 413
    assert not Partner.objects.filter(name="Big").exists()


def test_it_rate_limits_each_token(world: World, settings) -> None:
    settings.HSBP_API_RATE = "5/m"
    client, headers = _api(world, "observer")
    codes = [client.get("/api/v1/partnerships", **headers).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_it_publishes_an_openapi_31_schema(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/partnerships/{slug}/members" in schema["paths"]
    assert schema["components"]["securitySchemes"]


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer hsbp_nonsense", "Token abc"])
def test_it_refuses_missing_or_bad_credentials(db: None, header: str) -> None:
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    assert Client().get("/api/v1/partnerships", **headers).status_code == 401
