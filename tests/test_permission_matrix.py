"""Every URL of the project × every persona × own / foreign partnership,
checked against the permission table.

The URL list comes from the resolver, so a new page is covered without
editing this file; a page whose view declares no access fails here (and is a
404 at run time: deny by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from accounts.models import ApiToken, User
from partnerships import services
from partnerships.models import Invitation, Member, Role
from partnerships.permissions import ViewAccess, role_can
from partnerships.shortlinks import short_link_for
from tests import (
    matrix_actions,
    matrix_attachments,
    matrix_baseline,
    matrix_charter,
    matrix_commonground,
    matrix_consultations,
    matrix_decisions,
    matrix_meetings,
    matrix_notify,
)
from tests.conftest import World, build_world

MATRIX_ROOMS = (
    matrix_baseline,
    matrix_consultations,
    matrix_commonground,
    matrix_notify,
    matrix_charter,
    matrix_decisions,
    matrix_attachments,
    matrix_actions,
    matrix_meetings,
)

PERSONAS = ["anonymous", "facilitator", "company_rep", "participant", "observer", "outsider"]
ROLE_OF = {
    "facilitator": Role.FACILITATOR,
    "company_rep": Role.PARTNER_REPRESENTATIVE,
    "participant": Role.PARTICIPANT,
    "observer": Role.OBSERVER,
}
# Third-party URL trees with their own tests; we check what they answer a
# stranger (below), not every page of theirs.
THIRD_PARTY = ("accounts/", "admin/", "api/v1/")


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    callback: Any


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            routes.append(
                Route(prefix + str(entry.pattern), f"{namespace}{entry.name}", entry.callback)
            )
    return routes


ALL_ROUTES = _walk(get_resolver().url_patterns)
OWN_ROUTES = [r for r in ALL_ROUTES if not r.pattern.startswith(THIRD_PARTY)]


def test_it_declares_access_for_every_page_of_ours() -> None:
    undeclared = [
        r.pattern
        for r in OWN_ROUTES
        if not isinstance(getattr(r.callback, "hsbp_access", None), ViewAccess)
    ]
    assert undeclared == []
    assert len(OWN_ROUTES) >= 25


def _values(world: World, scope: str) -> dict[str, str]:
    """The URL arguments of every page for one scope: "own" (own partnership,
    own objects), "foreign" (the other partnership) or "foreign_object" (own
    partnership, an object of the other one). Made once per scope and test:
    each request then runs in a savepoint that is rolled back, so what a POST
    removes is back for the next request."""
    own_p = world.foreign if scope == "foreign" else world.own
    obj_p = world.own if scope == "own" else world.foreign
    fac = world.facilitator if obj_p == world.own else world.foreign_facilitator
    target_member = Member.objects.filter(partnership=obj_p).exclude(
        user=fac
    ).first() or Member.objects.get(partnership=obj_p, user=fac)
    invitation = services.invite(
        actor=fac, partnership=obj_p, email=f"invitee-{scope}@example.test", role=Role.OBSERVER
    )
    partner = world.company if obj_p == world.own else world.foreign_partner
    from stakeholders import services as map_services

    first = map_services.create_actor(by=fac, partnership=obj_p, name=f"Matrix actor {scope}")
    second = map_services.create_actor(by=fac, partnership=obj_p, name=f"Matrix other {scope}")
    relation = map_services.relate(
        by=fac, partnership=obj_p, source=first, target=second, relation_type="works_with"
    )
    values = {
        "slug": own_p.slug,
        "partner_id": str(partner.public_id),
        "member_id": str(target_member.public_id),
        "invitation_id": str(invitation.public_id),
        "step": "preliminary",
        "token": services.invitation_token(invitation),
        "actor_id": str(first.public_id),
        "relation_id": str(relation.public_id),
        "fmt": "csv",
        "code": short_link_for(obj_p, f"/talk/matrix-{scope}/").code,
    }
    # Each later room fills the URL arguments of its own pages.
    for room in MATRIX_ROOMS:
        values.update(room.values(obj_p, fac))
    return values


class _Filler:
    """Concrete URLs for a pattern, by scope and persona, from values made
    once: the objects of each scope, and a personal API token of each
    persona (someone else's would be a 404)."""

    def __init__(self, world: World, scopes: list[str]) -> None:
        # Made here, outside the requests' savepoints, so no rollback undoes them.
        self.world = world
        self.scopes = {scope: _values(world, scope) for scope in scopes}
        self.tokens = {
            persona: str(
                ApiToken.issue(user=getattr(world, persona, world.facilitator), name="matrix")[0].pk
            )
            for persona in PERSONAS
        }
        # An export each persona asked for (someone else's would be a 404), still
        # being written: its download leads to the list; another partnership's.
        self.exports = {
            persona: _export_job(world.own, getattr(world, persona, world.facilitator))
            for persona in PERSONAS
        }
        self.foreign_export = _export_job(world.foreign, world.foreign_facilitator)

    def __call__(self, pattern: str, scope: str, persona: str) -> str:
        values = {**self.scopes[scope], "token_id": self.tokens[persona]}
        values["export_id"] = (
            self.foreign_export if scope == "foreign_object" else self.exports[persona]
        )
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], pattern)
        return "/" + url


def _export_job(partnership: Any, user: Any) -> str:
    from partnerships.models import ExportJob

    job = ExportJob.objects.create(
        partnership=partnership, requested_by=user, kind="consultations.results", title="Matrix"
    )
    return str(job.public_id)


_PATTERN_OF: dict[int, str] = {
    id(r.callback.hsbp_access): r.pattern for r in OWN_ROUTES if hasattr(r.callback, "hsbp_access")
}


def access_pattern(access: ViewAccess) -> str:
    return _PATTERN_OF.get(id(access), "")


def _expected(access: ViewAccess, persona: str, scope: str, method: str, world: World) -> set[int]:
    if method not in access.methods:
        return {405}
    if access.access == "public":
        if "slug" in access_pattern(access):
            partnership = world.foreign if scope == "foreign" else world.own
            return {200} if partnership.is_published else {404}
        return {200, 302}
    if persona == "anonymous":
        return {302}
    if access.access == "login":
        user = getattr(world, persona)
        if access.allow is not None and not access.allow(user):
            return {404}
        return {200, 302, 409, 410}
    # partnership pages
    role = ROLE_OF.get(persona)
    if role is None or scope == "foreign":
        return {404}
    assert access.kind is not None and access.action is not None
    if not role_can(role, access.kind, access.action):
        return {403}
    if scope == "foreign_object":
        return {404}
    return {200, 302}


@dataclass(frozen=True)
class Matrix:
    world: World
    fill: _Filler


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    """One world and one set of URL arguments for every page of the module,
    rolled back at its end: made per page, they took most of the module's time.
    Each request runs in a savepoint that is rolled back, so no page sees what
    another page's requests did."""
    # What the function-scoped autouse fixtures give a test, for this scope.
    quick = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], LANGUAGE_CODE="en"
    )
    with django_db_blocker.unblock(), quick, translation.override("en"), transaction.atomic():
        world = build_world()
        # The own partnership has a public page, the foreign one does not.
        services.set_published(actor=world.facilitator, partnership=world.own, published=True)
        yield Matrix(world, _Filler(world, ["own", "foreign", "foreign_object"]))
        transaction.set_rollback(True)


@pytest.mark.parametrize("route", OWN_ROUTES, ids=[r.pattern or "/" for r in OWN_ROUTES])
def test_it_answers_every_persona_as_the_table_says(matrix: Matrix, db: None, route: Route) -> None:
    world, fill = matrix.world, matrix.fill
    access: ViewAccess = route.callback.hsbp_access
    has_objects = any(k in route.pattern for k in ("_id>",))
    scopes = ["own", "foreign"] + (["foreign_object"] if has_objects else [])
    failures = []
    for persona in PERSONAS:
        for scope in scopes if "<slug:slug>" in route.pattern else ["own"]:
            for method in ("GET", "POST"):
                # Each request runs in a savepoint that is rolled back, so a
                # POST that removes or changes something does not affect the next.
                with transaction.atomic():
                    client = world.client_for(persona)
                    url = fill(route.pattern, scope, persona)
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    expected = _expected(access, persona, scope, method, world)
                    if response.status_code not in expected:
                        failures.append(
                            f"{method} {url} as {persona} ({scope}): {response.status_code}, expected {expected}"
                        )
                    if response.status_code == 302 and expected == {302} and persona == "anonymous":
                        assert "/accounts/login/" in response["Location"]
                    transaction.set_rollback(True)
    assert failures == []


def test_it_gives_strangers_nothing_from_third_party_trees(matrix: Matrix, db: None) -> None:
    world = matrix.world
    client = world.client_for("participant")
    assert client.get("/admin/").status_code == 302  # to the admin login, which refuses non-staff
    assert client.get("/admin/partnerships/auditentry/").status_code == 302
    assert world.client_for("anonymous").get("/api/v1/partnerships").status_code == 401


def test_it_lets_no_one_edit_the_audit_trail_in_the_admin(matrix: Matrix, db: None) -> None:
    world = matrix.world
    # A copy of its own: the module's world outlives this test's rollback.
    admin = User.objects.get(pk=world.facilitator.pk)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client = world.client_for("facilitator")
    entry = world.own.audit_entries.first()
    assert client.get("/admin/partnerships/auditentry/").status_code == 200
    assert client.get(f"/admin/partnerships/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/partnerships/auditentry/{entry.pk}/change/", {"actor_label": "x"}
    )
    assert response.status_code == 403
    assert client.get("/admin/partnerships/auditentry/add/").status_code == 403


# Valid payloads, so that the permission check, not validation, decides.
VALID_BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("post", "partners"): {"name": "A new partner", "partner_type": "civil_society"},
    ("patch", "partners"): {"description": "Changed through the API"},
    ("patch", "members"): {"role": "observer"},
    ("post", "invitations"): {"email": "api-invitee@example.test", "role": "observer"},
    ("post", "actors"): {"name": "An actor from the API", "kind": "group"},
    ("patch", "actors"): {"description": "Changed through the API"},
    # The partner and actors a body names exist only at run time: a permitted
    # caller is answered 400 ("not on this map"), after the permission check.
    ("post", "assessments"): {
        "assessed_by": "00000000-0000-4000-8000-000000000001",
        "influence": 3,
        "interest": 3,
        "capacity": 3,
    },
    ("post", "relations"): {
        "source": "00000000-0000-4000-8000-000000000002",
        "target": "00000000-0000-4000-8000-000000000003",
        "relation_type": "works_with",
    },
}


for _room in MATRIX_ROOMS:
    VALID_BODIES.update(_room.BODIES)


_OTHER_ARGUMENT = re.compile(r"\{(?!(?:slug|partner_id|member_id|actor_id|relation_id)\})\w+\}")


def _room_values(fill: _Filler, scope: str) -> dict[str, str]:
    """The rooms' own URL arguments (e.g. {threat_id}) in the partnership asked."""
    given = ("slug", "partner_id", "member_id", "actor_id", "relation_id")
    return {k: v for k, v in fill.scopes[scope].items() if k not in given}


def test_it_checks_every_api_operation_against_its_declared_permission(
    matrix: Matrix, db: None
) -> None:
    world, fill = matrix.world, matrix.fill
    schema = world.client_for("anonymous").get("/api/v1/openapi.json").json()
    tokens = {
        p: ApiToken.issue(user=getattr(world, p), name="t")[1] for p in PERSONAS if p != "anonymous"
    }
    checked = 0
    failures = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            declared = op.get("x-hsbp-permission")
            if "{slug}" in path:
                assert declared, f"{method} {path} declares no permission"
            for persona in PERSONAS:
                for scope in ("own", "foreign"):
                    with transaction.atomic():
                        partnership = world.own if scope == "own" else world.foreign
                        partner = world.company if scope == "own" else world.foreign_partner
                        member = Member.objects.filter(partnership=partnership).exclude(
                            role=Role.FACILITATOR
                        ).first() or Member.objects.get(partnership=partnership)
                        # Other arguments (a room's objects, e.g. {threat_id}): the
                        # room's own values, made in the partnership asked (rolled back).
                        extra: dict[str, str] = {}
                        if re.search(_OTHER_ARGUMENT, path):
                            extra = _room_values(fill, scope)
                        url = path.format(
                            **extra,
                            slug=partnership.slug,
                            partner_id=partner.public_id,
                            member_id=member.public_id,
                            # An actor and a relation of the partnership asked (rolled back).
                            **dict(
                                zip(
                                    ("actor_id", "relation_id"),
                                    fill("<actor_id>/<relation_id>", scope, persona)[1:].split("/"),
                                    strict=True,
                                )
                            ),
                        )
                        headers = (
                            {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"}
                            if persona in tokens
                            else {}
                        )
                        client = world.client_for("anonymous")
                        body = VALID_BODIES.get((method, path.rsplit("/", 1)[-1]))
                        if body is None and method in ("post", "patch"):
                            body = VALID_BODIES[(method, path.rsplit("/", 2)[-2])]
                        response = getattr(client, method)(
                            url, data=body, content_type="application/json", **headers
                        )
                        code = response.status_code
                        if persona == "anonymous":
                            ok = code == 401
                        elif not declared:
                            ok = code == 200
                        elif persona == "outsider" or scope == "foreign":
                            ok = code == 404
                        elif not role_can(ROLE_OF[persona], declared["kind"], declared["action"]):
                            ok = code == 403
                        else:
                            ok = code not in (401, 403, 404)
                        if not ok:
                            failures.append(
                                f"{method.upper()} {url} as {persona} ({scope}): {code}"
                            )
                        checked += 1
                        transaction.set_rollback(True)
    assert failures == []
    assert checked > 100
    assert Invitation.objects.exists()


def test_it_documents_the_table_it_enforces() -> None:
    from pathlib import Path

    from django.utils import translation

    from hsbp.management.commands.permissions_table import render

    with translation.override("en"):
        expected = render()
    assert (
        Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
    ).read_text() == expected
